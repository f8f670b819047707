// Shipping rules (issue 13): what a rule is. Conditions over Koppel's order model (any platform), actions in the
// carrier's terms (service code, package type, colli). Ordered per shop; the first enabled rule that matches wins, and
// the default (the carrier connection's service and format, one label) catches the rest. Shared by server and browser:
// no server-only imports. The zod schemas here are the one check of a rule, for the page and for storage.
import { z } from "zod";
import { PACKAGE_TYPES, type PackageType } from "../ports";

/** Most colli the carrier takes per shipment (the port's 1–10); kept here so the browser needs no server module. */
export const RULE_MAX_COLLI = 10;
/** Rules per shop: plenty for a merchant, few enough to evaluate per order on every dialog. */
export const MAX_RULES = 100;

const grams = z.number().int().min(0).max(10_000_000);
const count = z.number().int().min(0).max(1_000_000);
const money = z.number().min(0).max(100_000_000);
const shortText = z.string().trim().max(200);

/** Every condition is optional; a rule with none matches every order. A list condition matches when any entry does. */
export const RuleConditions = z.object({
  /** ISO-2 destination countries (the effective ship-to's). */
  countries: z.array(z.string().trim().toUpperCase().regex(/^[A-Z]{2}$/)).max(250).optional(),
  /** Inclusive range in grams: the order's weight, or items × the shop's default item weight when it has none. */
  weightMinGrams: grams.nullish(),
  weightMaxGrams: grams.nullish(),
  itemsMin: count.nullish(),
  itemsMax: count.nullish(),
  /** Inclusive range of the order total, in the order's currency. */
  totalMin: money.nullish(),
  totalMax: money.nullish(),
  /** Platform tags or labels (Shopify tags, CCV Shop order labels), compared without case. */
  tags: z.array(shortText.min(1)).max(50).optional(),
  /** Some line's SKU contains this text (without case). */
  skuContains: shortText.nullish(),
  /** The shipping method the customer chose contains this text (without case). */
  shippingMethodContains: shortText.nullish(),
});
export type RuleConditions = z.infer<typeof RuleConditions>;

export const RuleColli = z.discriminatedUnion("mode", [
  z.object({ mode: z.literal("fixed"), count: z.number().int().min(1).max(RULE_MAX_COLLI) }),
  /** One label per started N kg (12 kg at 10 kg → 2). */
  z.object({ mode: z.literal("perKg"), kg: z.number().min(0.1).max(1000) }),
]);
export type RuleColli = z.infer<typeof RuleColli>;

/** Largest side Koppel sends, in cm (a rule's and the label dialog's limit alike). */
export const PARCEL_MAX_CM = 1000;
const cm = z.number().int().min(1).max(PARCEL_MAX_CM);
/** A parcel's size in whole centimetres (Boekuwzending items[].dimensions; units assumed cm, contract A). */
export const ParcelDimensions = z.object({ lengthCm: cm, widthCm: cm, heightCm: cm });
export type ParcelDimensions = z.infer<typeof ParcelDimensions>;

export const RuleAction = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("label"),
    /** null: the connection's default service. */
    service: shortText.min(1).nullish(),
    /** null: the connection's default format. */
    packageType: z.enum(PACKAGE_TYPES).nullish(),
    colli: RuleColli.default({ mode: "fixed", count: 1 }),
    /** Each parcel's size; absent = not sent. */
    dimensions: ParcelDimensions.nullish(),
  }),
  /** "Geen label maken" (local pick-up): bulk skips the order. */
  z.object({ kind: z.literal("skip") }),
]);
export type RuleAction = z.infer<typeof RuleAction>;

/** A rule as the page edits it and storage keeps it. */
export const RuleInput = z.object({
  name: shortText.min(1),
  enabled: z.boolean().default(true),
  conditions: RuleConditions.default({}),
  action: RuleAction,
});
export type RuleInput = z.infer<typeof RuleInput>;
/** A rule as written (defaults not yet filled in). */
export type RuleDraft = z.input<typeof RuleInput>;

export type ShippingRule = RuleInput & { id: number; position: number };

/** The order as rules see it: Koppel's own fields, whatever platform it came from. */
export type RuleOrder = {
  /** ISO-2 of the effective ship-to; null when none. */
  country: string | null;
  /** Koppel's order weight (0 when the platform gave none). */
  weightGrams: number;
  itemCount: number;
  totalPrice: string | null;
  tags: readonly string[];
  lines: readonly { sku?: string | null }[];
  shippingMethod: string | null;
};

/** What the shop's carrier connection gives when no rule says otherwise (today's defaults), and rule settings. */
export type RuleDefaults = {
  service: string;
  packageType: PackageType;
  /** Per item when an order has no weight (grams); 0 = none. */
  defaultItemWeightGrams: number;
};

/** What the rules chose for one order: labels with these options, or none; `rule` null = the default caught it. */
export type RuleChoice =
  | {
      kind: "label";
      service: string;
      packageType: PackageType;
      colli: number;
      weightGrams: number;
      dimensions: ParcelDimensions | null;
      rule: { id: number; name: string } | null;
    }
  | { kind: "skip"; weightGrams: number; rule: { id: number; name: string } };
