// "Vervoerder": connect the shop's carrier account (verified before anything is stored) and pick label defaults.
// The client secret never goes to the browser: the page only sees "••••" + its last 4 characters.
import { useEffect, useState } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, FormLayout, InlineStack, Layout, Page, Select, Text, TextField } from "@shopify/polaris";
import { z } from "zod";
import { db } from "~/db.server";
import { requireMerchant } from "~/merchant.server";
import { readFormData } from "~/body-limit.server";
import { textInput } from "~/core/text-input";
import { getRuntime, labelDeps } from "~/runtime.server";
import { connectCarrier, getCarrierConnection } from "~/core/labels/connection.server";
import { parcelWebhookAddress } from "~/carriers/parcel-webhook-address.server";
import { PACKAGE_TYPES, type PackageType } from "~/core/ports";
import { reasonMessage, type ReasonCode } from "~/core/reasons";
import { useI18n } from "~/i18n/react";

const CONNECT_INTENT = "connect";
const DEFAULTS_INTENT = "defaults";

export async function loader({ request }: LoaderFunctionArgs) {
  const merchant = await requireMerchant(request);
  const conn = await getCarrierConnection(db, merchant.shopId);
  return {
    connection: conn
      ? {
          carrier: conn.carrier,
          environment: conn.environment,
          clientId: conn.clientId,
          secretHint: conn.secretHint,
          services: conn.services.map((s) => ({ code: s.code, description: s.description })),
          defaultService: conn.defaultService,
          defaultPackageType: conn.defaultPackageType,
          connectedAt: conn.connectedAt.toISOString(),
        }
      : null,
  };
}

export type CarrierActionResult =
  | { intent: "connect"; ok: true; services: number }
  | { intent: "connect"; ok: false; reason: string; code?: ReasonCode; errors?: { clientId?: boolean } }
  | { intent: "defaults"; ok: true }
  | { intent: "defaults"; ok: false; reason: string; code?: ReasonCode }
  | { intent: null; ok: false; reason: "invalid" };

export async function action({ request }: ActionFunctionArgs): Promise<CarrierActionResult> {
  const merchant = await requireMerchant(request);
  const form = await readFormData(request);
  const intent = form.get("intent");

  if (intent === CONNECT_INTENT) {
    const Connect = z.object({
      carrier: z.enum(["boekuwzending"]),
      environment: z.enum(["staging", "production"]),
      clientId: textInput().trim().min(1).max(200),
      clientSecret: textInput().trim().max(500),
    });
    const parsed = Connect.safeParse({
      carrier: form.get("carrier") ?? "boekuwzending",
      environment: form.get("environment"),
      clientId: form.get("clientId") ?? "",
      clientSecret: form.get("clientSecret") ?? "",
    });
    if (!parsed.success) {
      const clientIdBad = parsed.error.issues.some((i) => i.path[0] === "clientId");
      return { intent: "connect", ok: false, reason: "invalid", errors: { clientId: clientIdBad } };
    }
    // Reconnecting keeps the defaults the merchant chose before.
    const current = await getCarrierConnection(db, merchant.shopId);
    const result = await connectCarrier(labelDeps(await getRuntime()), merchant.shopId, {
      ...parsed.data,
      defaultService: current?.defaultService ?? null,
      defaultPackageType: current?.defaultPackageType,
      parcelWebhookAddress: parcelWebhookAddress(parsed.data.carrier),
    });
    return result.ok
      ? { intent: "connect", ok: true, services: result.services.length }
      : { intent: "connect", ok: false, reason: result.reason, ...(result.code ? { code: result.code } : {}) };
  }

  if (intent === DEFAULTS_INTENT) {
    const Defaults = z.object({
      defaultService: textInput().trim().min(1).max(200),
      defaultPackageType: z.enum(PACKAGE_TYPES),
    });
    const parsed = Defaults.safeParse({ defaultService: form.get("defaultService"), defaultPackageType: form.get("defaultPackageType") });
    if (!parsed.success) return { intent: "defaults", ok: false, reason: "invalid" };
    const current = await getCarrierConnection(db, merchant.shopId);
    if (!current) return { intent: "defaults", ok: false, reason: "not_connected" };
    // Empty secret: keep the stored one (connectCarrier re-verifies with it, which is fine).
    const result = await connectCarrier(labelDeps(await getRuntime()), merchant.shopId, {
      carrier: current.carrier,
      environment: current.environment,
      clientId: current.clientId,
      clientSecret: "",
      defaultService: parsed.data.defaultService,
      defaultPackageType: parsed.data.defaultPackageType,
    });
    return result.ok ? { intent: "defaults", ok: true } : { intent: "defaults", ok: false, reason: result.reason, ...(result.code ? { code: result.code } : {}) };
  }

  return { intent: null, ok: false, reason: "invalid" };
}

/** Koppel's own reasons are keys; the carrier's come with a code: Koppel's sentence, the carrier's text beneath. */
function ConnectFailed({ reason, code }: { reason: string; code?: ReasonCode }) {
  const { t } = useI18n();
  if (!code) {
    const own = ["client_secret_required", "invalid", "not_connected"].includes(reason) ? t(`carrierPage.reason.${reason}`) : reason;
    return <Banner tone="critical">{t("carrierPage.connectFailed", { reason: own })}</Banner>;
  }
  const m = reasonMessage(t, { code, detail: reason });
  return (
    <Banner tone="critical">
      <BlockStack gap="100">
        <Text as="p">{t("carrierPage.connectFailed", { reason: m.text })}</Text>
        {m.detail ? (
          <Text as="p" tone="subdued" breakWord>
            {m.detail}
          </Text>
        ) : null}
      </BlockStack>
    </Banner>
  );
}

