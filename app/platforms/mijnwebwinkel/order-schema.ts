// Mijnwebwinkel's order (GET /v1/orders, /v1/orders/{number}), its payments and the store's order statuses, parsed
// leniently where the meaning is unambiguous — `number` as a string, `price.tax` as one object, `shipping[].country`
// as [], no `delivery` address (ships to the invoice address) — and mapped to the core's PlatformOrder.
// Field names: ../shared/contracts/carrier-and-mijnwebwinkel.md §B, "Added 2026-12-01".
import { z } from "zod";
import type { InvalidPlatformOrder, ParseResult, PlatformOrder } from "../../core/ports";
import type { OrderLine, ShipTo } from "../../core/domain";
import { finishPlatformOrder } from "../../core/platform-order";

const text = z
  .union([z.string(), z.number(), z.null()])
  .optional()
  .transform((v) => (v === null || v === undefined ? null : String(v).trim() || null));
const num = z.union([z.number(), z.string(), z.null()]).optional().transform((v) => {
  if (v === null || v === undefined || v === "") return null;
  const n = typeof v === "number" ? v : Number(v.trim().replace(",", "."));
  return Number.isFinite(n) ? n : null;
});

export const MwwAddressSchema = z
  .object({ name: text, company: text, phone: text, street: text, number: text, zipcode: text, city: text, country: text, country_code: text })
  .partial()
  .passthrough();
export type MwwAddress = z.infer<typeof MwwAddressSchema>;

/** "1005", 1005 or "T-1006": the number as the API shows it, and whether it carries the test marker. */
const orderNumber = z.union([z.number().int().nonnegative(), z.string().trim().regex(/^(T-)?\d{1,12}$/i, "expected an order number")]).transform((v) => {
  const s = String(v).toUpperCase();
  return { shown: s, digits: s.replace(/^T-/, ""), testMarker: s.startsWith("T-") };
});

export const MwwOrderSchema = z
  .object({
    number: orderNumber,
    date: z.string().min(1),
    time: text,
    status: z.union([z.number().int(), z.string().regex(/^\d+$/).transform(Number)]),
    status_changed_date: text,
    status_changed_time: text,
    archived: z.union([z.boolean(), z.null()]).optional().transform((v) => v === true),
    /** The API's own test flag, when it sends one. */
    test: z.union([z.boolean(), z.null()]).optional(),
    weight: num,
    currency: text,
    comments: z.object({ customer: text, internal: text }).partial().passthrough().nullish(),
    debtor: z
      .object({
        id: text,
        email: text,
        name: text,
        address: z.object({ invoice: MwwAddressSchema.nullish(), delivery: z.union([MwwAddressSchema, z.array(z.unknown())]).nullish() }).partial().passthrough().nullish(),
      })
      .partial()
      .passthrough()
      .nullish(),
    price: z.object({ total: num }).partial().passthrough().nullish(),
    orderlines: z
      .array(
        z
          .object({
            type: text,
            quantity: num,
            weight: num,
            description: text,
            articles: z.array(z.object({ sku: text, description: text }).partial().passthrough()).nullish(),
          })
          .passthrough(),
      )
      .nullish(),
  })
  .passthrough();
export type MwwOrder = z.infer<typeof MwwOrderSchema>;

export const MwwStatusListSchema = z.array(
  z.object({ status: z.union([z.number().int(), z.string().regex(/^\d+$/).transform(Number)]), description: z.string().default(""), credit_order: z.boolean().optional().default(false) }).passthrough(),
);
export type MwwStatus = z.infer<typeof MwwStatusListSchema>[number];

const MwwPaymentSchema = z
  .object({
    // Read leniently where the meaning is clear: a numeric reference is a reference, a null flag or type is absent.
    gatewayReference: z.union([z.string(), z.number().transform(String)]).nullish(),
    isTest: z.boolean().nullish(),
    mutations: z.array(z.object({ type: z.string().nullish() }).passthrough()).nullish(),
  })
  .passthrough();
/** `{ payments: [Payment] }` as the spec has it; a bare list of payments means the same. */
export const MwwPaymentsSchema = z.union([
  z.object({ payments: z.array(MwwPaymentSchema) }),
  z.array(MwwPaymentSchema).transform((payments) => ({ payments })),
]);
export type MwwPayments = z.infer<typeof MwwPaymentsSchema>;

