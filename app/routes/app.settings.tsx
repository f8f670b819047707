// Instellingen: the default sender address, and which payment states count as paid / how often to sync.
import { useState } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form as RemixForm, useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, Checkbox, Form, FormLayout, InlineStack, Layout, Page, Text, TextField } from "@shopify/polaris";
import { z } from "zod";
import { db } from "~/db.server";
import { env } from "~/env.server";
import { destroyMerchantCookieSession, requireMerchant } from "~/merchant.server";
import { importFinancialStatuses, logOutEverywhere, saveFromAddress, saveImportSettings, syncIntervalMinutes } from "~/core/shops.server";
import { readFormData } from "~/body-limit.server";
import { getRuntime } from "~/runtime.server";
import { fromAddressFormValues, parseFromAddress, type FromAddressErrors, type FromAddressValues } from "~/core/from-address";
import { FromAddressForm, FROM_ADDRESS_INTENT } from "~/components/FromAddressForm";
import { useI18n } from "~/i18n/react";
import { t as translate } from "~/i18n";

const PAID_STATES = ["paid", "partially_paid", "authorized"] as const;
const IMPORT_INTENT = "import";
const LOGOUT_EVERYWHERE_INTENT = "logout-everywhere";

export async function loader({ request }: LoaderFunctionArgs) {
  const merchant = await requireMerchant(request);
  return {
    address: fromAddressFormValues(merchant.shop.fromAddress),
    paidStates: importFinancialStatuses(merchant.shop),
    syncIntervalMinutes: syncIntervalMinutes(merchant.shop, env.SYNC_INTERVAL_MINUTES),
    /** Koppel's own cookie session (not Shopify's admin): it can be revoked everywhere. */
    cookieSession: !merchant.embedded,
  };
}

type SettingsActionResult =
  | { intent: "from-address"; saved: true }
  | { intent: "from-address"; saved: false; errors: FromAddressErrors; values: FromAddressValues }
  | { intent: "import"; saved: true }
  | { intent: "import"; saved: false; errors: { paidStates?: string; syncIntervalMinutes?: string } }
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
    });
    return { intent: "import", saved: true };
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
              {addressResult?.saved ? <Banner tone="success">{t("fromAddress.saved")}</Banner> : null}
              <FromAddressForm
                key={JSON.stringify(data.address)}
                initialValues={addressResult && !addressResult.saved ? addressResult.values : data.address}
                errors={addressResult && !addressResult.saved ? addressResult.errors : undefined}
                submitLabel={t("fromAddress.submit.save")}
              />
            </BlockStack>
          </Card>
        </Layout.AnnotatedSection>
        <Layout.AnnotatedSection title={t("settings.import.title")} description={t("settings.import.intro")}>
          <Card>
            <ImportSettingsForm
              key={`${data.paidStates.join(",")}|${data.syncIntervalMinutes}`}
              paidStates={data.paidStates}
              interval={data.syncIntervalMinutes}
              saved={Boolean(importResult?.saved)}
              errors={importResult && !importResult.saved ? importResult.errors : {}}
            />
          </Card>
        </Layout.AnnotatedSection>
        {data.cookieSession ? (
          <Layout.AnnotatedSection title={t("settings.sessions.title")} description={t("settings.sessions.intro")}>
            <Card>
              <RemixForm method="post">
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
  interval: number;
  saved: boolean;
  errors: { paidStates?: string; syncIntervalMinutes?: string };
}) {
  const { t } = useI18n();
  const submit = useSubmit();
  const navigation = useNavigation();
  const [states, setStates] = useState<string[]>(props.paidStates);
  const [interval, setIntervalValue] = useState(String(props.interval));
  const submitting = navigation.state === "submitting" && navigation.formData?.get("intent") === IMPORT_INTENT;

  return (
    <Form method="post" onSubmit={(e) => submit(e.currentTarget, { method: "post" })}>
      <input type="hidden" name="intent" value={IMPORT_INTENT} />
      {states.map((s) => (
        <input key={s} type="hidden" name="paidStates" value={s} />
      ))}
      <BlockStack gap="400">
        {props.saved ? <Banner tone="success">{t("settings.import.saved")}</Banner> : null}
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
