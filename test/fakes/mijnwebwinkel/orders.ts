// Order model: building an order from a short input (prices incl. VAT → the spec's TaxPrice strings), the drifts live
// answers show, payments and the payment_status derived from them, and the GET /v1/orders filters.
import { randomUUID } from "node:crypto";
import { isoLocal, localParts, parseDateParam, parseDateTimeParam } from "./dates";
import { badRequest } from "./http";
import type {
  FakeMwwResponse,
  MwwAddress,
  MwwInvoiceAddress,
  MwwMutationType,
  MwwOrder,
  MwwOrderLine,
  MwwPayment,
  MwwPaymentStatus,
  MwwTaxPrice,
} from "./types";

export type MwwLineInput = {
  description: string;
  sku?: string;
  articleId?: number;
  quantity?: number;
  /** Unit price including VAT, euros. */
  unitPrice: number;
  /** VAT percentage, default 21. */
  rate?: number;
  /** Grams per unit (default 500). */
  weight?: number;
};

export type MwwPaymentInput = {
  gateway?: string;
  method?: string;
  /** Set once the gateway knows the transaction (null: "new"). Default: a generated reference. */
  gatewayReference?: string | null;
  mutations?: MwwMutationType[];
  /** Milliseconds; default the order's time. */
  at?: number;
};

/** Shorthand for the usual payment states; "open" = no pending, authorized or captured transaction. */
export type MwwPaymentShorthand = "captured" | "authorized" | "pending" | "open" | "failed" | "refunded" | "none";

export type MwwOrderDrift = {
  /** `number` as a string ("1008") instead of an integer. */
  numberAsString?: boolean;
  /** `price.tax` as one TaxPrice object instead of an array (only sensible with a single VAT rate). */
  taxAsObject?: boolean;
  /** `shipping[].country` as `[]`. */
  shippingCountryEmpty?: boolean;
};

export type MwwOrderInput = {
  /** Order number (default: the store's next). Test orders show as "T-<number>". */
  number?: number;
  test?: boolean;
  /** When the order was placed (ms); default now(). */
  at?: number;
  status?: number;
  /** Last status change (ms); default `at`. */
  statusChangedAt?: number;
  archived?: boolean;
  locale?: string;
  currency?: string;
  businessModel?: "B2C" | "B2B";
  /** B2B only. */
  reference?: string;
  comments?: { customer?: string; internal?: string };
  email?: string;
  customerId?: string;
  invoice?: Partial<MwwInvoiceAddress>;
  /** Omitted: a copy of the invoice address. null: no `delivery` key at all (ships to the invoice address). */
  delivery?: Partial<MwwAddress> | null;
  lines?: MwwLineInput[];
  /** Shipping costs incl. VAT (default 6.95; 0 → no shipping line). */
  shippingCost?: number;
  shippingCountry?: { description: string; isocode: string };
  discountcode?: string;
  taxStrategy?: MwwOrder["tax_strategy"];
  payment?: MwwPaymentShorthand | MwwPaymentInput[];
  drift?: MwwOrderDrift;
};

/** What the fake keeps per order: the wire object (drifts applied), its sequence number, test flag and payments. */
export type MwwOrderRecord = { seq: number; test: boolean; order: MwwOrder; payments: MwwPayment[] };

export type BuildContext = { storeId: string; now: () => number; nextMutationId: () => number };

export const COUNTRY_NAMES: Record<string, string> = { NL: "Nederland", BE: "België", DE: "Duitsland", FR: "Frankrijk", LU: "Luxemburg" };

const round2 = (n: number) => Math.round((n + Number.EPSILON) * 100) / 100;
const dec2 = (n: number) => round2(n).toFixed(2);
const dec6 = (n: number) => (Math.round(n * 1e6) / 1e6).toFixed(6);
const rateStr = (rate: number) => rate.toFixed(2);
const excl = (incl: number, rate: number) => incl / (1 + rate / 100);
const cents = (euros: number) => Math.round(euros * 100);

