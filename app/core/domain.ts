// Koppel's domain vocabulary: the values and shapes the core reasons about, whatever platform or carrier an order
// came from. The database schema (app/db/schema.ts) stores them; it imports them from here, not the other way round.

export const PLATFORMS = ["shopify", "ccvshop", "mijnwebwinkel"] as const;
export type PlatformId = (typeof PLATFORMS)[number];

export type FromAddress = {
  company: string;
  contactName: string;
  street: string;
  houseNumber: string;
  houseNumberAddition?: string;
  postcode: string;
  city: string;
  country: string;
  phone: string;
  email: string;
};

export type ShopSettings = {
  /** Financial states that count as paid for import (lower-case Shopify names). Default ["paid"]. */
  importFinancialStatuses?: string[];
  syncIntervalMinutes?: number;
  locale?: "nl" | "en";
  /** "Testbestellingen importeren": the platform's test orders (every order of a Shopify development store) too. Default off. */
  importTestOrders?: boolean;
  /** The print format the merchant last chose in Shopify's print menu (extensions/order-print); default A6. */
  labelPrint?: { format: "A6" | "A4"; start: 1 | 2 | 3 | 4 };
  /** Shipping rules: grams per item for an order the platform gave no weight (0 or absent = none). */
  defaultItemWeightGrams?: number;
  /** How an order's fields become the shipment's ("datamapper", app/core/rules/field-mapping.ts); absent = defaults. */
  fieldMapping?: Record<string, string>;
};

export const DELIVERY_OUTCOMES = ["pending", "imported", "updated", "skipped", "invalid", "failed", "done"] as const;
export type DeliveryOutcome = (typeof DELIVERY_OUTCOMES)[number];

export const ORDER_STATUSES = ["to_ship", "shipped", "cancelled", "refunded", "fulfilled_elsewhere", "unpaid"] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export type ShipTo = {
  name: string;
  company?: string | null;
  address1: string;
  address2?: string | null;
  street?: string | null;
  houseNumber?: string | null;
  houseNumberAddition?: string | null;
  postcode: string;
  city: string;
  province?: string | null;
  country: string;
  phone?: string | null;
};

export type OrderLine = {
  sku?: string | null;
  name: string;
  quantity: number;
  weightGrams?: number | null;
  requiresShipping?: boolean;
};

export const ACTIVITY_KINDS = ["import", "sync", "carrier", "writeback", "privacy", "install", "uninstall", "settings", "orders", "mail"] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];

export const ACTIVITY_RESULTS = ["ok", "skipped", "failed"] as const;
export type ActivityResult = (typeof ACTIVITY_RESULTS)[number];

/**
 * Parcel distributors by their own names: what a carrier platform's service ships with. Neutral: each shop platform
 * maps it to its own tracking-company list (Shopify: app/platforms/shopify/tracking-company.ts).
 */
export const DISTRIBUTORS = ["PostNL", "DPD", "DHL", "UPS", "GLS", "FedEx", "TNT", "bpost"] as const;
export type Distributor = (typeof DISTRIBUTORS)[number];

/** "dhl" / "DHL Parcel" / "PostNL" → the distributor; anything else → null (lenient: older rows hold platform names). */
export function asDistributor(name: string | null | undefined): Distributor | null {
  if (!name) return null;
  const n = name.trim().toLowerCase();
  return DISTRIBUTORS.find((d) => n === d.toLowerCase() || n.startsWith(`${d.toLowerCase()} `)) ?? null;
}

export const CARRIERS = ["boekuwzending"] as const;

export const CARRIER_ENVIRONMENTS = ["staging", "production"] as const;

export const LABEL_REQUEST_STATES = ["queued", "sending", "created", "rejected", "failed"] as const;
export type LabelRequestState = (typeof LABEL_REQUEST_STATES)[number];

export const WRITEBACK_STATES = ["pending", "done", "failed", "not_needed"] as const;

/**
 * Koppel's own track & trace e-mail for a shipment (app/core/labels/tracking-mail.server.ts): not_needed (the shop's
 * setting is off, or from before the e-mail) → pending (job queued) → sending (committed before the SMTP call) → sent |
 * failed; a job that finds "sending" does not send again but marks it unknown (the merchant checks and may resend).
 */
export const MAIL_STATES = ["not_needed", "pending", "sending", "sent", "failed", "unknown"] as const;
export type MailState = (typeof MAIL_STATES)[number];

/** How the connection to the merchant's SMTP server is secured: none (plain), STARTTLS (upgrade, required) or TLS from the start. */
export const SMTP_SECURITY = ["none", "starttls", "tls"] as const;
export type SmtpSecurity = (typeof SMTP_SECURITY)[number];
export type WritebackState = (typeof WRITEBACK_STATES)[number];

/**
 * Where a parcel is, in Koppel's words (each carrier adapter maps its own statuses to these): aangemaakt, gescand,
 * onderweg, bij douane, afgeleverd, bij afhaalpunt, retour, probleem.
 */
export const PARCEL_STATUSES = ["created", "scanned", "in_transit", "at_customs", "delivered", "at_pickup_point", "returned", "problem"] as const;
export type ParcelStatus = (typeof PARCEL_STATUSES)[number];

/** Where a parcel status came from: the carrier's webhook, Koppel's poll of its track & trace, or the label itself. */
export const PARCEL_EVENT_SOURCES = ["webhook", "poll", "label"] as const;
export type ParcelEventSource = (typeof PARCEL_EVENT_SOURCES)[number];
