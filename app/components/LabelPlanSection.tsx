// The label dialog's choice per order by the shipping rules: the orders grouped by the service their rule chose
// ("42 × PostNL Pakket, 12 × Brievenbuspakje"), which rules chose it, the carrier's price per group and in total, each
// group changeable (service, number of labels, format, each parcel's size; empty size = as the rule says). One group
// shows its fields at once; a "no label" group can be labelled anyway. Every change loads the plan again
// (/app/label-plan): first without prices (the button can be used at once), then with the carrier's prices for that
// choice. A size that is not one (Koppel's own check, at the fields) loads nothing and holds the button.
import { useEffect, useMemo, useState } from "react";
import { Banner, BlockStack, Box, Button, Collapsible, FormLayout, InlineError, InlineGrid, InlineStack, List, Select, Spinner, Text, TextField } from "@shopify/polaris";
import { useFetcher } from "@remix-run/react";
import { useI18n } from "~/i18n/react";
import { ReasonText } from "~/components/ReasonText";
import { RefusalText } from "~/components/LabelRulesResult";
import type { LabelPlanResult } from "~/routes/app.label-plan";
import type { GroupOverride } from "~/core/rules/plan.server";
import { DIMENSION_FIELDS, dimensionsFromFields, type DimensionFields } from "~/core/rules/overrides";
import { PARCEL_MAX_CM, type ParcelDimensions } from "~/core/rules/rule";

const PACKAGE_TYPES = ["envelop", "document", "package", "pallet-euro", "pallet-block", "pallet-mini", "pallet-other"] as const;
const MAX_COLLI = 10;
const RULE = "rule";

export type LabelSelection = { ids: string[]; matching: { status: string; q: string; label?: string } | null };
/** A group's fields as shown; the size as typed ("" = as the rule says), `sizeTouched` once a size field was left. */
type Edit = { on: boolean; service: string; packageType: string; colli: string; sizeTouched?: boolean } & DimensionFields;
type PlanOk = Extract<LabelPlanResult, { ok: true }>;

const NO_SIZE: DimensionFields = { lengthCm: "", widthCm: "", heightCm: "" };
const SIZE_LABEL = { lengthCm: "rules.editor.length", widthCm: "rules.editor.width", heightCm: "rules.editor.height" } as const;

/** The groups the merchant changed, as the plan and "Label aanmaken" take them; `valid` false while a size is not one. */
function overridesOf(edits: Record<string, Edit>): { overrides: Record<string, GroupOverride>; valid: boolean } {
  const overrides: Record<string, GroupOverride> = {};
  let valid = true;
  for (const [group, e] of Object.entries(edits)) {
    if (!e.on) continue;
    const size = dimensionsFromFields(e);
    if (!size.ok) valid = false;
    overrides[group] = {
      service: e.service === RULE ? null : e.service,
      packageType: e.packageType === RULE ? null : (e.packageType as GroupOverride["packageType"]),
      colli: e.colli === RULE ? null : Number(e.colli),
      dimensions: size.ok ? size.dimensions : null,
    };
  }
  return { overrides, valid };
}

const sizeText = (d: ParcelDimensions) => `${d.lengthCm} × ${d.widthCm} × ${d.heightCm} cm`;