const DEFAULT_INVOICE: MwwInvoiceAddress = {
  gender: "V",
  name: "Marieke Janssen",
  company: "",
  phone: "0612345678",
  street: "Dorpsstraat",
  number: "1",
  zipcode: "1234 AB",
  city: "Amersfoort",
  country: "Nederland",
  country_code: "NL",
  taxnumber: "",
  bankaccount: "",
};

function invoiceAddress(input: Partial<MwwInvoiceAddress> = {}): MwwInvoiceAddress {
  const code = input.country_code ?? "NL";
  return { ...DEFAULT_INVOICE, country: COUNTRY_NAMES[code] ?? code, ...input };
}

function deliveryAddress(invoice: MwwInvoiceAddress, input: Partial<MwwAddress> | undefined): MwwAddress {
  const { taxnumber: _t, bankaccount: _b, ...base } = invoice;
  if (input === undefined) return base;
  const code = input.country_code ?? base.country_code;
  return { ...base, company: "", phone: "", country: COUNTRY_NAMES[code] ?? code, ...input };
}

function taxPrice(incl: number, rate: number): MwwTaxPrice {
  return { amount: dec6(excl(incl, rate)), amount_including_tax: dec2(incl), rate: rateStr(rate) };
}

export function buildOrder(seq: number, input: MwwOrderInput, ctx: BuildContext): MwwOrderRecord {
  const at = input.at ?? ctx.now();
  const changedAt = input.statusChangedAt ?? at;
  const created = localParts(at);
  const changed = localParts(changedAt);
  const invoice = invoiceAddress(input.invoice);
  const lines = input.lines ?? [{ description: "Product", unitPrice: 19.95 }];
  const shippingCost = input.shippingCost ?? 6.95;
  const businessModel = input.businessModel ?? "B2C";

  const orderlines: MwwOrderLine[] = lines.map((l, i) => {
    const rate = l.rate ?? 21;
    const quantity = l.quantity ?? 1;
    const articleId = l.articleId ?? 100 + i;
    return {
      id: randomUUID(),
      type: "article",
      quantity,
      weight: String((l.weight ?? 500) * quantity),
      description: l.description,
      price: taxPrice(l.unitPrice * quantity, rate),
      articles: [
        {
          id: articleId,
          sku: l.sku ?? `ART-${articleId}`,
          description: l.description,
          price: { amount: dec6(excl(l.unitPrice, rate)), rate: rateStr(rate), purchase_price: "" },
          options: [],
        },
      ],
    };
  });
  if (shippingCost > 0) {
    orderlines.push({ id: randomUUID(), type: "shipping", quantity: 1, weight: "0", description: "Verzendkosten", price: taxPrice(shippingCost, 21) });
  }

  // VAT per rate over all lines (shipping taxed at 21%).
  const byRate = new Map<number, { incl: number; excl: number }>();
  const addTax = (incl: number, rate: number) => {
    const t = byRate.get(rate) ?? { incl: 0, excl: 0 };
    t.incl += incl;
    t.excl += excl(incl, rate);
    byRate.set(rate, t);
  };
  for (const l of lines) addTax(l.unitPrice * (l.quantity ?? 1), l.rate ?? 21);
  if (shippingCost > 0) addTax(shippingCost, 21);
  const tax: MwwTaxPrice[] = [...byRate.entries()].sort(([a], [b]) => a - b).map(([rate, t]) => ({ amount: dec2(t.incl - t.excl), rate: rateStr(rate) }));
  const total = lines.reduce((s, l) => s + l.unitPrice * (l.quantity ?? 1), 0) + shippingCost;
  const weight = lines.reduce((s, l) => s + (l.weight ?? 500) * (l.quantity ?? 1), 0);

  const drift = input.drift ?? {};
  const test = input.test ?? false;
  const delivery = input.delivery === null ? undefined : deliveryAddress(invoice, input.delivery);
  const shipCountry = input.shippingCountry ?? { description: delivery?.country ?? invoice.country, isocode: delivery?.country_code ?? invoice.country_code };

  const order: MwwOrder = {
    number: test ? `T-${seq}` : drift.numberAsString ? String(seq) : seq,
    uuid: randomUUID(),
    date: created.date,
    time: created.time,
    status: input.status ?? 1,
    status_changed_date: changed.date,
    status_changed_time: changed.time,
    weight: String(weight),
    archived: input.archived ?? false,
    finished: true,
    taxed: "include",
    locale: input.locale ?? "nl_NL",
    discountcode: input.discountcode ?? "",
    currency: input.currency ?? "EUR",
    currency_format_locale: "NL",
    credit_order_numbers: [],
    comments: { customer: input.comments?.customer ?? "", internal: input.comments?.internal ?? "" },
    business_model: businessModel,
    ...(businessModel === "B2B" ? { reference: input.reference ?? "" } : {}),
    tax_region: delivery?.country_code ?? invoice.country_code,
    tax_strategy: input.taxStrategy ?? "",
    offline_location_id: null,
    payment_status: "unknown",
    debtor: {
      ...(input.customerId ? { id: input.customerId } : {}),
      email: input.email ?? "klant@example.nl",
      name: invoice.name,
      link_to_account: input.customerId !== undefined,
      address: { invoice, ...(delivery ? { delivery } : {}) },
    },
    price: { tax: drift.taxAsObject && tax.length > 0 ? tax[0]! : tax, total: dec2(total) },
    orderlines,
    shipping: [{ country: drift.shippingCountryEmpty ? [] : shipCountry }],
  };

  const record: MwwOrderRecord = { seq, test, order, payments: [] };
  const payments = paymentInputs(input.payment ?? "captured");
  for (const p of payments) addPayment(record, { at, ...p }, ctx);
  return record;
}

