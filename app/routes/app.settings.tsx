// Instellingen: the default sender address, and which payment states count as paid / how often to sync.
import { useState } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form as RemixForm, useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { Banner, BlockStack, Box, Button, Card, Checkbox, Form, FormLayout, InlineStack, Layout, Page, Select, Text, TextField } from "@shopify/polaris";
import { z } from "zod";
import { platformDisplayName } from "~/platforms/names";
import { db } from "~/db.server";
import { env } from "~/env.server";
import { destroyMerchantCookieSession, requireMerchant } from "~/merchant.server";
import { importFinancialStatuses, importsTestOrders, logOutEverywhere, saveFromAddress, saveImportSettings, syncIntervalMinutes } from "~/core/shops.server";
import { readFormData } from "~/body-limit.server";
import { getRuntime } from "~/runtime.server";
import { fromAddressFormValues, parseFromAddress, type FromAddressErrors, type FromAddressValues } from "~/core/from-address";
import { FromAddressForm, FROM_ADDRESS_INTENT } from "~/components/FromAddressForm";
import { useI18n } from "~/i18n/react";
import { t as translate } from "~/i18n";
import { getMailSettingsView, parseMailSettingsForm, saveMailSettings, sendTestMail, type MailSettingsErrors, type MailSettingsFormValues } from "~/core/mail/settings.server";
import { sampleTrackingMail } from "~/core/mail/tracking-template";
import { SMTP_SECURITY } from "~/core/domain";
import { MijnwebwinkelStatusSettings, MWW_SETTINGS_FORM_INTENT } from "~/components/MijnwebwinkelStatusSettings";
import { mwwSettingsView, saveMwwSettingsForm, MWW_SETTINGS_INTENT, type MwwSettingsResult } from "~/platforms/mijnwebwinkel/settings-page.server";
import { mijnwebwinkelAdapter } from "~/platforms/registry.server";
import { SettingsSaveBar } from "~/components/SettingsSaveBar";
import { SuccessNotice } from "~/components/SuccessNotice";

const PAID_STATES = ["paid", "partially_paid", "authorized"] as const;
const IMPORT_INTENT = "import";
const LOGOUT_EVERYWHERE_INTENT = "logout-everywhere";
const MAIL_INTENT = "mail-settings";
const MAIL_TEST_INTENT = "mail-test";

export async function loader({ request }: LoaderFunctionArgs) {
  const merchant = await requireMerchant(request);
  const mailLocale = (await getMailSettingsView(db, merchant.shopId))?.locale ?? merchant.locale;
  const capabilities = (await getRuntime()).platformFor(merchant.shop.platform).capabilities;
  return {
    address: fromAddressFormValues(merchant.shop.fromAddress),
    paidStates: importFinancialStatuses(merchant.shop),
    importTestOrders: importsTestOrders(merchant.shop),
    /** "Testbestellingen importeren" is offered: not where the platform's test orders are never imported (Mijnwebwinkel). */
    testOrdersOption: capabilities.testOrders !== "never",
    syncIntervalMinutes: syncIntervalMinutes(merchant.shop, env.SYNC_INTERVAL_MINUTES),
    /** Koppel's own cookie session (not Shopify's admin): it can be revoked everywhere. */
    cookieSession: !merchant.embedded,
    /** Track & trace e-mail: the password only as a hint ("••••"), never itself. */
    mail: await getMailSettingsView(db, merchant.shopId),
    mailPreview: sampleTrackingMail(mailLocale, merchant.shop.name || merchant.shop.domain),
    /** The shop's platform sends no shipping e-mail itself: the page recommends Koppel's. */
    mailRecommended: !capabilities.notifiesCustomerOnShipment,
    platformName: platformDisplayName(merchant.shop.platform),
    /** Mijnwebwinkel shops: the store's statuses to choose from (null for other platforms). */
    mijnwebwinkel: await mwwSettingsView({ db, encryptionKey: env.ENCRYPTION_KEY, platform: mijnwebwinkelAdapter() }, merchant.shop),
  };
}

type SettingsActionResult =
  | { intent: "from-address"; saved: true }
  | { intent: "from-address"; saved: false; errors: FromAddressErrors; values: FromAddressValues }
  | { intent: "import"; saved: true }
  | { intent: "import"; saved: false; errors: { paidStates?: string; syncIntervalMinutes?: string } }
  | { intent: "mail-settings"; saved: true }
  | { intent: "mail-settings"; saved: false; errors: MailSettingsErrors; values: MailSettingsFormValues }
  | { intent: "mail-test"; sent: true; to: string }
  | { intent: "mail-test"; sent: false; reason: string }
  | MwwSettingsResult
  | { intent: null; saved: false };

