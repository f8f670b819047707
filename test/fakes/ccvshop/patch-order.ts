// PATCH /orders/{id}: which fields CCV accepts, their types, and what applying them does. `orderrows` REPLACES every
// row (contract §"Added 2026-12-01"), so a client that sends it can destroy the order's rows; the fake does the same.
import { isObj } from "./http";
import type { CcvCustomerInput, CcvOrderInput, CcvOrderRowInput } from "./types";
import { intBetween, isArr, isBool, isInt, isIntOrNull, isNum, isStr, isStrOrNull, oneOf, problem, type Check } from "./validate";

const ADDRESS: Record<string, Check> = {
  gender: isStrOrNull,
  initials: isStr,
  full_name: isStr,
  company: isStr,
  street: isStr,
  housenumber: isIntOrNull,
  housenumber_suffix: isStr,
  address_line_1: isStr,
  address_line_2: isStr,
  zipcode: isStr,
  city: isStr,
  province: isStr,
  country: isStr,
  country_code: isStr,
  telephone: isStr,
  mobile: isStr,
  comment: isStr,
};
const BILLING: Record<string, Check> = { ...ADDRESS, first_name: isStr, last_name: isStr, fax: isStr };
const CUSTOMER: Record<string, Check> = { email: isStr, customertype: oneOf("b2c", "b2b"), billingaddress: isObj, deliveryaddress: isObj };
const ROW: Record<string, Check> = {
  product_id: isIntOrNull,
  product_name: isStr,
  product_number: isStr,
  sub_sku_number: isStr,
  sub_ean_number: isStr,
  count: isInt,
  price: isNum,
  weight: isNum,
  stock_location: isStr,
  attributes: isArr,
};
const PATCH: Record<string, Check> = {
  status: intBetween(1, 14),
  track_and_trace_code: isStrOrNull,
  track_and_trace_carrier: isStrOrNull,
  mail: isBool,
  note: isStr,
  paid: isBool,
  customer: isObj,
  orderrows: isArr,
};

export type OrderPatch = { update: CcvOrderInput; mail: boolean; note?: string };

/** The update to apply, or the 400 message. */
export function readOrderPatch(body: unknown): OrderPatch | string {
  const top = problem(body, PATCH);
  if (top) return top;
  const b = body as Record<string, unknown>;
  if (b.customer !== undefined) {
    const c = b.customer as Record<string, unknown>;
    const p = problem(c, CUSTOMER, "customer.") ?? subProblem(c.billingaddress, BILLING, "customer.billingaddress.") ?? subProblem(c.deliveryaddress, ADDRESS, "customer.deliveryaddress.");
    if (p) return p;
  }
  if (b.orderrows !== undefined) {
    const rows = b.orderrows as unknown[];
    for (const [i, row] of rows.entries()) {
      const p = problem(row, ROW, `orderrows[${i}].`);
      if (p) return p;
    }
  }
  const update: CcvOrderInput = {};
  if (b.status !== undefined) update.status = b.status as number;
  if (b.track_and_trace_code !== undefined) update.track_and_trace_code = b.track_and_trace_code as string | null;
  if (b.track_and_trace_carrier !== undefined) update.track_and_trace_carrier = b.track_and_trace_carrier as string | null;
  if (b.paid !== undefined) update.paid = b.paid as boolean;
  if (b.customer !== undefined) update.customer = b.customer as CcvCustomerInput;
  if (b.orderrows !== undefined) update.rows = b.orderrows as CcvOrderRowInput[];
  return { update, mail: b.mail === true, ...(typeof b.note === "string" ? { note: b.note } : {}) };
}

function subProblem(v: unknown, schema: Record<string, Check>, where: string): string | null {
  return v === undefined ? null : problem(v, schema, where);
}