/** What a store's statuses mean to Koppel: which to ship, which one marks an order shipped, which left the shop. */
export type MwwStatusPolicy = {
  toShip: ReadonlySet<number>;
  shipped: number | null;
  cancelled: ReadonlySet<number>;
  credit: ReadonlySet<number>;
  names: ReadonlyMap<number, string>;
};

const TO_SHIP_NAMES = /^(nieuw|new|in behandeling|in progress|processing|order pending|pending)$/i;
const SHIPPED_NAMES = /^(verzonden|shipped|sent|verstuurd)$/i;
const CANCELLED_NAMES = /(geannuleerd|cancel)/i;

/** The merchant's choice in Instellingen (settings.server.ts); null = the default by name. */
export type MwwStatusChoice = { toShipStatuses: readonly number[] | null; shippedStatus: number | null };

/**
 * What a store's statuses mean. The merchant's choice where made (ids that no longer exist in the store are ignored;
 * none left → the defaults), else by name (ids are per store; merchants rename them): to ship = the ones meaning new or
 * in progress ("Nieuw", "In behandeling"; "Order Pending" in the spec's example), shipped = "Verzonden"/"Shipped".
 */
export function statusPolicy(statuses: readonly MwwStatus[], choice: MwwStatusChoice | null = null): MwwStatusPolicy {
  const name = (s: MwwStatus) => s.description.trim();
  const normal = statuses.filter((s) => !s.credit_order);
  const exists = new Set(normal.map((s) => s.status));
  const chosenToShip = (choice?.toShipStatuses ?? []).filter((id) => exists.has(id));
  const chosenShipped = choice?.shippedStatus != null && exists.has(choice.shippedStatus) ? choice.shippedStatus : null;
  return {
    toShip: new Set(chosenToShip.length ? chosenToShip : normal.filter((s) => TO_SHIP_NAMES.test(name(s))).map((s) => s.status)),
    shipped: chosenShipped ?? normal.find((s) => SHIPPED_NAMES.test(name(s)))?.status ?? null,
    cancelled: new Set(normal.filter((s) => CANCELLED_NAMES.test(name(s))).map((s) => s.status)),
    credit: new Set(statuses.filter((s) => s.credit_order).map((s) => s.status)),
    names: new Map(statuses.map((s) => [s.status, name(s)])),
  };
}

/** A transaction's state from its mutations (the last one decides); none: pending with a gateway reference, else new. */
export function paymentState(p: MwwPayments["payments"][number]): string {
  const last = p.mutations?.at(-1)?.type?.toLowerCase();
  if (!last) return p.gatewayReference ? "pending" : "new";
  return ({ authorize: "authorized", capture: "captured", failed: "failed", refund: "refunded", void: "voided" } as Record<string, string>)[last] ?? last;
}

/** Koppel's financial status of an order from its payments: paid once a transaction is pending, authorized or captured. */
export function financialStatusOf(payments: MwwPayments): "paid" | "refunded" | "pending" {
  const states = payments.payments.map(paymentState);
  if (states.some((s) => s === "pending" || s === "authorized" || s === "captured")) return "paid";
  if (states.includes("refunded")) return "refunded";
  return "pending";
}

/**
 * "123A" → 123 + A, "8-2" → 8 + 2, "45 bis" → 45 + bis, "12" → 12; a number that does not start with digits stays whole
 * (addition null). Mijnwebwinkel keeps the suffix inside `number` (there is no suffix field).
 */
export function splitHouseNumber(value: string): { houseNumber: string; addition: string | null } {
  const v = value.trim();
  const m = /^(\d+)\s*[-/]?\s*([\p{L}\d]{1,6}(?:[\s-][\p{L}\d]{1,6})?)?$/u.exec(v);
  if (!m) return { houseNumber: v, addition: null };
  return { houseNumber: m[1]!, addition: m[2] ? m[2].trim() : null };
}

function hasAddress(a: MwwAddress | null | undefined): a is MwwAddress {
  return !!a && !Array.isArray(a) && [a.street, a.number, a.zipcode, a.city].some(Boolean);
}