export default function CarrierPage() {
  const { connection } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t, formatDateTime } = useI18n();
  const navigation = useNavigation();
  const submittingIntent = navigation.state === "submitting" ? navigation.formData?.get("intent") : null;

  const [environment, setEnvironment] = useState<string>(connection?.environment ?? "staging");
  const [clientId, setClientId] = useState(connection?.clientId ?? "");
  const [clientSecret, setClientSecret] = useState("");
  const [service, setService] = useState(connection?.defaultService ?? connection?.services[0]?.code ?? "");
  const [packageType, setPackageType] = useState<PackageType>(connection?.defaultPackageType ?? "package");

  // After a (re)connect the stored values are the truth again; the secret field is emptied.
  useEffect(() => {
    setEnvironment(connection?.environment ?? "staging");
    setClientId(connection?.clientId ?? "");
    setClientSecret("");
    setService(connection?.defaultService ?? connection?.services[0]?.code ?? "");
    setPackageType(connection?.defaultPackageType ?? "package");
  }, [connection?.connectedAt, connection?.defaultService, connection?.defaultPackageType, connection?.environment, connection?.clientId]);

  const connectResult = result?.intent === "connect" ? result : undefined;
  const defaultsResult = result?.intent === "defaults" ? result : undefined;

  return (
    <Page title={t("carrierPage.title")}>
      <Layout>
        <Layout.AnnotatedSection title={t("carrierPage.connection.title")} description={t("carrierPage.connection.intro")}>
          <Card>
            <Form method="post" noValidate>
              <input type="hidden" name="intent" value={CONNECT_INTENT} />
              <BlockStack gap="400">
                {connectResult?.ok ? <Banner tone="success">{t("carrierPage.connected", { count: connectResult.services })}</Banner> : null}
                {connectResult && !connectResult.ok ? <ConnectFailed reason={connectResult.reason} code={connectResult.code} /> : null}
                <Text as="p" tone="subdued">
                  {connection
                    ? t("carrierPage.status.connected", {
                        carrier: t(`carrierPage.carrier.${connection.carrier}`),
                        environment: t(`carrierPage.env.${connection.environment}`),
                        date: formatDateTime(connection.connectedAt),
                      })
                    : t("carrierPage.status.none")}
                </Text>
                <FormLayout>
                  <Select
                    label={t("carrierPage.field.carrier")}
                    name="carrier"
                    options={[{ label: t("carrierPage.carrier.boekuwzending"), value: "boekuwzending" }]}
                    value="boekuwzending"
                    // One carrier so far: nothing to choose, but the value is still sent.
                    onChange={() => {}}
                  />
                  <TextField
                    label={t("carrierPage.field.clientId")}
                    requiredIndicator
                    name="clientId"
                    value={clientId}
                    onChange={setClientId}
                    autoComplete="off"
                    error={connectResult && !connectResult.ok && connectResult.errors?.clientId ? t("carrierPage.error.clientId") : undefined}
                  />
                  <TextField
                    label={t("carrierPage.field.clientSecret")}
                    requiredIndicator
                    name="clientSecret"
                    type="password"
                    value={clientSecret}
                    onChange={setClientSecret}
                    autoComplete="new-password"
                    placeholder={connection ? connection.secretHint : undefined}
                    helpText={connection ? t("carrierPage.field.clientSecret.keep", { hint: connection.secretHint }) : undefined}
                  />
                  <Select
                    label={t("carrierPage.field.environment")}
                    name="environment"
                    options={[
                      { label: t("carrierPage.env.staging"), value: "staging" },
                      { label: t("carrierPage.env.production"), value: "production" },
                    ]}
                    value={environment}
                    onChange={setEnvironment}
                  />
                </FormLayout>
                <InlineStack align="end">
                  <Button submit variant="primary" loading={submittingIntent === CONNECT_INTENT}>
                    {t("carrierPage.connect")}
                  </Button>
                </InlineStack>
              </BlockStack>
            </Form>
          </Card>
        </Layout.AnnotatedSection>
        {connection ? (
          <Layout.AnnotatedSection title={t("carrierPage.defaults.title")} description={t("carrierPage.defaults.intro")}>
            <Card>
              <Form method="post" noValidate>
                <input type="hidden" name="intent" value={DEFAULTS_INTENT} />
                <BlockStack gap="400">
                  {defaultsResult?.ok ? <Banner tone="success">{t("carrierPage.defaults.saved")}</Banner> : null}
                  {defaultsResult && !defaultsResult.ok ? <ConnectFailed reason={defaultsResult.reason} code={defaultsResult.code} /> : null}
                  {connection.services.length === 0 ? <Banner tone="warning">{t("carrierPage.defaults.noServices")}</Banner> : null}
                  <FormLayout>
                    <Select
                      label={t("carrierPage.defaults.service")}
                      name="defaultService"
                      options={connection.services.map((s) => ({ label: s.description || s.code, value: s.code }))}
                      value={service}
                      onChange={setService}
                      disabled={connection.services.length === 0}
                    />
                    <Select
                      label={t("carrierPage.defaults.packageType")}
                      name="defaultPackageType"
                      options={PACKAGE_TYPES.map((p) => ({ label: t(`packageType.${p}`), value: p }))}
                      value={packageType}
                      onChange={(v) => setPackageType(v as PackageType)}
                    />
                  </FormLayout>
                  <InlineStack align="end">
                    <Button submit loading={submittingIntent === DEFAULTS_INTENT} disabled={connection.services.length === 0}>
                      {t("carrierPage.defaults.save")}
                    </Button>
                  </InlineStack>
                </BlockStack>
              </Form>
            </Card>
          </Layout.AnnotatedSection>
        ) : null}
      </Layout>
    </Page>
  );
}
