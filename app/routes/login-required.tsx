// Where a browser without a Koppel session lands: how to open the app from the shop's admin.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { PolarisShell } from "~/components/PolarisShell";
import { LoginRequiredContent } from "~/components/LoginRequiredContent";
import { DEFAULT_LOCALE, localeFromAcceptLanguage, parseLocale, t } from "~/i18n";

export async function loader({ request }: LoaderFunctionArgs) {
  const locale =
    parseLocale(new URL(request.url).searchParams.get("locale")) ??
    localeFromAcceptLanguage(request.headers.get("Accept-Language")) ??
    DEFAULT_LOCALE;
  return { locale };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Koppel · ${t(data?.locale ?? DEFAULT_LOCALE, "login.title")}` }];

export default function LoginRequired() {
  const { locale } = useLoaderData<typeof loader>();
  return (
    <PolarisShell locale={locale}>
      <LoginRequiredContent />
    </PolarisShell>
  );
}