/** The delivery address, or the invoice address when the order has none (the spec's own example has no delivery). */
export function shipToOf(order: MwwOrder): ShipTo | null {
  const addresses = order.debtor?.address;
  const delivery = addresses?.delivery && !Array.isArray(addresses.delivery) ? (addresses.delivery as MwwAddress) : null;
  const invoice = addresses?.invoice ?? null;
  const a = hasAddress(delivery) ? delivery : invoice;
  return hasAddress(a) ? toShipTo(a, order, shippingCountryOf(order)) : null;
}

/** The invoice address as the shop sent it (shown on the order page; the label uses shipToOf). */
export function billToOf(order: MwwOrder): ShipTo | null {
  const invoice = order.debtor?.address?.invoice ?? null;
  return hasAddress(invoice) ? toShipTo(invoice, order, null) : null;
}

const isoCode = (v: unknown): string | null => (typeof v === "string" && /^[a-z]{2}$/i.test(v.trim()) ? v.trim().toUpperCase() : null);

/** The country the order ships to by `shipping[].country.isocode` (drift: `country` can be `[]`), or null. */
export function shippingCountryOf(order: MwwOrder): string | null {
  const shipping = (order as { shipping?: unknown }).shipping;
  if (!Array.isArray(shipping)) return null;
  for (const s of shipping) {
    const country = s && typeof s === "object" ? (s as { country?: unknown }).country : null;
    const code = country && typeof country === "object" && !Array.isArray(country) ? isoCode((country as { isocode?: unknown }).isocode) : null;
    if (code) return code;
  }
  return null;
}

/**
 * The address's own `country_code`, else `fallback` (the shipping country, for the ship-to). No country at all stays
 * empty: the carrier check then calls the address incomplete (country missing), rather than Koppel guessing NL.
 */
function toShipTo(a: MwwAddress, order: MwwOrder, fallback: string | null): ShipTo {
  const invoice = order.debtor?.address?.invoice ?? null;
  const country = isoCode(a.country_code) ?? fallback ?? "";
  const split = a.street && a.number ? splitHouseNumber(a.number) : null;
  return {
    name: a.name ?? invoice?.name ?? order.debtor?.name ?? a.company ?? "",
    company: a.company ?? null,
    address1: [a.street, a.number].filter(Boolean).join(" "),
    address2: null,
    street: split ? a.street : null,
    houseNumber: split ? split.houseNumber : null,
    houseNumberAddition: split ? split.addition : null,
    postcode: a.zipcode ?? "",
    city: a.city ?? "",
    province: null,
    country,
    phone: a.phone ?? null,
  };
}

/** The goods: lines of type "article" (or a custom line); shipping, payment and discount lines ship nothing. */
export function linesOf(order: MwwOrder): OrderLine[] {
  return (order.orderlines ?? [])
    .filter((l) => !l.type || l.type === "article" || l.type === "custom")
    .map((l) => {
      const quantity = l.quantity !== null && Number.isSafeInteger(l.quantity) ? l.quantity : 0;
      // The line's weight is the line total (grams): per item for the core.
      const perItem = l.weight !== null && quantity > 0 ? Math.round(l.weight / quantity) : null;
      const article = l.articles?.[0];
      return { sku: article?.sku ?? null, name: l.description ?? article?.description ?? "—", quantity, weightGrams: perItem, requiresShipping: true };
    });
}

/** The shipping method the customer chose: the name of the order line of type "shipping" (shipping rules match it). */
export function shippingMethodOf(order: MwwOrder): string | null {
  for (const l of order.orderlines ?? []) if (l.type === "shipping" && l.description) return l.description;
  return null;
}

/** "yyyy-mm-dd" + "hh:mm:ss", Europe/Amsterdam wall-clock time, → the instant. */
export function amsterdamInstant(date: string, time: string | null): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date.trim());
  const t = /^(\d{2}):(\d{2})(?::(\d{2}))?$/.exec((time ?? "00:00:00").trim());
  if (!m || !t) return null;
  const asUtc = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +t[1]!, +t[2]!, +(t[3] ?? 0));
  // The zone's offset at that wall-clock time (twice: right across a DST change too).
  let at = asUtc;
  for (let i = 0; i < 2; i++) at = asUtc - amsterdamOffsetMs(at);
  return Number.isNaN(at) ? null : new Date(at);
}

