// CCV Shop's order and order-row resources (GET /orders, /orders/{id}, /orders/{id}/orderrows), parsed leniently —
// real resources send integers where one might expect strings or decimals (total_price 590, housenumber 3) and an
// all-empty deliveryaddress when delivery equals billing — and mapped to the core's PlatformOrder. Field names:
// ../shared/contracts/ccvshop.md §4 (jacobdekeizer/ccvshop-client Resource/Orders, ccvshop-api Order.php).
import { z } from "zod";
import type { InvalidPlatformOrder, ParseResult, PlatformOrder } from "../../core/ports";
import type { OrderLine, ShipTo } from "../../core/domain";
import { finishPlatformOrder } from "../../core/platform-order";

/** Text or a number sent as text; null/"" → null. */
const text = z
  .union([z.string(), z.number(), z.null()])
  .optional()
  .transform((v) => (v === null || v === undefined ? null : String(v).trim() || null));
/** An integer CCV may send as number or numeric string. */
const int = z.union([z.number(), z.string(), z.null()]).optional().transform((v, ctx) => {
  if (v === null || v === undefined || v === "") return null;
  const n = typeof v === "number" ? v : Number(v.trim());
  if (!Number.isSafeInteger(n)) {
    ctx.addIssue({ code: "custom", message: `expected an integer, got ${JSON.stringify(v)}` });
    return z.NEVER;
  }
  return n;
});
/** A decimal (euros, kilograms) as number or text. */
const decimal = z.union([z.number(), z.string(), z.null()]).optional().transform((v, ctx) => {
  if (v === null || v === undefined || v === "") return null;
  const n = typeof v === "number" ? v : Number(v.trim().replace(",", "."));
  if (!Number.isFinite(n)) {
    ctx.addIssue({ code: "custom", message: `expected a number, got ${JSON.stringify(v)}` });
    return z.NEVER;
  }
  return n;
});
/** true/false, also as 1/0 or "true"/"1". */
const bool = z
  .union([z.boolean(), z.number(), z.string(), z.null()])
  .optional()
  .transform((v) => v === true || v === 1 || (typeof v === "string" && ["true", "1", "yes"].includes(v.trim().toLowerCase())));

export const CcvAddressSchema = z
  .object({
    full_name: text,
    first_name: text,
    last_name: text,
    initials: text,
    company: text,
    street: text,
    housenumber: text,
    housenumber_suffix: text,
    address_line_1: text,
    address_line_2: text,
    zipcode: text,
    city: text,
    province: text,
    country: text,
    country_code: text,
    telephone: text,
    mobile: text,
  })
  .partial()
  .passthrough();
export type CcvAddress = z.infer<typeof CcvAddressSchema>;

const CcvCustomerSchema = z
  .object({
    id: text,
    email: text,
    customertype: text,
    billingaddress: CcvAddressSchema.nullish(),
    deliveryaddress: CcvAddressSchema.nullish(),
  })
  .partial()
  .passthrough();

export const CcvOrderSchema = z
  .object({
    id: z.union([z.number().int().positive(), z.string().regex(/^\d{1,20}$/)]).transform(String),
    ordernumber: text,
    ordernumber_prefix: text,
    ordernumber_full: text,
    create_date: z.string().min(1),
    deliver_method: text,
    delivery_option: text,
    status: int,
    is_completed: bool,
    paid: bool,
    total_price: decimal,
    currency: text,
    total_weight: decimal,
    track_and_trace_code: text,
    customer: CcvCustomerSchema.nullish(),
    user: z.object({ id: text }).partial().passthrough().nullish(),
  })
  .passthrough();
export type CcvOrder = z.infer<typeof CcvOrderSchema>;

export const CcvOrderRowSchema = z
  .object({
    id: text,
    product_name: text,
    product_number: text,
    sub_sku_number: text,
    count: int,
    weight: decimal,
  })
  .passthrough();
export type CcvOrderRow = z.infer<typeof CcvOrderRowSchema>;

