// "Verzendregels": the list of rules in order with arrows, switch and delete, the default rule at the bottom, the
// editor (RuleEditor) for a new or an existing rule, and the shop's default item weight. Usable at 390 px.
import { useEffect, useState } from "react";
import { useFetcher } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Button, ButtonGroup, Card, FormLayout, InlineStack, Layout, Page, Text, TextField } from "@shopify/polaris";
import { ArrowDownIcon, ArrowUpIcon } from "@shopify/polaris-icons";
import { useI18n } from "~/i18n/react";
import type { ShippingRule } from "~/core/rules/rule";
import type { RulesActionResult } from "~/routes/app.rules";
import { RuleEditor } from "./RuleEditor";
import { ruleSummary } from "./rule-summary";

export type RulesPageData = {
  rules: ShippingRule[];
  services: { code: string; description: string }[];
  defaults: { service: string; packageType: string } | null;
  defaultItemWeightGrams: number;
  preview: {
    byRule: Record<number, { matches: number; chosen: number }>;
    byDefault: number;
    total: number;
  } | null;
  toShip: number;
  capped: boolean;
};

export function RulesPage({ data }: { data: RulesPageData }) {
  const { t } = useI18n();
  const [editing, setEditing] = useState<ShippingRule | "new" | null>(null);
  const row = useFetcher<RulesActionResult>();
  const settings = useFetcher<RulesActionResult>();
  const [itemWeight, setItemWeight] = useState(String(data.defaultItemWeightGrams || ""));
  useEffect(() => setItemWeight(String(data.defaultItemWeightGrams || "")), [data.defaultItemWeightGrams]);
  const settingsError = settings.data?.intent === "settings" && !settings.data.ok ? settings.data.errors.defaultItemWeightGrams : undefined;
  const serviceName = (code: string | null | undefined) => (code ? data.services.find((s) => s.code === code)?.description || code : null);

  const post = (fields: Record<string, string>) => row.submit(fields, { method: "post", action: "/app/rules" });

  return (
    <Page
      title={t("rules.title")}
      primaryAction={
        editing
          ? undefined
          : {
              content: t("rules.add"),
              onAction: () => setEditing("new"),
              disabled: !data.defaults,
            }
      }
    >
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {/* Cards run edge to edge on a phone; the text beside them keeps a margin. */}
            <Box paddingInline={{ xs: "400", sm: "0" }}>
              <Text as="p" tone="subdued">
                {t("rules.intro")}
              </Text>
            </Box>
            {!data.defaults ? <Banner tone="warning">{t("rules.noCarrier")}</Banner> : null}
            {editing ? (
              <RuleEditor
                key={editing === "new" ? "new" : editing.id}
                rule={editing === "new" ? null : editing}
                services={data.services}
                total={data.toShip}
                onDone={() => setEditing(null)}
              />
            ) : null}
            {data.rules.length === 0 && !editing ? (
              <Card>
                <Text as="p">{t("rules.empty")}</Text>
              </Card>
            ) : null}
            {data.rules.map((r, i) => {
              const p = data.preview?.byRule[r.id];
              return (
                <Card key={r.id}>
                  <BlockStack gap="200">
                    <InlineStack align="space-between" blockAlign="start" gap="200">
                      <BlockStack gap="100">
                        <InlineStack gap="200" blockAlign="center">
                          <Text as="h2" variant="headingSm">
                            {`${i + 1}. ${r.name}`}
                          </Text>
                          {r.enabled ? <Badge tone="success">{t("rules.enabled")}</Badge> : <Badge>{t("rules.disabled")}</Badge>}
                        </InlineStack>
                        <Text as="p" breakWord>
                          {ruleSummary(t, r, serviceName)}
                        </Text>
                        {p ? (
                          <Text as="p" tone="subdued" variant="bodySm">
                            {t("rules.preview", {
                              count: p.matches,
                              total: data.toShip,
                            })}
                            {r.enabled && p.chosen !== p.matches
                              ? ` ${t("rules.previewChosen", {
                                  count: p.chosen,
                                })}`
                              : ""}
                          </Text>
                        ) : null}
                      </BlockStack>
                      <ButtonGroup>
                        <Button
                          icon={ArrowUpIcon}
                          accessibilityLabel={t("rules.up", { name: r.name })}
                          disabled={i === 0}
                          onClick={() =>
                            post({
                              intent: "move",
                              id: String(r.id),
                              direction: "up",
                            })
                          }
                        />
                        <Button
                          icon={ArrowDownIcon}
                          accessibilityLabel={t("rules.down", { name: r.name })}
                          disabled={i === data.rules.length - 1}
                          onClick={() =>
                            post({
                              intent: "move",
                              id: String(r.id),
                              direction: "down",
                            })
                          }
                        />
                      </ButtonGroup>
                    </InlineStack>
                    <InlineStack gap="200" wrap>
                      <Button size="slim" onClick={() => setEditing(r)} accessibilityLabel={`${t("rules.edit")} ${r.name}`}>
                        {t("rules.edit")}
                      </Button>
                      <Button
                        size="slim"
                        onClick={() =>
                          post({
                            intent: "toggle",
                            id: String(r.id),
                            enabled: String(!r.enabled),
                          })
                        }
                        accessibilityLabel={`${r.enabled ? t("rules.disable") : t("rules.enable")} ${r.name}`}
                      >
                        {r.enabled ? t("rules.disable") : t("rules.enable")}
                      </Button>
                      <Button
                        size="slim"
                        tone="critical"
                        variant="plain"
                        onClick={() => post({ intent: "delete", id: String(r.id) })}
                        accessibilityLabel={`${t("rules.delete")} ${r.name}`}
                      >
                        {t("rules.delete")}
                      </Button>
                    </InlineStack>
                  </BlockStack>
                </Card>
              );
            })}
            {data.defaults ? (
              <Card background="bg-surface-secondary">
                <BlockStack gap="100">
                  <Text as="h2" variant="headingSm">
                    {t("rules.default")}
                  </Text>
                  <Text as="p">
                    {t("rules.defaultSummary", {
                      service: serviceName(data.defaults.service) ?? "",
                      packageType: t(`packageType.${data.defaults.packageType}`),
                    })}
                  </Text>
                  {data.preview ? (
                    <Text as="p" tone="subdued" variant="bodySm">
                      {t("rules.previewDefault", {
                        count: data.preview.byDefault,
                        total: data.toShip,
                      })}
                    </Text>
                  ) : null}
                </BlockStack>
              </Card>
            ) : null}
            {data.capped ? (
              <Text as="p" tone="subdued">
                {t("rules.capped", { count: data.toShip })}
              </Text>
            ) : null}
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <Card>
              {/* noValidate: Koppel's own (Dutch or English) message at the field, not the browser's bubble. */}
              <settings.Form method="post" action="/app/rules" noValidate>
                <input type="hidden" name="intent" value="settings" />
                <FormLayout>
                  <TextField
                    label={t("rules.itemWeight")}
                    helpText={t("rules.itemWeight.help")}
                    inputMode="numeric"
                    name="defaultItemWeightGrams"
                    value={itemWeight}
                    onChange={setItemWeight}
                    suffix="g"
                    autoComplete="off"
                    error={settingsError}
                  />
                  <Box>
                    <Button submit loading={settings.state !== "idle"}>
                      {t("rules.save")}
                    </Button>
                  </Box>
                  {settings.data?.intent === "settings" && settings.data.ok && settings.state === "idle" ? (
                    <Text as="p" tone="success">
                      {t("rules.settingsSaved")}
                    </Text>
                  ) : null}
                </FormLayout>
              </settings.Form>
            </Card>
            <Card>
              <Button url="/app/field-mapping" variant="plain">
                {t("mapping.link")}
              </Button>
            </Card>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