function paymentInputs(p: MwwPaymentShorthand | MwwPaymentInput[]): MwwPaymentInput[] {
  if (Array.isArray(p)) return p;
  switch (p) {
    case "none":
      return [];
    case "captured":
      return [{ mutations: ["capture"] }];
    case "authorized":
      return [{ gateway: "klarna", method: "pay_later", mutations: ["authorize"] }];
    case "pending":
      return [{ mutations: [] }];
    case "open":
      return [{ gateway: "basic", method: "advance", gatewayReference: null, mutations: [] }];
    case "failed":
      return [{ mutations: ["failed"] }];
    case "refunded":
      return [{ mutations: ["capture", "refund"] }];
  }
}

/** Attach a payment (transaction) for the full order amount. */
export function addPayment(record: MwwOrderRecord, input: MwwPaymentInput, ctx: BuildContext): MwwPayment {
  const at = input.at ?? ctx.now();
  const price = cents(Number(record.order.price.total));
  const gateway = input.gateway ?? "mollie";
  const payment: MwwPayment = {
    id: randomUUID(),
    gateway,
    method: input.method ?? (gateway === "mollie" ? "ideal" : gateway),
    gatewayReference: input.gatewayReference === undefined ? `tr_${randomUUID().replace(/-/g, "").slice(0, 10)}` : input.gatewayReference,
    price,
    currency: record.order.currency,
    storeId: ctx.storeId,
    reference: randomUUID(),
    isTest: record.test,
    createdAt: isoLocal(at),
    updatedAt: isoLocal(at),
    mutations: [],
    properties: {},
  };
  record.payments.push(payment);
  for (const [i, type] of (input.mutations ?? []).entries()) addMutation(payment, type, at + (i + 1) * 60_000, ctx);
  return payment;
}

export function addMutation(payment: MwwPayment, type: MwwMutationType, at: number, ctx: BuildContext): void {
  payment.mutations.push({ id: ctx.nextMutationId(), type, reference: null, price: payment.price, description: null, createdAt: isoLocal(at), expiresAt: null });
  payment.updatedAt = isoLocal(at);
}

/** One transaction's status, as the spec's payment guide describes it. */
export function paymentStatusOf(p: MwwPayment): MwwPaymentStatus {
  const types = new Set(p.mutations.map((m) => m.type));
  if (types.has("refund")) return "refunded";
  if (types.has("void")) return "voided";
  if (types.has("capture")) return "captured";
  if (types.has("authorize")) return "authorized";
  if (types.has("failed")) return "failed";
  return p.gatewayReference ? "pending" : "new";
}