/** A collection page (`start`, `size`, `next`, `items`); items stay unknown until each is parsed on its own. */
export const CcvCollectionSchema = z.object({
  items: z.array(z.unknown()),
  next: z.string().nullish(),
  start: z.number().nullish(),
  size: z.number().nullish(),
});

/** Statuses after which the order left the shop (Sent, Delivered, Completed): "shipped elsewhere" unless Koppel shipped it. */
export const SHIPPED_STATUSES: ReadonlySet<number> = new Set([5, 6, 7]);
export const CANCELLED_STATUS = 8;
export const SENT_STATUS = 5;

/** Still to be sent from the shop: not sent, delivered, completed or cancelled. */
export function isOpenStatus(status: number | null): boolean {
  return status === null || (!SHIPPED_STATUSES.has(status) && status !== CANCELLED_STATUS);
}

export function formatZodIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`)
    .join("; ");
}

/** Every address field empty: CCV's way of saying "deliver to the billing address". */
export function isEmptyAddress(a: CcvAddress | null | undefined): boolean {
  if (!a) return true;
  return [a.street, a.housenumber, a.address_line_1, a.address_line_2, a.zipcode, a.city, a.full_name, a.company].every((v) => !v);
}

const COUNTRY_NAMES: Record<string, string> = { nederland: "NL", netherlands: "NL", "the netherlands": "NL", belgie: "BE", belgië: "BE", belgium: "BE", duitsland: "DE", germany: "DE", luxemburg: "LU", luxembourg: "LU", frankrijk: "FR", france: "FR" };

function countryCodeOf(a: CcvAddress): string | null {
  const code = a.country_code?.toUpperCase();
  if (code && /^[A-Z]{2}$/.test(code)) return code;
  const byName = a.country ? COUNTRY_NAMES[a.country.toLowerCase()] : undefined;
  return byName ?? null;
}

function nameOf(a: CcvAddress): string | null {
  return a.full_name ?? ([a.first_name, a.last_name].filter(Boolean).join(" ") || null);
}

/** The delivery address (billing when delivery is all empty) as the core's ShipTo; null for a pick-up order. */
export function shipToOf(order: CcvOrder): ShipTo | null {
  if (order.deliver_method?.toLowerCase() === "pickup") return null;
  const delivery = order.customer?.deliveryaddress;
  const billing = order.customer?.billingaddress;
  const a = isEmptyAddress(delivery) ? billing : delivery;
  if (!a || isEmptyAddress(a)) return null;
  return addressOf(a, a === delivery ? nameOf(billing ?? {}) : null);
}

/**
 * The customer's choice at checkout as the order's shipping method (what a rule's "verzendmethode bevat" reads): CCV's
 * `deliver_method` (shipping, delivery or pickup) and, when chosen, its `delivery_option` code (PG/PGE: a PostNL
 * pick-up point; DHDLE) — "shipping PG". CCV's order resource names no shipping method beyond these; null without either.
 */
export function shippingMethodOf(order: Pick<CcvOrder, "deliver_method" | "delivery_option">): string | null {
  return [order.deliver_method, order.delivery_option].filter(Boolean).join(" ") || null;
}

/** The billing address as the core's ShipTo shape (the order page shows it); null when CCV gives none. */
export function billToOf(order: CcvOrder): ShipTo | null {
  const billing = order.customer?.billingaddress;
  if (!billing || isEmptyAddress(billing)) return null;
  return addressOf(billing, null);
}

function addressOf(a: NonNullable<NonNullable<CcvOrder["customer"]>["billingaddress"]>, fallbackName: string | null): ShipTo {
  const country = countryCodeOf(a) ?? "NL";
  const name = nameOf(a) ?? fallbackName ?? a.company ?? "";
  const split = a.street && a.housenumber;
  const suffix = a.housenumber_suffix?.replace(/^[-\s]+/, "") || null;
  const address1 = split ? `${a.street} ${a.housenumber}${houseNumberSuffixText(suffix)}` : (a.address_line_1 ?? a.street ?? "");
  return {
    name,
    company: a.company ?? null,
    address1,
    address2: split ? (a.address_line_2 ?? null) : (a.address_line_1 ? (a.address_line_2 ?? null) : null),
    street: split ? a.street : null,
    houseNumber: split ? a.housenumber : null,
    houseNumberAddition: split ? suffix : null,
    postcode: a.zipcode ?? "",
    city: a.city ?? "",
    province: a.province ?? null,
    country,
    phone: a.telephone ?? a.mobile ?? null,
  };
}

/** How a suffix follows the number on one line: "12A", "12-2", "12 bis". */
function houseNumberSuffixText(suffix: string | null): string {
  if (!suffix) return "";
  if (/^\d/.test(suffix)) return `-${suffix}`;
  return suffix.length <= 2 ? suffix : ` ${suffix}`;
}

const kgToGrams = (kg: number | null) => (kg === null || kg < 0 ? null : Math.round(kg * 1000));

export function linesOf(rows: readonly CcvOrderRow[]): OrderLine[] {
  return rows.map((r) => ({
    sku: r.product_number ?? r.sub_sku_number ?? null,
    name: r.product_name ?? r.product_number ?? "—",
    quantity: r.count ?? 0,
    weightGrams: kgToGrams(r.weight),
    requiresShipping: true,
  }));
}

/**
 * A CCV order, its rows and its labels' names → PlatformOrder. Paid means `paid` and `is_completed` (a checkout not finished is not an
 * order yet); statuses 5–7 mean it left the shop (fulfilled), 8 cancelled. CCV has no modification instant: a read is
 * the order as it was when the read began, so `updatedAt` is that instant (`readAt`), and a read that started earlier
 * but lands later never overwrites a newer one.
 */
export function mapCcvOrder(order: CcvOrder, rows: readonly CcvOrderRow[], readAt: Date, raw: unknown, tags?: string[]): ParseResult<PlatformOrder> {
  const placedAt = new Date(order.create_date);
  if (Number.isNaN(placedAt.getTime())) return { ok: false, reason: `create_date ${JSON.stringify(order.create_date)} is not a date` };
  const billing = order.customer?.billingaddress ?? null;
  const shipTo = shipToOf(order);
  const status = order.status;
  const number = order.ordernumber_full ?? (order.ordernumber ? `${order.ordernumber_prefix ?? ""}${order.ordernumber}` : null) ?? order.id;
  return finishPlatformOrder({
    platformOrderId: order.id,
    number,
    placedAt,
    updatedAt: readAt,
    financialStatus: order.paid && order.is_completed ? "paid" : "pending",
    fulfillmentStatus: status !== null && SHIPPED_STATUSES.has(status) ? "fulfilled" : "unfulfilled",
    cancelled: status === CANCELLED_STATUS,
    test: false,
    customerName: (billing && nameOf(billing)) ?? shipTo?.name ?? null,
    email: order.customer?.email ?? null,
    customerId: order.customer?.id ?? order.user?.id ?? null,
    company: shipTo?.company ?? billing?.company ?? null,
    shipTo,
    billTo: billToOf(order),
    lines: linesOf(rows),
    totalPrice: order.total_price === null ? null : order.total_price.toFixed(2),
    currency: order.currency ?? "EUR",
    totalWeightGrams: kgToGrams(order.total_weight),
    shippingMethod: shippingMethodOf(order),
    // The order's labels by name (order-labels.ts); undefined when they could not be read.
    ...(tags ? { tags } : {}),
    raw,
  });
}

/** What can be read of an order that does not parse (the sync logs it and moves on). */
export function invalidCcvOrder(item: unknown, reason: string): InvalidPlatformOrder {
  const o = (item && typeof item === "object" ? item : {}) as Record<string, unknown>;
  const id = typeof o.id === "number" || typeof o.id === "string" ? String(o.id) : null;
  const number = typeof o.ordernumber_full === "string" ? o.ordernumber_full : typeof o.ordernumber === "number" ? String(o.ordernumber) : null;
  return { platformOrderId: id, number, updatedAt: null, reason };
}