export function LabelPlanSection(props: {
  open: boolean;
  selection: LabelSelection | null;
  services: { code: string; description: string }[];
  defaultService: string;
  defaultPackageType: string;
  /** The overrides to send with "Label aanmaken", and whether the plan is there (the button waits for it). */
  onChange: (overrides: Record<string, GroupOverride>, ready: boolean) => void;
}) {
  const { t, locale } = useI18n();
  const fetcher = useFetcher<LabelPlanResult>();
  const priceFetcher = useFetcher<LabelPlanResult>();
  const [edits, setEdits] = useState<Record<string, Edit>>({});
  const [plan, setPlan] = useState<PlanOk | null>(null);
  const [showOrders, setShowOrders] = useState(false);
  const money = (n: number, currency = "EUR") => new Intl.NumberFormat(locale === "en" ? "en-NL" : "nl-NL", { style: "currency", currency }).format(n);
  const serviceName = (code: string) => props.services.find((s) => s.code === code)?.description || code;

  const { overrides, valid } = useMemo(() => overridesOf(edits), [edits]);

  const load = (o: Record<string, GroupOverride>, withPrices: boolean) => {
    if (!props.selection) return;
    const form = new URLSearchParams();
    if (props.selection.matching) {
      form.set("scope", "matching");
      form.set("status", props.selection.matching.status);
      form.set("q", props.selection.matching.q);
      if (props.selection.matching.label) form.set("label", props.selection.matching.label);
    } else props.selection.ids.forEach((id) => form.append("ids", id));
    form.set("overrides", JSON.stringify(o));
    form.set("prices", withPrices ? "1" : "0");
    (withPrices ? priceFetcher : fetcher).load(`/app/label-plan?${form.toString()}`);
  };

  // The plan to ask for, and the one asked last: a new request waits until the previous answered (none is aborted,
  // and the last change always gets its answer).
  const [wanted, setWanted] = useState<{ n: number; overrides: Record<string, GroupOverride> } | null>(null);
  const [sent, setSent] = useState(0);
  useEffect(() => {
    if (!wanted || wanted.n === sent || fetcher.state !== "idle") return;
    setSent(wanted.n);
    load(wanted.overrides, false);
  }, [wanted, sent, fetcher.state]);

  // The prices of the plan on screen, asked once it is there (the same one at a time).
  const [planN, setPlanN] = useState(0);
  const [priceSent, setPriceSent] = useState(0);
  const [priced, setPriced] = useState<{ n: number; data: PlanOk } | null>(null);
  useEffect(() => {
    if (!wanted || planN !== wanted.n || priceSent === planN || priceFetcher.state !== "idle") return;
    setPriceSent(planN);
    load(wanted.overrides, true);
  }, [wanted, planN, priceSent, priceFetcher.state]);
  useEffect(() => {
    const d = priceFetcher.data;
    if (priceFetcher.state === "idle" && d?.ok) setPriced({ n: priceSent, data: d });
  }, [priceFetcher.state, priceFetcher.data]);

  // Every opening starts from the rules.
  useEffect(() => {
    if (!props.open) return;
    setEdits({});
    setPlan(null);
    setPriced(null);
    setShowOrders(false);
    setWanted((w) => ({ n: (w?.n ?? 0) + 1, overrides: {} }));
  }, [props.open]);

  useEffect(() => {
    const d = fetcher.data;
    if (fetcher.state !== "idle" || !d || !d.ok) return;
    setPlan(d);
    setPlanN(sent);
    // The fields of each group start at what its rules chose ("as the rule says" where its orders differ).
    setEdits((prev) => {
      const next = { ...prev };
      for (const g of d.groups) {
        if (next[g.group]) continue;
        const inGroup = d.orders.filter((o) => o.group === g.group);
        const same = <T,>(values: T[]) => (values.every((v) => v === values[0]) ? values[0] : undefined);
        const skip = g.group === "skip";
        next[g.group] = {
          on: false,
          service: skip ? props.defaultService : (same(inGroup.map((o) => o.service)) ?? RULE),
          packageType: skip ? props.defaultPackageType : (same(inGroup.map((o) => o.packageType)) ?? RULE),
          colli: skip ? "1" : String(same(inGroup.map((o) => o.colli)) ?? RULE),
          ...NO_SIZE,
        };
      }
      return next;
    });
  }, [fetcher.state, fetcher.data]);

  useEffect(() => {
    props.onChange(overrides, plan !== null && valid);
  }, [overrides, valid, plan]);

  const change = (group: string, patch: Partial<Edit>) => {
    const e = { ...edits[group]!, ...patch, on: true };
    const next = { ...edits, [group]: e };
    setEdits(next);
    // A size being typed that is not one yet: the fields say why; the plan stays as it was.
    const { overrides: o, valid: ok } = overridesOf(next);
    if (ok) setWanted((w) => ({ n: (w?.n ?? 0) + 1, overrides: o }));
  };

  // The group back to its rules: the plan on screen follows, so prices and totals are those of what will be sent.
  const undo = (group: string) => {
    const next = { ...edits, [group]: { ...edits[group]!, on: false } };
    setEdits(next);
    const { overrides: o, valid: ok } = overridesOf(next);
    if (ok) setWanted((w) => ({ n: (w?.n ?? 0) + 1, overrides: o }));
  };

  const failed = fetcher.state === "idle" && fetcher.data && !fetcher.data.ok;
  if (failed) return <Banner tone="critical">{t(fetcher.data?.ok === false && fetcher.data.reason === "bad_dimensions" ? "labels.error.bad_dimensions" : "rules.plan.failed")}</Banner>;
  if (!plan) {
    return (
      <InlineStack gap="200" blockAlign="center">
        <Spinner size="small" />
        <Text as="span">{t("rules.plan.loading")}</Text>
      </InlineStack>
    );
  }

  // With prices once they came for this very plan; the plan alone until then.
  const pricesLoading = !(priced && priced.n === planN);
  const view = !pricesLoading ? priced!.data : plan;
  const single = view.orders.length === 1 ? view.orders[0]! : null;
  const refused = view.orders.filter((o) => o.refusal);
  const priceError = view.orders.find((o) => o.price && !o.price.ok);
  const [firstGroup] = view.groups;
  const alwaysOpen = view.groups.length === 1 && firstGroup?.group !== "skip";

  // Each parcel's size: three whole-cm fields side by side (narrow enough for 390 px), the rule's size as placeholder
  // when the group's orders share one, and one message under them.
  const sizeFields = (group: string, e: Edit, inGroup: PlanOk["orders"]) => {
    const ruleSizes = new Set(inGroup.map((o) => (o.ruleDimensions ? sizeText(o.ruleDimensions) : "")));
    const ruleSize = ruleSizes.size === 1 ? (inGroup[0]?.ruleDimensions ?? null) : undefined;
    const checked = dimensionsFromFields(e);
    const errors = checked.ok ? {} : checked.errors;
    // "missing" only once a size field was left (not while the first one is being typed); a bad number at once.
    const shown = DIMENSION_FIELDS.filter((k) => errors[k] === "number" || (errors[k] === "missing" && e.sizeTouched));
    const idOf = (k: string) => `label-size-${group.replace(/[^\w-]/g, "_")}-${k}`;
    const message = shown.some((k) => errors[k] === "number")
      ? t("rules.plan.dimensions.error.number", { max: PARCEL_MAX_CM })
      : shown.length
        ? t("rules.plan.dimensions.error.missing")
        : null;
    const headingId = idOf("heading");
    return (
      <div role="group" aria-labelledby={headingId}>
        <BlockStack gap="100">
          <Text as="p" id={headingId}>
            {t("rules.plan.dimensions")}
          </Text>
          <InlineGrid columns={3} gap="200">
            {DIMENSION_FIELDS.map((k) => (
              <TextField
                key={k}
                id={idOf(k)}
                label={t(SIZE_LABEL[k])}
                type="text"
                inputMode="numeric"
                suffix="cm"
                autoComplete="off"
                value={e[k]}
                placeholder={ruleSize ? String(ruleSize[k]) : undefined}
                error={shown.includes(k)}
                onChange={(v) => change(group, { [k]: v })}
                onBlur={() => (e.sizeTouched ? undefined : setEdits((all) => ({ ...all, [group]: { ...all[group]!, sizeTouched: true } })))}
              />
            ))}
          </InlineGrid>
          {message ? <InlineError message={message} fieldID={idOf(shown[0]!)} /> : null}
          <Text as="p" tone="subdued" variant="bodySm">
            {t("rules.plan.dimensions.asRule", {
              size: ruleSize ? sizeText(ruleSize) : ruleSize === null ? t("rules.plan.dimensions.ruleNone") : t("rules.plan.dimensions.ruleMixed"),
            })}
          </Text>
        </BlockStack>
      </div>
    );
  };

  const fields = (group: string, e: Edit, mixed: boolean, inGroup: PlanOk["orders"]) => (
    <FormLayout>
      <Select
        label={t("labels.modal.service")}
        options={[...(mixed ? [{ label: t("rules.plan.asRule"), value: RULE }] : []), ...props.services.map((s) => ({ label: s.description || s.code, value: s.code }))]}
        value={e.service}
        onChange={(v) => change(group, { service: v })}
      />
      <Select
        label={t("labels.modal.colli")}
        helpText={t("labels.modal.colli.help", { max: MAX_COLLI })}
        options={[{ label: t("rules.plan.asRule"), value: RULE }, ...Array.from({ length: MAX_COLLI }, (_, i) => ({ label: String(i + 1), value: String(i + 1) }))]}
        value={e.colli}
        onChange={(v) => change(group, { colli: v })}
      />
      <Select
        label={t("labels.modal.packageType")}
        options={[...(mixed ? [{ label: t("rules.plan.asRule"), value: RULE }] : []), ...PACKAGE_TYPES.map((p) => ({ label: t(`packageType.${p}`), value: p }))]}
        value={e.packageType}
        onChange={(v) => change(group, { packageType: v })}
      />
      {sizeFields(group, e, inGroup)}
    </FormLayout>
  );

  return (
    <BlockStack gap="300">
      {single ? (
        <BlockStack gap="100">
          <Text as="p">{single.rule ? t("rules.plan.rule", { rule: single.rule }) : t("rules.plan.ruleDefault")}</Text>
          {single.price?.ok ? <Text as="p" fontWeight="semibold">{t("rules.plan.price", { price: money(single.price.price, single.price.currency) })}</Text> : null}
        </BlockStack>
      ) : null}
      {priceError && !priceError.price!.ok ? (
        <Banner tone="warning">
          <ReasonText
            tone="caution"
            text={single ? t("rules.plan.priceFailed") : t("rules.plan.priceFailedSome", { count: view.priceErrors })}
            detail={priceError.price!.error}
          />
        </Banner>
      ) : null}
      {refused.length ? (
        <Banner tone="warning">
          <List type="bullet">
            {refused.map((o) => (
              <List.Item key={o.orderId}>
                <RefusalText number={o.number} refusal={o.refusal!} serviceName={serviceName} />
              </List.Item>
            ))}
          </List>
        </Banner>
      ) : null}
      {view.groups.map((g) => {
        const e = edits[g.group];
        if (!e) return null;
        const inGroup = view.orders.filter((o) => o.group === g.group);
        const rules = [...new Set(inGroup.map((o) => o.rule ?? t("rules.plan.defaultRule")))].join(", ");
        const skip = g.group === "skip";
        const mixed = !skip && (new Set(inGroup.map((o) => o.packageType)).size > 1 || false);
        const open = alwaysOpen || e.on;
        return (
          <Box key={g.group} padding="300" borderWidth="025" borderColor="border" borderRadius="200">
            <BlockStack gap="200">
              <InlineStack align="space-between" blockAlign="center" gap="200">
                <BlockStack gap="050">
                  <Text as="h3" variant="headingSm">
                    {skip && !e.on ? t("rules.plan.groupSkip", { count: g.count }) : t("rules.plan.group", { count: g.count, service: serviceName(e.on && e.service !== RULE ? e.service : g.group) })}
                  </Text>
                  <Text as="span" tone="subdued" variant="bodySm" breakWord>
                    {skip && !e.on ? t("rules.plan.skipHelp") : e.on ? t("rules.plan.adjusted", { rules }) : t("rules.plan.byRules", { rules })}
                  </Text>
                </BlockStack>
                <InlineStack gap="200" blockAlign="center">
                  {g.total !== null && !(skip && !e.on) && !single ? <Text as="span" fontWeight="semibold">{money(g.total, view.currency)}</Text> : null}
                  {!alwaysOpen ? (
                    <Button
                      size="slim"
                      onClick={() => (e.on ? undo(g.group) : change(g.group, {}))}
                      accessibilityLabel={`${e.on ? t("rules.plan.adjustDone") : skip ? t("rules.plan.labelAnyway") : t("rules.plan.adjust")} ${g.group}`}
                    >
                      {e.on ? t("rules.plan.adjustDone") : skip ? t("rules.plan.labelAnyway") : t("rules.plan.adjust")}
                    </Button>
                  ) : null}
                </InlineStack>
              </InlineStack>
              {open ? fields(g.group, e, mixed, inGroup) : null}
            </BlockStack>
          </Box>
        );
      })}
      {pricesLoading ? (
        <InlineStack gap="200" blockAlign="center">
          <Spinner size="small" />
          <Text as="span" tone="subdued">
            {t("rules.plan.pricesLoading")}
          </Text>
        </InlineStack>
      ) : null}
      {view.total !== null && !single ? <Text as="p" variant="headingSm">{t("rules.plan.total", { price: money(view.total, view.currency) })}</Text> : null}
      {!single ? (
        <BlockStack gap="100">
          <div>
            <Button variant="plain" onClick={() => setShowOrders(!showOrders)} ariaExpanded={showOrders} ariaControls="label-plan-orders">
              {t("rules.plan.perOrder")}
            </Button>
          </div>
          <Collapsible id="label-plan-orders" open={showOrders}>
            <List type="bullet">
              {view.orders.map((o) => (
                <List.Item key={o.orderId}>
                  <Text as="span" breakWord>
                    {t("rules.plan.perOrderLine", {
                      number: o.number,
                      service: o.service ? serviceName(o.service) : "—",
                      colli: o.colli ?? 0,
                      rule: o.rule ?? t("rules.plan.defaultRule"),
                    })}
                    {o.price?.ok ? ` · ${money(o.price.price, o.price.currency)}` : ""}
                  </Text>
                </List.Item>
              ))}
            </List>
          </Collapsible>
        </BlockStack>
      ) : null}
    </BlockStack>
  );
}
