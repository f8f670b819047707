// One line saying what a rule does: "Als land NL en gewicht tot 2 kg → PostNL Brievenbuspakje, envelop, 1 label".
import type { Translate } from "~/i18n/react";
import type { ShippingRule } from "~/core/rules/rule";

export function ruleSummary(t: Translate, r: ShippingRule, serviceName: (code: string | null | undefined) => string | null): string {
  const c = r.conditions;
  const parts: string[] = [];
  const range = (min: number | null | undefined, max: number | null | undefined, key: string, fmt: (n: number) => string = String) => {
    if (min != null && max != null) parts.push(t(`rules.sum.${key}.between`, { min: fmt(min), max: fmt(max) }));
    else if (min != null) parts.push(t(`rules.sum.${key}.min`, { min: fmt(min) }));
    else if (max != null) parts.push(t(`rules.sum.${key}.max`, { max: fmt(max) }));
  };
  if (c.countries?.length) parts.push(t("rules.sum.countries", { countries: c.countries.join(", ") }));
  range(c.weightMinGrams, c.weightMaxGrams, "weight", (g) => `${g} g`);
  range(c.itemsMin, c.itemsMax, "items");
  range(c.totalMin, c.totalMax, "total", (n) => `€ ${n}`);
  if (c.tags?.length) parts.push(t("rules.sum.tags", { tags: c.tags.join(", ") }));
  if (c.skuContains) parts.push(t("rules.sum.sku", { text: c.skuContains }));
  if (c.shippingMethodContains) parts.push(t("rules.sum.method", { text: c.shippingMethodContains }));
  const when = parts.length ? t("rules.sum.when", { conditions: parts.join(t("rules.sum.and")) }) : t("rules.sum.always");
  const a = r.action;
  const then =
    a.kind === "skip"
      ? t("rules.sum.skip")
      : t("rules.sum.label", {
          service: serviceName(a.service) ?? t("rules.sum.defaultService"),
          packageType: a.packageType ? t(`packageType.${a.packageType}`) : t("rules.sum.defaultPackageType"),
          colli: a.colli.mode === "fixed" ? t("rules.sum.colliFixed", { count: a.colli.count }) : t("rules.sum.colliPerKg", { kg: a.colli.kg }),
        });
  const size = a.kind === "label" && a.dimensions ? `, ${a.dimensions.lengthCm}×${a.dimensions.widthCm}×${a.dimensions.heightCm} cm` : "";
  return `${when} → ${then}${size}`;
}
