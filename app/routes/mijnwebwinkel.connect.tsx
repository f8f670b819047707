// GET/POST /mijnwebwinkel/connect: a Mijnwebwinkel merchant connects by hand — Shop-URL, the store's API token and the
// from address (the setup step's fields and rules), then "Koppelen". The token is proven with a real API call first
// (the API's reason shows beneath Koppel's sentence when it fails) and nothing is stored as connected before that;
// then the shop is connected (token encrypted), the address saved, the poll started, Koppel's cookie set and the
// completion page opened (app/platforms/mijnwebwinkel/connect.server.ts). 404 unless KOPPEL_PLATFORMS serves it.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Box, BlockStack, Button, Layout, Page, Text } from "@shopify/polaris";
import { readFormData } from "~/body-limit.server";
import { env } from "~/env.server";
import { getRuntime } from "~/runtime.server";
import { fromAddressFormValues } from "~/core/from-address";
import { mijnwebwinkelApiConfig, mijnwebwinkelServed } from "~/platforms/registry.server";
import { connectMijnwebwinkel, parseConnectForm, type MwwConnectErrors, type MwwConnectValues } from "~/platforms/mijnwebwinkel/connect.server";
import { createMerchantCookieSession } from "~/merchant.server";
import { minutesToWait, requestLocale, signedInShopId, tokenAttemptKey } from "~/platforms/mijnwebwinkel/pages.server";
import { claimAttempt, clearAttempts, forgiveAttempt } from "~/attempt-limit.server";
import { afterShopInstalled, demoHooks } from "~/demo.server";
import { SetupCard } from "~/components/SetupCard";
import { MijnwebwinkelFields } from "~/components/MijnwebwinkelFields";
import { PolarisShell } from "~/components/PolarisShell";
import { DEFAULT_LOCALE, t } from "~/i18n";
import { useI18n } from "~/i18n/react";

export type ConnectActionResult = {
  errors: MwwConnectErrors;
  values: MwwConnectValues;
  /** Koppel's sentence (a message key) and, beneath it, the API's own reason. */
  failure?: { key: "mijnwebwinkel.connect.failed" | "mijnwebwinkel.connect.inUse"; detail: string | null };
  /** Too many failed attempts from this address for this shop: minutes to wait. */
  tooMany?: { minutes: number };
};

export async function loader({ request }: LoaderFunctionArgs) {
  if (!mijnwebwinkelServed()) throw new Response("Not found", { status: 404 });
  const locale = requestLocale(request);
  // The demo prefills its fake shop (only while the demo's fake is the API Koppel talks to).
  const demo = env.demo ? (demoHooks().mijnwebwinkelConnectPrefill?.() ?? null) : null;
  return { locale, values: { ...fromAddressFormValues(null), shopUrl: demo?.shopUrl ?? "" }, demoToken: demo?.apiToken ?? "" };
}

export async function action({ request, context }: ActionFunctionArgs): Promise<ConnectActionResult> {
  if (!mijnwebwinkelServed()) throw new Response("Not found", { status: 404 });
  const locale = requestLocale(request);
  const parsed = parseConnectForm(locale, Object.fromEntries(await readFormData(request)));
  if (!parsed.ok) return { errors: parsed.errors, values: parsed.values };
  const rt = await getRuntime();
  const attempts = tokenAttemptKey(context, parsed.shopUrl);
  const allowed = await claimAttempt(rt.db, attempts);
  if (!allowed.allowed) return { errors: {}, values: parsed.values, tooMany: { minutes: minutesToWait(allowed.retryAfterSeconds) } };
  const connected = await connectMijnwebwinkel(
    { db: rt.db, queue: rt.queue, encryptionKey: rt.encryptionKey, config: mijnwebwinkelApiConfig(), syncIntervalMinutes: env.SYNC_INTERVAL_MINUTES },
    { shopUrl: parsed.shopUrl, apiToken: parsed.apiToken, address: parsed.address, signedInShopId: await signedInShopId(request) },
  );
  if (!connected.ok) {
    // The token was right but the shop is connected with another one that still works: no guess, not counted.
    if (connected.code === "in_use") await forgiveAttempt(rt.db, attempts);
    const key = connected.code === "in_use" ? "mijnwebwinkel.connect.inUse" : "mijnwebwinkel.connect.failed";
    return { errors: {}, values: parsed.values, failure: { key, detail: connected.detail } };
  }
  await clearAttempts(rt.db, attempts);
  await afterShopInstalled(connected.shop.id);
  const setCookie = await createMerchantCookieSession(connected.shop.id, { locale });
  throw redirect("/app/setup/done", { headers: { "Set-Cookie": setCookie } });
}

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: `Koppel · ${t(d?.locale ?? DEFAULT_LOCALE, "mijnwebwinkel.connect.title")}` }];

export default function MijnwebwinkelConnectPage() {
  const page = useLoaderData<typeof loader>();
  return (
    <PolarisShell locale={page.locale}>
      <ConnectForm />
    </PolarisShell>
  );
}

function ConnectForm() {
  const page = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useI18n();
  const values = result?.values ?? page.values;
  // A new form (with its fields' own state) for each answer, so the values shown are the ones the server read.
  const key = result ? JSON.stringify(result) : "initial";
  return (
    <Page title={t("mijnwebwinkel.connect.title")} narrowWidth>
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <SetupCard
              key={key}
              intro={t("mijnwebwinkel.connect.intro")}
              values={values}
              errors={result?.errors}
              shopUrl={null}
              failureText={result?.tooMany ? t("mww.attempts.tooMany", { minutes: result.tooMany.minutes }) : result?.failure ? t(result.failure.key) : null}
              failure={result?.failure?.detail ?? null}
              leading={<MijnwebwinkelFields shopUrl={values.shopUrl} apiToken={page.demoToken} errors={result?.errors} />}
            />
            {/* Stacked: side by side the link runs past a 390 px screen; there the card is edge to edge, the hint is not. */}
            <Box paddingInline={{ xs: "400", sm: "0" }}>
              <BlockStack gap="100" inlineAlign="start">
                <Text as="p" tone="subdued">
                  {t("mijnwebwinkel.connect.already")}
                </Text>
                <Button variant="plain" url="/mijnwebwinkel/login">
                  {t("mijnwebwinkel.login.title")}
                </Button>
              </BlockStack>
            </Box>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
