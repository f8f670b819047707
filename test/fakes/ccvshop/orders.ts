// Order and row model: defaults for addOrder, updates, the resource as served, and GET /orders filters and sorting.
import { defaultCustomer, emptyBilling, mergeCustomer } from "./addresses";
import { badRequest } from "./http";
import { isoSeconds } from "./signing";
import type { CcvOrder, CcvOrderInput, CcvOrderRow, CcvOrderRowInput, FakeCcvOrder, FakeCcvResponse } from "./types";

export const FIRST_ORDER_ID = 340000001;
export const FIRST_ROW_ID = 880000001;

/** What building an order needs from the shop: its origin, the clock and the id/number counters. */
export type OrderContext = { apiRoot: string; now: () => number; nextRowId: () => number; nextOrdernumber: () => number };

const round2 = (n: number) => Math.round(n * 100) / 100;
const round3 = (n: number) => Math.round(n * 1000) / 1000;

export function buildRow(input: CcvOrderRowInput, ctx: OrderContext): CcvOrderRow {
  const id = ctx.nextRowId();
  return {
    id,
    href: `${ctx.apiRoot}/api/rest/v1/orderrows/${id}`,
    product_id: 1000 + (id % 1000),
    product_name: "Product",
    product_number: `P-${id % 100000}`,
    sub_sku_number: "",
    sub_ean_number: "",
    count: 1,
    price: 19.95,
    weight: 0.5,
    stock_location: "",
    attributes: [],
    ...input,
  };
}

/** Totals as the shop would compute them from rows (row prices incl. VAT) plus shipping. */
export function rowTotals(rows: CcvOrderRow[], shipping: number): { total_price: number; total_weight: number } {
  return {
    total_price: round2(rows.reduce((s, r) => s + r.count * r.price, 0) + shipping),
    total_weight: round3(rows.reduce((s, r) => s + r.count * r.weight, 0)),
  };
}

export function buildOrder(id: number, input: CcvOrderInput, ctx: OrderContext): FakeCcvOrder {
  const href = `${ctx.apiRoot}/api/rest/v1/orders/${id}`;
  const completed = input.is_completed ?? true;
  const base: FakeCcvOrder = {
    id,
    href,
    ordernumber: null,
    ordernumber_prefix: null,
    ordernumber_full: null,
    invoicenumber: null,
    transaction_id: null,
    create_date: isoSeconds(ctx.now()),
    deliver_method: "shipping",
    deliver_date: null,
    delivery_option: null,
    status: completed ? 1 : null,
    is_completed: false,
    paid: true,
    paymethod_id: 1,
    paymethod: "iDEAL",
    total_price: 0,
    total_shipping: 6.95,
    currency: "EUR",
    total_weight: 0,
    track_and_trace_code: null,
    track_and_trace_carrier: null,
    track_and_trace_deeplink: null,
    orderedinlng: "nl",
    // A given billing address starts from empty, so the default's street cannot leak into an address_line_1 one.
    customer: input.customer?.billingaddress ? { ...defaultCustomer(), billingaddress: emptyBilling() } : defaultCustomer(),
    orderrows: { href: `${href}/orderrows` },
    ordernotes: { href: `${href}/ordernotes` },
    ordernotifications: { href: `${href}/ordernotifications` },
    invoices: { href: `${href}/invoices` },
    orderlabels: { href: `${href}/orderlabels` },
    rows: [],
  };
  applyOrderInput(base, { ...input, rows: input.rows ?? [{}], is_completed: completed }, ctx);
  return base;
}

/** Apply addOrder/updateOrder input in place; completing an order gives it the next ordernumber (and status 1). */
export function applyOrderInput(order: FakeCcvOrder, input: CcvOrderInput, ctx: OrderContext): void {
  const { customer, rows, ...fields } = input;
  const wasCompleted = order.is_completed;
  Object.assign(order, fields);
  if (customer) order.customer = mergeCustomer(order.customer, customer);
  if (rows) order.rows = rows.map((r) => buildRow(r, ctx));
  if (order.is_completed && !wasCompleted) {
    if (order.ordernumber === null && !("ordernumber" in input)) order.ordernumber = ctx.nextOrdernumber();
    if (order.status === null && !("status" in input)) order.status = 1;
  }
  if (!("ordernumber_full" in input)) {
    order.ordernumber_full = order.ordernumber === null ? null : `${order.ordernumber_prefix ?? ""}${order.ordernumber}`;
  }
  if (rows || "total_shipping" in input) {
    const t = rowTotals(order.rows, order.total_shipping);
    if (!("total_price" in input)) order.total_price = t.total_price;
    if (!("total_weight" in input)) order.total_weight = t.total_weight;
  }
}