export async function action({ request }: ActionFunctionArgs): Promise<SettingsActionResult> {
  const merchant = await requireMerchant(request);
  const form = await readFormData(request);
  const intent = form.get("intent");

  if (intent === FROM_ADDRESS_INTENT) {
    const parsed = parseFromAddress(merchant.locale, Object.fromEntries(form));
    if (!parsed.ok) return { intent: "from-address", saved: false, errors: parsed.errors, values: parsed.values };
    await saveFromAddress(db, merchant.shopId, parsed.address);
    return { intent: "from-address", saved: true };
  }

  if (intent === IMPORT_INTENT) {
    const schema = z.object({
      paidStates: z.array(z.enum(PAID_STATES)).min(1, translate(merchant.locale, "settings.import.error.statuses")),
      syncIntervalMinutes: z.coerce
        .number(translate(merchant.locale, "settings.import.error.interval"))
        .int(translate(merchant.locale, "settings.import.error.interval"))
        .min(1, translate(merchant.locale, "settings.import.error.interval"))
        .max(1440, translate(merchant.locale, "settings.import.error.interval")),
    });
    const parsed = schema.safeParse({ paidStates: form.getAll("paidStates"), syncIntervalMinutes: form.get("syncIntervalMinutes") || undefined });
    if (!parsed.success) {
      const errors: { paidStates?: string; syncIntervalMinutes?: string } = {};
      for (const issue of parsed.error.issues) {
        const f = issue.path[0];
        if (f === "paidStates" || f === "syncIntervalMinutes") errors[f] ??= issue.message;
      }
      return { intent: "import", saved: false, errors };
    }
    await saveImportSettings(await getRuntime(), merchant.shopId, {
      importFinancialStatuses: parsed.data.paidStates,
      syncIntervalMinutes: parsed.data.syncIntervalMinutes,
      importTestOrders: form.get("importTestOrders") === "true",
    });
    return { intent: "import", saved: true };
  }

  if (intent === MAIL_INTENT) {
    const parsed = parseMailSettingsForm(merchant.locale, Object.fromEntries(form));
    if (!parsed.ok) return { intent: "mail-settings", saved: false, errors: parsed.errors, values: parsed.values };
    await saveMailSettings(db, merchant.shopId, parsed.value, env.ENCRYPTION_KEY);
    return { intent: "mail-settings", saved: true };
  }

  if (intent === MAIL_TEST_INTENT) {
    const rt = await getRuntime();
    const r = await sendTestMail(rt, merchant.shopId);
    if (r.ok) return { intent: "mail-test", sent: true, to: (await getMailSettingsView(db, merchant.shopId))?.fromEmail ?? "" };
    return { intent: "mail-test", sent: false, reason: r.reason === "not_configured" ? translate(merchant.locale, "settings.mail.test.notConfigured") : r.reason };
  }

  if (intent === MWW_SETTINGS_INTENT) {
    return saveMwwSettingsForm({ db, encryptionKey: env.ENCRYPTION_KEY, platform: mijnwebwinkelAdapter() }, merchant.shop, merchant.locale, form);
  }

  if (intent === LOGOUT_EVERYWHERE_INTENT && !merchant.embedded) {
    // Revokes every cookie of the shop (this one too) and its label download links.
    await logOutEverywhere(db, merchant.shopId);
    throw redirect("/login-required", { headers: { "Set-Cookie": await destroyMerchantCookieSession(request) } });
  }

  return { intent: null, saved: false };
}

