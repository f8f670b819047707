// Adding or changing one shipping rule: conditions (empty = any), the action, and a live preview of how many orders to
// ship its conditions match. Saved through the rules page's action; the server checks it again (RuleInput).
import { useEffect, useMemo, useState } from "react";
import { useFetcher, useRevalidator } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, Checkbox, FormLayout, InlineGrid, InlineStack, Select, Text, TextField } from "@shopify/polaris";
import { useI18n } from "~/i18n/react";
import { RuleConditions, RuleInput, type ShippingRule } from "~/core/rules/rule";
import { EMPTY_RULE_FORM, formFromRule, ruleFromForm, type RuleForm } from "~/core/rules/rule-form";
import type { RulesActionResult } from "~/routes/app.rules";
import type { RulePreviewResult } from "~/routes/app.rule-preview";

const PACKAGE_TYPES = ["envelop", "document", "package", "pallet-euro", "pallet-block", "pallet-mini", "pallet-other"] as const;

export function RuleEditor(props: { rule: ShippingRule | null; services: { code: string; description: string }[]; total: number; onDone: () => void }) {
  const { t } = useI18n();
  const [f, setF] = useState<RuleForm>(props.rule ? formFromRule(props.rule) : EMPTY_RULE_FORM);
  const save = useFetcher<RulesActionResult>();
  const preview = useFetcher<RulePreviewResult>();
  const revalidator = useRevalidator();
  const set = <K extends keyof RuleForm>(k: K) => (v: RuleForm[K]) => setF((prev) => ({ ...prev, [k]: v }));

  const draft = useMemo(() => ruleFromForm(f), [f]);
  const checked = RuleInput.safeParse(draft);
  const conditionsOk = RuleConditions.safeParse(draft.conditions);
  const conditionsJson = JSON.stringify(draft.conditions);

  // Live preview: the conditions as typed, counted against the orders to ship once the typing settles; one load at a
  // time (a new one waits for the last answer instead of aborting it).
  const [wanted, setWanted] = useState<string | null>(null);
  const [sent, setSent] = useState<string | null>(null);
  useEffect(() => {
    if (!conditionsOk.success) return;
    const timer = setTimeout(() => setWanted(conditionsJson), 250);
    return () => clearTimeout(timer);
  }, [conditionsJson]);
  useEffect(() => {
    if (wanted === null || wanted === sent || preview.state !== "idle") return;
    setSent(wanted);
    preview.load(`/app/rule-preview?${new URLSearchParams({ conditions: wanted })}`);
  }, [wanted, sent, preview.state]);

  useEffect(() => {
    if (save.state === "idle" && save.data?.intent === "save" && save.data.ok) {
      revalidator.revalidate();
      props.onDone();
    }
  }, [save.state, save.data]);

  const submit = () => {
    const fields: Record<string, string> = { intent: "save", rule: JSON.stringify(draft) };
    if (props.rule) fields.id = String(props.rule.id);
    save.submit(fields, { method: "post", action: "/app/rules" });
  };
  const p = preview.data?.ok ? preview.data : null;
  const saveError = save.state === "idle" && save.data?.intent === "save" && !save.data.ok ? save.data : null;

  return (
    <Card>
      <BlockStack gap="400">
        <Text as="h2" variant="headingMd">
          {props.rule ? t("rules.editor.editTitle", { name: props.rule.name }) : t("rules.editor.newTitle")}
        </Text>
        {saveError ? <Banner tone="critical">{saveError.reason === "too_many" ? t("rules.editor.tooMany", { max: saveError.detail ?? "" }) : t("rules.editor.invalid")}</Banner> : null}
        <FormLayout>
          <TextField label={t("rules.editor.name")} value={f.name} onChange={set("name")} autoComplete="off" maxLength={200} requiredIndicator />
          <Text as="h3" variant="headingSm">
            {t("rules.editor.when")}
          </Text>
          <TextField label={t("rules.editor.countries")} helpText={t("rules.editor.countries.help")} value={f.countries} onChange={set("countries")} autoComplete="off" />
          <InlineGrid columns={2} gap="200">
            <TextField label={t("rules.editor.weightMin")} type="number" min={0} suffix="g" value={f.weightMin} onChange={set("weightMin")} autoComplete="off" />
            <TextField label={t("rules.editor.weightMax")} type="number" min={0} suffix="g" value={f.weightMax} onChange={set("weightMax")} autoComplete="off" />
          </InlineGrid>
          <InlineGrid columns={2} gap="200">
            <TextField label={t("rules.editor.itemsMin")} type="number" min={0} value={f.itemsMin} onChange={set("itemsMin")} autoComplete="off" />
            <TextField label={t("rules.editor.itemsMax")} type="number" min={0} value={f.itemsMax} onChange={set("itemsMax")} autoComplete="off" />
          </InlineGrid>
          <InlineGrid columns={2} gap="200">
            <TextField label={t("rules.editor.totalMin")} type="number" min={0} prefix="€" value={f.totalMin} onChange={set("totalMin")} autoComplete="off" />
            <TextField label={t("rules.editor.totalMax")} type="number" min={0} prefix="€" value={f.totalMax} onChange={set("totalMax")} autoComplete="off" />
          </InlineGrid>
          <TextField label={t("rules.editor.tags")} helpText={t("rules.editor.tags.help")} value={f.tags} onChange={set("tags")} autoComplete="off" />
          <TextField label={t("rules.editor.sku")} value={f.skuContains} onChange={set("skuContains")} autoComplete="off" />
          <TextField label={t("rules.editor.method")} value={f.shippingMethodContains} onChange={set("shippingMethodContains")} autoComplete="off" />
          <Text as="p" tone={conditionsOk.success ? "subdued" : "critical"}>
            {!conditionsOk.success ? t("rules.editor.conditionsInvalid") : p ? t("rules.preview", { count: p.matches, total: p.total }) : "…"}
          </Text>
          <Text as="h3" variant="headingSm">
            {t("rules.editor.then")}
          </Text>
          <Select
            label={t("rules.editor.action")}
            options={[
              { label: t("rules.editor.action.label"), value: "label" },
              { label: t("rules.editor.action.skip"), value: "skip" },
            ]}
            value={f.action}
            onChange={(v) => set("action")(v as RuleForm["action"])}
          />
          {f.action === "label" ? (
            <>
              <Select
                label={t("labels.modal.service")}
                options={[{ label: t("rules.sum.defaultService"), value: "" }, ...props.services.map((s) => ({ label: s.description || s.code, value: s.code }))]}
                value={f.service}
                onChange={set("service")}
              />
              <Select
                label={t("labels.modal.packageType")}
                options={[{ label: t("rules.sum.defaultPackageType"), value: "" }, ...PACKAGE_TYPES.map((x) => ({ label: t(`packageType.${x}`), value: x }))]}
                value={f.packageType}
                onChange={set("packageType")}
              />
              <Select
                label={t("labels.modal.colli")}
                options={[
                  { label: t("rules.editor.colli.fixed"), value: "fixed" },
                  { label: t("rules.editor.colli.perKg"), value: "perKg" },
                ]}
                value={f.colliMode}
                onChange={(v) => set("colliMode")(v as RuleForm["colliMode"])}
              />
              {f.colliMode === "fixed" ? (
                <TextField label={t("rules.editor.colliCount")} type="number" min={1} max={10} value={f.colliCount} onChange={set("colliCount")} autoComplete="off" />
              ) : (
                <TextField label={t("rules.editor.colliKg")} type="number" min={0.1} suffix="kg" value={f.colliKg} onChange={set("colliKg")} autoComplete="off" />
              )}
              <InlineGrid columns={3} gap="200">
                <TextField label={t("rules.editor.length")} type="number" min={1} suffix="cm" value={f.lengthCm} onChange={set("lengthCm")} autoComplete="off" />
                <TextField label={t("rules.editor.width")} type="number" min={1} suffix="cm" value={f.widthCm} onChange={set("widthCm")} autoComplete="off" />
                <TextField label={t("rules.editor.height")} type="number" min={1} suffix="cm" value={f.heightCm} onChange={set("heightCm")} autoComplete="off" />
              </InlineGrid>
              <Text as="p" tone="subdued" variant="bodySm">
                {t("rules.editor.dimensions.help")}
              </Text>
            </>
          ) : null}
          <Checkbox label={t("rules.enabled")} checked={f.enabled} onChange={set("enabled")} />
        </FormLayout>
        <InlineStack gap="200" align="end">
          <Button onClick={props.onDone}>{t("orders.cancel")}</Button>
          <Button variant="primary" onClick={submit} disabled={!checked.success} loading={save.state !== "idle"}>
            {t("rules.save")}
          </Button>
        </InlineStack>
      </BlockStack>
    </Card>
  );
}