const FMT = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Amsterdam", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" });
function amsterdamParts(ms: number): Record<string, string> {
  const p: Record<string, string> = {};
  for (const part of FMT.formatToParts(new Date(ms))) p[part.type] = part.value;
  return p;
}
export function amsterdamOffsetMs(ms: number): number {
  const p = amsterdamParts(ms);
  return Date.UTC(+p.year!, +p.month! - 1, +p.day!, +p.hour!, +p.minute!, +p.second!) - Math.floor(ms / 1000) * 1000;
}

/** The instant as the store's wall clock writes it, "yyyy-mm-dd hh:mm:ss" (the status_changed_* filters' form). */
export function amsterdamDateTime(at: Date): string {
  const p = amsterdamParts(at.getTime());
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

/** A test order: the "T-" marker in its number, or the API's test flag. */
export function isTestOrder(order: MwwOrder): boolean {
  return order.number.testMarker || order.test === true;
}

/**
 * An order → PlatformOrder. `financialStatus` comes from its payments (checked by the adapter); to ship while in one of
 * the policy's to-ship statuses and not archived, else it left the shop (fulfilled), or cancelled / credited.
 * `updatedAt` is the instant Koppel first saw the order as it is now (the API has no modification instant).
 */
export function mapMwwOrder(order: MwwOrder, policy: MwwStatusPolicy, financialStatus: string, updatedAt: Date, raw: unknown): ParseResult<PlatformOrder> {
  const placedAt = amsterdamInstant(order.date, order.time);
  if (!placedAt) return { ok: false, reason: `date ${JSON.stringify(order.date)} ${JSON.stringify(order.time)} is not a date` };
  const shipTo = shipToOf(order);
  const invoice = order.debtor?.address?.invoice ?? null;
  const credited = policy.credit.has(order.status);
  const open = policy.toShip.has(order.status) && !order.archived;
  return finishPlatformOrder({
    platformOrderId: order.number.digits,
    number: order.number.shown,
    placedAt,
    updatedAt,
    financialStatus: credited ? "refunded" : financialStatus,
    fulfillmentStatus: open ? "unfulfilled" : "fulfilled",
    cancelled: policy.cancelled.has(order.status),
    test: isTestOrder(order),
    customerName: invoice?.name ?? order.debtor?.name ?? shipTo?.name ?? null,
    email: order.debtor?.email ?? null,
    customerId: order.debtor?.id ?? null,
    company: shipTo?.company ?? invoice?.company ?? null,
    shipTo,
    billTo: billToOf(order),
    lines: linesOf(order),
    shippingMethod: shippingMethodOf(order),
    totalPrice: order.price?.total != null ? order.price.total.toFixed(2) : null,
    currency: order.currency ?? "EUR",
    totalWeightGrams: order.weight !== null && order.weight >= 0 ? Math.round(order.weight) : null,
    raw,
  });
}

export function formatZodIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`)
    .join("; ");
}

/**
 * What can be read of an order that does not parse (the sync logs it and moves on). `updatedAt`: when the adapter first
 * saw it as it is, so the sync logs it once until it changes.
 */
export function invalidMwwOrder(item: unknown, reason: string, updatedAt: Date | null = null): InvalidPlatformOrder {
  const o = (item && typeof item === "object" ? item : {}) as Record<string, unknown>;
  const shown = typeof o.number === "number" || typeof o.number === "string" ? String(o.number).trim().slice(0, 100) || null : null;
  const n = readableNumberOf(item);
  return { platformOrderId: n ? n.replace(/^T-/, "") : null, number: shown, updatedAt, reason };
}

/** The number of an order as far as it can be read ("1005", "T-1006"), or null. */
export function readableNumberOf(item: unknown): string | null {
  const o = (item && typeof item === "object" ? item : {}) as Record<string, unknown>;
  const n = typeof o.number === "number" || typeof o.number === "string" ? String(o.number).trim().toUpperCase() : "";
  return /^(T-)?\d{1,12}$/.test(n) ? n : null;
}