export default function SettingsPage() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useI18n();
  const addressResult = result?.intent === "from-address" ? result : undefined;
  const importResult = result?.intent === "import" ? result : undefined;

  return (
    <Page title={t("settings.title")}>
      <Layout>
        <Layout.AnnotatedSection title={t("fromAddress.title")} description={t("fromAddress.intro")}>
          <Card>
            <BlockStack gap="400">
              {addressResult?.saved ? <SuccessNotice>{t("fromAddress.saved")}</SuccessNotice> : null}
              <SettingsSaveBar id="settings-from-address">
                <FromAddressForm
                  key={JSON.stringify(data.address)}
                  initialValues={addressResult && !addressResult.saved ? addressResult.values : data.address}
                  errors={addressResult && !addressResult.saved ? addressResult.errors : undefined}
                  submitLabel={t("fromAddress.submit.save")}
                />
              </SettingsSaveBar>
            </BlockStack>
          </Card>
        </Layout.AnnotatedSection>
        <Layout.AnnotatedSection title={t("settings.import.title")} description={t("settings.import.intro")}>
          <Card>
            <SettingsSaveBar id="settings-import">
              <ImportSettingsForm
                key={`${data.paidStates.join(",")}|${data.syncIntervalMinutes}|${data.importTestOrders}`}
                paidStates={data.paidStates}
                importTestOrders={data.importTestOrders}
                testOrdersOption={data.testOrdersOption}
                interval={data.syncIntervalMinutes}
                saved={Boolean(importResult?.saved)}
                errors={importResult && !importResult.saved ? importResult.errors : {}}
              />
            </SettingsSaveBar>
          </Card>
        </Layout.AnnotatedSection>
        {data.mijnwebwinkel ? (
          <MijnwebwinkelStatusSettings key={JSON.stringify(data.mijnwebwinkel)} data={data.mijnwebwinkel} result={result?.intent === MWW_SETTINGS_FORM_INTENT ? result : undefined} />
        ) : null}
        <Layout.AnnotatedSection title={t("settings.mail.title")} description={t("settings.mail.intro")}>
          <Card>
            <SettingsSaveBar id="settings-mail">
              <MailSettingsForm
                key={JSON.stringify(data.mail)}
                data={data}
                result={result?.intent === "mail-settings" || result?.intent === "mail-test" ? result : undefined}
              />
            </SettingsSaveBar>
          </Card>
        </Layout.AnnotatedSection>
        {data.cookieSession ? (
          <Layout.AnnotatedSection title={t("settings.sessions.title")} description={t("settings.sessions.intro")}>
            <Card>
              <RemixForm method="post" noValidate>
                <input type="hidden" name="intent" value={LOGOUT_EVERYWHERE_INTENT} />
                <InlineStack align="end">
                  <Button submit tone="critical">
                    {t("settings.sessions.logoutEverywhere")}
                  </Button>
                </InlineStack>
              </RemixForm>
            </Card>
          </Layout.AnnotatedSection>
        ) : null}
      </Layout>
    </Page>
  );
}

function ImportSettingsForm(props: {
  paidStates: string[];
  importTestOrders: boolean;
  testOrdersOption: boolean;
  interval: number;
  saved: boolean;
  errors: { paidStates?: string; syncIntervalMinutes?: string };
}) {
  const { t } = useI18n();
  const submit = useSubmit();
  const navigation = useNavigation();
  const [states, setStates] = useState<string[]>(props.paidStates);
  const [interval, setIntervalValue] = useState(String(props.interval));
  const [testOrders, setTestOrders] = useState(props.importTestOrders);
  const submitting = navigation.state === "submitting" && navigation.formData?.get("intent") === IMPORT_INTENT;

  return (
    <Form method="post" noValidate onSubmit={(e) => submit(e.currentTarget, { method: "post" })}>
      <input type="hidden" name="intent" value={IMPORT_INTENT} />
      {states.map((s) => (
        <input key={s} type="hidden" name="paidStates" value={s} />
      ))}
      <input type="hidden" name="importTestOrders" value={String(testOrders)} />
      <BlockStack gap="400">
        {props.saved ? <SuccessNotice>{t("settings.import.saved")}</SuccessNotice> : null}
        <FormLayout>
          <BlockStack gap="100">
            {PAID_STATES.map((s) => (
              <Checkbox
                key={s}
                label={t(`settings.import.${s}`)}
                checked={states.includes(s)}
                onChange={(checked) => setStates((cur) => (checked ? [...cur.filter((x) => x !== s), s] : cur.filter((x) => x !== s)))}
              />
            ))}
            {props.errors.paidStates ? (
              <Text as="p" tone="critical">
                {props.errors.paidStates}
              </Text>
            ) : null}
          </BlockStack>
          <TextField
            label={t("settings.import.syncInterval")}
            name="syncIntervalMinutes"
            type="number"
            min={1}
            max={1440}
            value={interval}
            onChange={setIntervalValue}
            helpText={t("settings.import.syncInterval.help")}
            error={props.errors.syncIntervalMinutes}
            autoComplete="off"
          />
          {props.testOrdersOption ? (
            <Checkbox label={t("settings.import.testOrders")} helpText={t("settings.import.testOrders.help")} checked={testOrders} onChange={setTestOrders} />
          ) : null}
        </FormLayout>
        <InlineStack align="end">
          <Button submit variant="primary" loading={submitting}>
            {t("settings.import.submit")}
          </Button>
        </InlineStack>
      </BlockStack>
    </Form>
  );
}

type MailResult = Extract<SettingsActionResult, { intent: "mail-settings" | "mail-test" }>;