const STATUS_RANK: MwwPaymentStatus[] = ["captured", "authorized", "pending", "refunded", "voided", "failed", "incomplete", "new", "unknown"];

/** The deprecated order.payment_status: the best status among the order's transactions ("unknown" without any). */
export function orderPaymentStatus(payments: MwwPayment[]): MwwPaymentStatus {
  const statuses = payments.map(paymentStatusOf);
  return STATUS_RANK.find((s) => statuses.includes(s)) ?? "unknown";
}

/** "To be considered finished, at least one transaction must have reached pending, authorized or captured status." */
export function isPaid(payments: MwwPayment[]): boolean {
  return payments.some((p) => ["pending", "authorized", "captured"].includes(paymentStatusOf(p)));
}

const SUMMARY_STATUS: Record<MwwPaymentStatus, { id: number; text: string }> = {
  captured: { id: 1, text: "Successful" },
  authorized: { id: 1, text: "Successful" },
  pending: { id: 5, text: "Pending" },
  new: { id: 0, text: "Status unknown" },
  incomplete: { id: 0, text: "Status unknown" },
  unknown: { id: 0, text: "Status unknown" },
  failed: { id: 3, text: "Failed" },
  refunded: { id: 7, text: "Refunded" },
  voided: { id: 2, text: "Cancelled" },
};

/** The order as served: a deep copy with the deprecated payment fields derived from its payments. */
export function orderResource(record: MwwOrderRecord): MwwOrder {
  const order = structuredClone(record.order);
  const status = orderPaymentStatus(record.payments);
  order.payment_status = status;
  const first = record.payments[0];
  if (first) order.payment = { gateway_name: first.gateway, method_name: first.method, status: SUMMARY_STATUS[status] };
  else delete order.payment;
  return order;
}

/** Embeds of GET /orders/{number}/payments: `embed=mutations,properties,order` (comma-separated). */
export function paymentResource(record: MwwOrderRecord, p: MwwPayment, embed: Set<string>): Record<string, unknown> {
  const { mutations, properties, ...base } = structuredClone(p);
  const out: Record<string, unknown> = { ...base };
  if (embed.has("mutations")) out.mutations = mutations;
  if (embed.has("properties")) out.properties = properties;
  if (embed.has("order")) out.order = paymentOrder(record);
  return out;
}

function paymentOrder(record: MwwOrderRecord): Record<string, unknown> {
  const o = record.order;
  const taxes = Array.isArray(o.price.tax) ? o.price.tax : [o.price.tax];
  return {
    id: o.uuid,
    reference: String(o.number),
    price: cents(Number(o.price.total)),
    tax: taxes.reduce((s, t) => s + cents(Number(t.amount)), 0),
    locale: o.locale,
    deliveryType: "delivery",
    lines: o.orderlines.map((l) => {
      const p = Array.isArray(l.price) ? l.price[0] : l.price;
      const incl = Number(p?.amount_including_tax ?? 0);
      const ex = Number(p?.amount ?? 0);
      return {
        id: l.id,
        type: l.type === "shipping" ? "shipping_fee" : l.type === "payment" ? "payment_fee" : "physical",
        name: l.description,
        description: l.description,
        quantity: String(l.quantity),
        price: cents(incl),
        tax: cents(incl) - cents(ex),
        taxRate: (Number(p?.rate ?? 0) / 100).toFixed(4),
      };
    }),
  };
}

// -- GET /v1/orders filters ----------------------------------------------------------------------------------------

export const DEFAULT_LIMIT = 10;
export const MAX_LIMIT = 100;

export type OrderQuery = {
  limit: number;
  offset: number;
  ordering: "asc" | "desc";
};

function boolParam(query: URLSearchParams, name: string): boolean | undefined | "invalid" {
  const raw = query.get(name);
  if (raw === null || raw === "") return undefined;
  if (raw === "true" || raw === "1") return true;
  if (raw === "false" || raw === "0") return false;
  return "invalid";
}

