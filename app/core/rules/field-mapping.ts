// "Datamapper" (issue 13 item 5): how an order's fields become the shipment's, each with a sensible default and a few
// alternatives the merchant may pick in Instellingen. Pure, shared by the label job, the settings page and its preview.
import type { OrderLine, ShipTo } from "../domain";

export const FIELD_MAPPING_CHOICES = {
  /** The shipment's reference (Boekuwzending invoiceReference). */
  reference: ["number", "number_plain"],
  /** The parcel's description. */
  description: ["first_items", "all_items", "skus", "none"],
  /** The recipient's phone: the shipping address's, else the billing address's. */
  phone: ["shipping_or_billing", "shipping", "billing", "none"],
  email: ["order", "none"],
  /** The recipient's company: the shipping address's, else the billing address's (or the order's company field). */
  company: ["shipping_or_order", "shipping", "none"],
} as const;

export type FieldMappingKey = keyof typeof FIELD_MAPPING_CHOICES;
export type FieldMapping = { [K in FieldMappingKey]: (typeof FIELD_MAPPING_CHOICES)[K][number] };
export const FIELD_MAPPING_KEYS = Object.keys(FIELD_MAPPING_CHOICES) as FieldMappingKey[];

export const DEFAULT_FIELD_MAPPING: FieldMapping = { reference: "number", description: "first_items", phone: "shipping_or_billing", email: "order", company: "shipping_or_order" };

/** A stored mapping (any shape) → a complete one: unknown keys and values fall back to the default. */
export function fieldMappingOf(stored: Record<string, unknown> | null | undefined): FieldMapping {
  const out = { ...DEFAULT_FIELD_MAPPING } as Record<FieldMappingKey, string>;
  for (const k of FIELD_MAPPING_KEYS) {
    const v = stored?.[k];
    if (typeof v === "string" && (FIELD_MAPPING_CHOICES[k] as readonly string[]).includes(v)) out[k] = v;
  }
  return out as FieldMapping;
}

/** What the mapping needs of an order. */
export type MappableOrder = { number: string; email: string | null; company: string | null; lines: readonly OrderLine[]; shipTo: ShipTo | null; billTo?: ShipTo | null };

export type MappedFields = { reference: string; description: string | null; phone: string | null; email: string | null; company: string | null };

/** Boekuwzending's item description is free text; kept short so a label prints it whole. */
const DESCRIPTION_MAX = 100;

function clip(s: string): string | null {
  const t = s.trim();
  if (!t) return null;
  return t.length > DESCRIPTION_MAX ? `${t.slice(0, DESCRIPTION_MAX - 1)}…` : t;
}

export function mapShipmentFields(order: MappableOrder, mapping: FieldMapping): MappedFields {
  const shipping = order.lines.filter((l) => l.requiresShipping !== false);
  const description =
    mapping.description === "none"
      ? null
      : mapping.description === "skus"
        ? clip(shipping.map((l) => l.sku).filter(Boolean).join(", "))
        : mapping.description === "all_items"
          ? clip(shipping.map((l) => (l.quantity > 1 ? `${l.quantity}× ${l.name}` : l.name)).join(", "))
          : clip(shipping.slice(0, 2).map((l) => l.name).join(", ") + (shipping.length > 2 ? ", …" : ""));
  const shipCompany = order.shipTo?.company?.trim() || null;
  const shipPhone = order.shipTo?.phone?.trim() || null;
  const billPhone = order.billTo?.phone?.trim() || null;
  return {
    reference: mapping.reference === "number_plain" ? order.number.replace(/^#/, "") : order.number,
    description,
    phone: mapping.phone === "none" ? null : mapping.phone === "shipping" ? shipPhone : mapping.phone === "billing" ? billPhone : (shipPhone ?? billPhone),
    email: mapping.email === "none" ? null : order.email,
    company:
      mapping.company === "none" ? null : mapping.company === "shipping" ? shipCompany : (shipCompany ?? (order.billTo?.company?.trim() || order.company?.trim() || null)),
  };
}