/** The resource as served (rows live behind orderrows.href). A deep copy, so callers cannot alter the store. */
export function orderResource(order: FakeCcvOrder): CcvOrder {
  const { rows: _rows, ...resource } = structuredClone(order);
  return resource;
}

type OrderBy = "id" | "ordernumber" | "create_date" | "deliver_date";
const ORDER_BY: readonly string[] = ["id", "ordernumber", "create_date", "deliver_date"] satisfies OrderBy[];

/** GET /orders filters (is_completed defaults to true: "Toggles completed orders. Default: true.") and sorting. */
export function listOrders(all: FakeCcvOrder[], query: URLSearchParams): FakeCcvOrder[] | FakeCcvResponse {
  const isPaid = boolParam(query, "is_paid");
  const isCompleted = boolParam(query, "is_completed") ?? true;
  const status = intParam(query, "status");
  const ordernumber = intParam(query, "ordernumber");
  const minDate = dateParam(query, "min_create_date", "start");
  const maxDate = dateParam(query, "max_create_date", "end");
  const invalid = (name: string) => badRequest(`Invalid value for parameter ${name}`);
  if (isPaid === "invalid") return invalid("is_paid");
  if (isCompleted === "invalid") return invalid("is_completed");
  if (status === "invalid") return invalid("status");
  if (ordernumber === "invalid") return invalid("ordernumber");
  if (minDate === "invalid") return invalid("min_create_date");
  if (maxDate === "invalid") return invalid("max_create_date");
  const rawOrderBy = query.get("orderby") ?? "id";
  const desc = rawOrderBy.endsWith("_desc");
  const field = desc ? rawOrderBy.slice(0, -"_desc".length) : rawOrderBy;
  if (!ORDER_BY.includes(field)) return badRequest(`Invalid value for parameter orderby: ${rawOrderBy}`);

  const picked = all.filter(
    (o) =>
      (isPaid === undefined || o.paid === isPaid) &&
      o.is_completed === isCompleted &&
      (status === undefined || o.status === status) &&
      (ordernumber === undefined || o.ordernumber === ordernumber) &&
      (minDate === undefined || Date.parse(o.create_date) >= minDate) &&
      (maxDate === undefined || Date.parse(o.create_date) <= maxDate),
  );
  return picked.sort((a, b) => compare(a, b, field as OrderBy, desc));
}

/** Nulls sort last either way; ties fall back to id ascending so paging is stable. */
function compare(a: FakeCcvOrder, b: FakeCcvOrder, field: OrderBy, desc: boolean): number {
  const key = (o: FakeCcvOrder): number | null =>
    field === "id" ? o.id : field === "ordernumber" ? o.ordernumber : field === "create_date" ? Date.parse(o.create_date) : o.deliver_date ? Date.parse(o.deliver_date) : null;
  const ka = key(a);
  const kb = key(b);
  if (ka === kb) return a.id - b.id;
  if (ka === null) return 1;
  if (kb === null) return -1;
  return desc ? kb - ka : ka - kb;
}

function boolParam(query: URLSearchParams, name: string): boolean | undefined | "invalid" {
  const raw = query.get(name);
  if (raw === null) return undefined;
  if (raw === "true" || raw === "1") return true;
  if (raw === "false" || raw === "0") return false;
  return "invalid";
}

function intParam(query: URLSearchParams, name: string): number | undefined | "invalid" {
  const raw = query.get(name);
  if (raw === null) return undefined;
  return /^\d{1,10}$/.test(raw) ? Number(raw) : "invalid";
}

/**
 * ISO date or date-time; without a zone it is taken as UTC (PHP clients send "2026-11-30 09:12:00"). A bare date
 * as max_create_date means through the end of that day.
 */
function dateParam(query: URLSearchParams, name: string, bound: "start" | "end"): number | undefined | "invalid" {
  const raw = query.get(name);
  if (raw === null) return undefined;
  if (/^\d{4}-\d{2}-\d{2}$/.test(raw)) {
    const day = Date.parse(`${raw}T00:00:00Z`);
    if (Number.isNaN(day)) return "invalid";
    return bound === "start" ? day : day + 86_400_000 - 1;
  }
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})?$/.exec(raw);
  if (!m) return "invalid";
  const zone = m[3] ? m[3].replace(/^([+-]\d{2})(\d{2})$/, "$1:$2") : "Z";
  const ms = Date.parse(`${m[1]}T${m[2]}${zone}`);
  return Number.isNaN(ms) ? "invalid" : ms;
}