function intParam(query: URLSearchParams, name: string): number | undefined | "invalid" {
  const raw = query.get(name);
  if (raw === null || raw === "") return undefined;
  return /^\d{1,9}$/.test(raw) ? Number(raw) : "invalid";
}

/** Filters shared by /orders and /orders/count; a 400 response when a parameter is malformed. */
export function filterOrders(all: MwwOrderRecord[], query: URLSearchParams): MwwOrderRecord[] | FakeMwwResponse {
  const invalid = (name: string, expected: string) => badRequest(`Invalid value for parameter ${name}: expected ${expected}`);
  const archived = boolParam(query, "archived");
  if (archived === "invalid") return invalid("archived", "true or false");
  const test = boolParam(query, "test");
  if (test === "invalid") return invalid("test", "true or false");
  const statusId = intParam(query, "status_id");
  if (statusId === "invalid") return invalid("status_id", "an integer");
  const dates: Record<string, string | undefined> = {};
  for (const name of ["start_date", "end_date"]) {
    const raw = query.get(name);
    if (raw === null || raw === "") continue;
    const v = parseDateParam(raw);
    if (v === null) return invalid(name, "a date (yyyy-mm-dd)");
    dates[name] = v;
  }
  for (const name of ["status_changed_start_date", "status_changed_end_date"]) {
    const raw = query.get(name);
    if (raw === null || raw === "") continue;
    const v = parseDateTimeParam(raw);
    if (v === null) return invalid(name, "yyyy-mm-dd hh:mm:ss");
    dates[name] = v;
  }
  const email = query.get("debtor_email") || undefined;
  const debtorId = query.get("debtor_id") || undefined;

  return all.filter((r) => {
    const o = r.order;
    const changed = `${o.status_changed_date} ${o.status_changed_time}`;
    return (
      (test === true || !r.test) &&
      (archived === undefined || o.archived === archived) &&
      (statusId === undefined || o.status === statusId) &&
      (dates.start_date === undefined || o.date >= dates.start_date) &&
      (dates.end_date === undefined || o.date <= dates.end_date) &&
      (dates.status_changed_start_date === undefined || changed >= dates.status_changed_start_date) &&
      (dates.status_changed_end_date === undefined || changed <= dates.status_changed_end_date) &&
      // debtor_email and debtor_id combine with OR (spec).
      (email === undefined && debtorId === undefined
        ? true
        : (email !== undefined && o.debtor.email.toLowerCase() === email.toLowerCase()) || (debtorId !== undefined && o.debtor.id === debtorId))
    );
  });
}

/** limit (default 10, 1..100: more → 400, as the spec's `maximum: 100`), offset (≥ 0), ordering (asc|desc). */
export function readPaging(query: URLSearchParams): OrderQuery | FakeMwwResponse {
  const limit = intParam(query, "limit");
  if (limit === "invalid" || limit === 0) return badRequest("Invalid value for parameter limit: expected an integer from 1 to 100");
  if (limit !== undefined && limit > MAX_LIMIT) return badRequest(`Invalid value for parameter limit: maximum is ${MAX_LIMIT}`);
  const offset = intParam(query, "offset");
  if (offset === "invalid") return badRequest("Invalid value for parameter offset: expected a non-negative integer");
  const ordering = query.get("ordering") || "asc";
  if (ordering !== "asc" && ordering !== "desc") return badRequest("Invalid value for parameter ordering: expected asc or desc");
  return { limit: limit ?? DEFAULT_LIMIT, offset: offset ?? 0, ordering };
}

export function sortAndPage(records: MwwOrderRecord[], q: OrderQuery): MwwOrderRecord[] {
  const sorted = [...records].sort((a, b) => (q.ordering === "asc" ? a.seq - b.seq : b.seq - a.seq));
  return sorted.slice(q.offset, q.offset + q.limit);
}

/** "yyyy-mm-dd hh:mm:ss" of an order's last status change. */
export const statusChangedAt = (o: MwwOrder) => `${o.status_changed_date} ${o.status_changed_time}`;
