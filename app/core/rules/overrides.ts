// The dialog's per-group overrides as they travel in a form field (JSON): checked here, for the plan route and the
// label action alike, and the dialog's parcel-size fields read into one. Shared by server and browser.
import { z } from "zod";
import { PACKAGE_TYPES } from "../ports";
import { ParcelDimensions, PARCEL_MAX_CM, RULE_MAX_COLLI } from "./rule";
import type { GroupOverride } from "./plan.server";

const Override = z.object({
  service: z.string().trim().min(1).max(200).nullable(),
  packageType: z.enum(PACKAGE_TYPES).nullable(),
  colli: z.number().int().min(1).max(RULE_MAX_COLLI).nullable(),
  /** Each parcel's size, the same shape and limits as a rule's; absent or null = as the rule says. */
  dimensions: ParcelDimensions.nullish(),
});
const Overrides = z.record(z.string().max(200), Override).refine((o) => Object.keys(o).length <= 100);

/** Why overrides are refused: unreadable, or a parcel size outside whole 1–1000 cm (`group`: whose). */
export type OverridesRefusal = { reason: "invalid" } | { reason: "bad_dimensions"; group: string };

/** Absent or empty → {}; else the overrides, or why not. */
export function readGroupOverrides(value: FormDataEntryValue | null): { ok: true; overrides: Record<string, GroupOverride> } | ({ ok: false } & OverridesRefusal) {
  if (value === null || value === "") return { ok: true, overrides: {} };
  if (typeof value !== "string" || value.length > 50_000) return { ok: false, reason: "invalid" };
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch {
    return { ok: false, reason: "invalid" };
  }
  const parsed = Overrides.safeParse(json);
  if (parsed.success) return { ok: true, overrides: parsed.data };
  // Only the size is wrong: say so (the dialog checks its fields first; this is for whoever posts past it).
  const issues = parsed.error.issues;
  if (issues.every((i) => i.path.length >= 2 && i.path[1] === "dimensions")) return { ok: false, reason: "bad_dimensions", group: String(issues[0]!.path[0]) };
  return { ok: false, reason: "invalid" };
}

/** The dialog's three size fields as typed. */
export type DimensionFields = { lengthCm: string; widthCm: string; heightCm: string };
export const DIMENSION_FIELDS = ["lengthCm", "widthCm", "heightCm"] as const;
/** Per field: not whole centimetres 1–1000 ("number"), or empty while another is filled in ("missing"). */
export type DimensionFieldError = "number" | "missing";

/**
 * The size fields of a group: all three empty → null (as the rule says); all three whole centimetres 1–1000 → the
 * size; anything else → the error per field. Strict: "40,5", "1e2" or "40 cm" is not a size (Koppel checks what was
 * typed, not what a number field would make of it).
 */
export function dimensionsFromFields(
  f: DimensionFields,
): { ok: true; dimensions: ParcelDimensions | null } | { ok: false; errors: Partial<Record<keyof DimensionFields, DimensionFieldError>> } {
  const values = DIMENSION_FIELDS.map((k) => f[k].trim());
  if (values.every((v) => v === "")) return { ok: true, dimensions: null };
  const errors: Partial<Record<keyof DimensionFields, DimensionFieldError>> = {};
  const numbers = values.map((v, i) => {
    const key = DIMENSION_FIELDS[i]!;
    if (v === "") errors[key] = "missing";
    else if (!/^\d{1,4}$/.test(v) || Number(v) < 1 || Number(v) > PARCEL_MAX_CM) errors[key] = "number";
    return Number(v);
  });
  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, dimensions: { lengthCm: numbers[0]!, widthCm: numbers[1]!, heightCm: numbers[2]! } };
}
