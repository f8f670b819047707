// A rule as the "Verzendregels" form holds it (text fields) and back: empty fields are "no condition". Shared by the page
// and its tests; the server checks the result with RuleInput again.
import type { PackageType } from "../ports";
import type { RuleDraft, ShippingRule } from "./rule";

export type RuleForm = {
  name: string;
  enabled: boolean;
  countries: string;
  weightMin: string;
  weightMax: string;
  itemsMin: string;
  itemsMax: string;
  totalMin: string;
  totalMax: string;
  tags: string;
  skuContains: string;
  shippingMethodContains: string;
  action: "label" | "skip";
  /** "" = the connection's default. */
  service: string;
  packageType: string;
  colliMode: "fixed" | "perKg";
  colliCount: string;
  colliKg: string;
  /** Parcel size in cm; all three empty = none. */
  lengthCm: string;
  widthCm: string;
  heightCm: string;
};

export const EMPTY_RULE_FORM: RuleForm = {
  name: "",
  enabled: true,
  countries: "",
  weightMin: "",
  weightMax: "",
  itemsMin: "",
  itemsMax: "",
  totalMin: "",
  totalMax: "",
  tags: "",
  skuContains: "",
  shippingMethodContains: "",
  action: "label",
  service: "",
  packageType: "",
  colliMode: "fixed",
  colliCount: "1",
  colliKg: "10",
  lengthCm: "",
  widthCm: "",
  heightCm: "",
};

const list = (s: string) => s.split(/[,;\n]/).map((x) => x.trim()).filter(Boolean);
/** "" → absent; "2,5" → 2.5; not a number → NaN (RuleInput refuses it). */
const num = (s: string) => (s.trim() === "" ? null : Number(s.trim().replace(",", ".")));
const int = (s: string) => {
  const n = num(s);
  return n === null ? null : Number.isFinite(n) ? Math.round(n) : n;
};

export function ruleFromForm(f: RuleForm): RuleDraft {
  const countries = list(f.countries).map((c) => c.toUpperCase());
  const tags = list(f.tags);
  return {
    name: f.name.trim(),
    enabled: f.enabled,
    conditions: {
      ...(countries.length ? { countries } : {}),
      weightMinGrams: int(f.weightMin),
      weightMaxGrams: int(f.weightMax),
      itemsMin: int(f.itemsMin),
      itemsMax: int(f.itemsMax),
      totalMin: num(f.totalMin),
      totalMax: num(f.totalMax),
      ...(tags.length ? { tags } : {}),
      skuContains: f.skuContains.trim() || null,
      shippingMethodContains: f.shippingMethodContains.trim() || null,
    },
    action:
      f.action === "skip"
        ? { kind: "skip" }
        : {
            kind: "label",
            service: f.service || null,
            packageType: (f.packageType || null) as PackageType | null,
            colli: f.colliMode === "perKg" ? { mode: "perKg", kg: num(f.colliKg) ?? NaN } : { mode: "fixed", count: int(f.colliCount) ?? 1 },
            // Partly filled in: NaN where empty, so RuleInput refuses it (all three or none).
            dimensions:
              [f.lengthCm, f.widthCm, f.heightCm].every((v) => v.trim() === "")
                ? null
                : { lengthCm: int(f.lengthCm) ?? NaN, widthCm: int(f.widthCm) ?? NaN, heightCm: int(f.heightCm) ?? NaN },
          },
  };
}

const str = (v: number | null | undefined) => (v === null || v === undefined ? "" : String(v));

export function formFromRule(r: ShippingRule): RuleForm {
  const c = r.conditions;
  const a = r.action;
  return {
    name: r.name,
    enabled: r.enabled,
    countries: (c.countries ?? []).join(", "),
    weightMin: str(c.weightMinGrams),
    weightMax: str(c.weightMaxGrams),
    itemsMin: str(c.itemsMin),
    itemsMax: str(c.itemsMax),
    totalMin: str(c.totalMin),
    totalMax: str(c.totalMax),
    tags: (c.tags ?? []).join(", "),
    skuContains: c.skuContains ?? "",
    shippingMethodContains: c.shippingMethodContains ?? "",
    action: a.kind,
    service: a.kind === "label" ? (a.service ?? "") : "",
    packageType: a.kind === "label" ? (a.packageType ?? "") : "",
    colliMode: a.kind === "label" ? a.colli.mode : "fixed",
    colliCount: a.kind === "label" && a.colli.mode === "fixed" ? String(a.colli.count) : "1",
    colliKg: a.kind === "label" && a.colli.mode === "perKg" ? String(a.colli.kg) : "10",
    lengthCm: a.kind === "label" && a.dimensions ? String(a.dimensions.lengthCm) : "",
    widthCm: a.kind === "label" && a.dimensions ? String(a.dimensions.widthCm) : "",
    heightCm: a.kind === "label" && a.dimensions ? String(a.dimensions.heightCm) : "",
  };
}
