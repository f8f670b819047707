// First run: "Standaard afzendadres". Saving it completes the installation (app/setup.server.ts).
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useActionData, useLoaderData, useOutlet } from "@remix-run/react";
import { Layout, Page } from "@shopify/polaris";
import { requireMerchant } from "~/merchant.server";
import { setupPageData, submitSetup } from "~/setup.server";
import { SetupCard } from "~/components/SetupCard";
import { useI18n } from "~/i18n/react";
import { setupInsideAdmin } from "~/platforms/names";

export async function loader({ request }: LoaderFunctionArgs) {
  const merchant = await requireMerchant(request);
  // Installed (the from address is stored only once the platform's install step succeeded): nothing to connect any
  // more, the address lives in Instellingen. The query stays (Shopify's embedded parameters).
  if (merchant.shop.fromAddress) {
    const params = new URL(request.url).searchParams;
    ["_data", "_routes", "index"].forEach((p) => params.delete(p)); // Remix's own, not the page's
    const qs = params.toString();
    throw redirect(`/app/settings${qs ? `?${qs}` : ""}`, merchant.setCookie ? { headers: { "Set-Cookie": merchant.setCookie } } : undefined);
  }
  return setupPageData(merchant);
}

export async function action({ request }: ActionFunctionArgs) {
  return submitSetup(request, await requireMerchant(request));
}

export default function SetupPage() {
  // /app/setup/done is this route's child (flat routes nest app.setup.done under app.setup): show it instead.
  const outlet = useOutlet();
  return outlet ?? <SetupForm />;
}

function SetupForm() {
  const { values, shopUrl, platform } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useI18n();
  return (
    <Page title={t(setupInsideAdmin(platform) ? "setup.title" : "setup.account.title")} narrowWidth>
      <Layout>
        <Layout.Section>
          <SetupCard values={result?.values ?? values} errors={result?.errors} shopUrl={shopUrl} failure={result?.failure} />
        </Layout.Section>
      </Layout>
    </Page>
  );
}