function MailSettingsForm(props: { data: ReturnType<typeof useLoaderData<typeof loader>>; result: MailResult | undefined }) {
  const { t } = useI18n();
  const navigation = useNavigation();
  const { data, result } = props;
  const failed = result?.intent === "mail-settings" && !result.saved ? result : undefined;
  const initial: MailSettingsFormValues = failed?.values ?? {
    enabled: data.mail?.enabled ? "true" : "false",
    host: data.mail?.host ?? "",
    port: data.mail ? String(data.mail.port) : "",
    security: data.mail?.security ?? "starttls",
    username: data.mail?.username ?? "",
    fromName: data.mail?.fromName ?? "",
    fromEmail: data.mail?.fromEmail ?? "",
    locale: data.mail?.locale ?? "nl",
  };
  const [v, setV] = useState(initial);
  const [password, setPassword] = useState("");
  const set = (k: keyof MailSettingsFormValues) => (value: string) => setV((cur) => ({ ...cur, [k]: value }));
  const errors = failed?.errors ?? {};
  const busy = (intent: string) => navigation.state === "submitting" && navigation.formData?.get("intent") === intent;

  return (
    <BlockStack gap="400">
      {data.mailRecommended ? <Banner tone="info">{t("settings.mail.recommended", { platform: data.platformName })}</Banner> : <Text as="p" tone="subdued">{t("settings.mail.insteadOfShop")}</Text>}
      {result?.intent === "mail-settings" && result.saved ? <SuccessNotice>{t("settings.mail.saved")}</SuccessNotice> : null}
      {result?.intent === "mail-test" ? (
        result.sent ? (
          <SuccessNotice>{t("settings.mail.test.sent", { to: result.to })}</SuccessNotice>
        ) : (
          <Banner tone="critical">{t("settings.mail.test.failed", { reason: result.reason })}</Banner>
        )
      ) : null}
      <RemixForm method="post" noValidate>
        <input type="hidden" name="intent" value={MAIL_INTENT} />
        <input type="hidden" name="enabled" value={v.enabled} />
        <input type="hidden" name="security" value={v.security} />
        <input type="hidden" name="locale" value={v.locale} />
        <BlockStack gap="400">
          <FormLayout>
            <Checkbox label={t("settings.mail.enabled")} checked={v.enabled === "true"} onChange={(c) => set("enabled")(c ? "true" : "false")} />
            <FormLayout.Group>
              <TextField label={t("settings.mail.host")} requiredIndicator name="host" value={v.host} onChange={set("host")} error={errors.host} autoComplete="off" />
              <TextField label={t("settings.mail.port")} requiredIndicator name="port" type="number" value={v.port} onChange={set("port")} error={errors.port} autoComplete="off" />
            </FormLayout.Group>
            <Select
              label={t("settings.mail.security")}
              options={SMTP_SECURITY.map((m) => ({ label: t(`settings.mail.security.${m}`), value: m }))}
              value={v.security}
              onChange={set("security")}
              error={errors.security}
            />
            <FormLayout.Group>
              <TextField label={t("settings.mail.username")} name="username" value={v.username} onChange={set("username")} error={errors.username} autoComplete="off" />
              <TextField
                label={t("settings.mail.password")}
                name="password"
                type="password"
                value={password}
                onChange={setPassword}
                placeholder={data.mail?.passwordHint ?? ""}
                helpText={t("settings.mail.password.help")}
                error={errors.password}
                autoComplete="new-password"
              />
            </FormLayout.Group>
            <FormLayout.Group>
              <TextField label={t("settings.mail.fromName")} requiredIndicator name="fromName" value={v.fromName} onChange={set("fromName")} error={errors.fromName} autoComplete="off" />
              <TextField label={t("settings.mail.fromEmail")} requiredIndicator name="fromEmail" type="email" value={v.fromEmail} onChange={set("fromEmail")} error={errors.fromEmail} autoComplete="off" />
            </FormLayout.Group>
            <Select
              label={t("settings.mail.locale")}
              options={[
                { label: t("settings.mail.locale.nl"), value: "nl" },
                { label: t("settings.mail.locale.en"), value: "en" },
              ]}
              value={v.locale}
              onChange={set("locale")}
            />
          </FormLayout>
          <InlineStack align="end">
            <Button submit variant="primary" loading={busy(MAIL_INTENT)}>
              {t("settings.mail.submit")}
            </Button>
          </InlineStack>
        </BlockStack>
      </RemixForm>
      <BlockStack gap="200">
        <Text as="h3" variant="headingSm">
          {t("settings.mail.preview")}
        </Text>
        <Box padding="300" background="bg-surface-secondary" borderRadius="200">
          <BlockStack gap="200">
            <Text as="p" fontWeight="semibold">
              {t("settings.mail.preview.subject", { subject: data.mailPreview.subject })}
            </Text>
            <pre style={{ whiteSpace: "pre-wrap", margin: 0, fontFamily: "inherit" }}>{data.mailPreview.text}</pre>
          </BlockStack>
        </Box>
        <RemixForm method="post" noValidate>
          <input type="hidden" name="intent" value={MAIL_TEST_INTENT} />
          <InlineStack align="end">
            <Button submit disabled={!data.mail} loading={busy(MAIL_TEST_INTENT)}>
              {t("settings.mail.test")}
            </Button>
          </InlineStack>
        </RemixForm>
      </BlockStack>
    </BlockStack>
  );
}
