// An order as its orders/* webhook payload (REST shape) describes it, for the fake to hold: the demo lets the fake
// Shopify learn an order whose webhook was sent from outside (the README's curl example), as if the order had been
// placed in the shop. The fake's own reads stay strict: an order it was never told about does not exist.
import type { FinancialStatus, OrderInput } from "./types";

type RestAddress = Partial<Record<"first_name" | "last_name" | "name" | "company" | "address1" | "address2" | "city" | "zip" | "province" | "province_code" | "country" | "country_code" | "phone", string | null>>;
type RestLine = { sku?: string | null; title?: string | null; name?: string | null; variant_title?: string | null; quantity?: number; grams?: number; price?: string | null; requires_shipping?: boolean };
type RestOrder = {
  id?: number | bigint | string;
  order_number?: number;
  name?: string;
  email?: string | null;
  created_at?: string | null;
  updated_at?: string | null;
  cancelled_at?: string | null;
  financial_status?: string | null;
  test?: boolean;
  currency?: string | null;
  total_price?: string | null;
  customer?: { first_name?: string | null; last_name?: string | null } | null;
  shipping_address?: RestAddress | null;
  billing_address?: RestAddress | null;
  line_items?: RestLine[];
};

/** null when the payload names no usable id (the fake cannot hold such an order). */
export function orderInputFromWebhook(payload: unknown): OrderInput | null {
  if (typeof payload !== "object" || payload === null) return null;
  const p = payload as RestOrder;
  const id = Number(p.id);
  if (!Number.isSafeInteger(id) || id <= 0) return null;
  const number = p.order_number ?? Number(String(p.name ?? "").replace(/^#/, ""));
  const a = p.shipping_address;
  return {
    id,
    ...(Number.isSafeInteger(number) && number > 0 ? { orderNumber: number } : {}),
    email: p.email ?? null,
    ...(p.created_at ? { createdAt: p.created_at } : {}),
    ...(p.updated_at ? { updatedAt: p.updated_at } : {}),
    cancelledAt: p.cancelled_at ?? null,
    test: p.test ?? false,
    financialStatus: (p.financial_status ?? "paid").toUpperCase() as FinancialStatus,
    ...(p.currency ? { currency: p.currency } : {}),
    ...(p.total_price ? { totalPrice: p.total_price } : {}),
    customer: p.customer ? { firstName: p.customer.first_name ?? null, lastName: p.customer.last_name ?? null } : null,
    shippingAddress: fakeAddress(a),
    ...(p.billing_address !== undefined ? { billingAddress: fakeAddress(p.billing_address) } : {}),
    lineItems: (p.line_items ?? []).map((l) => ({
      sku: l.sku ?? null,
      title: l.title ?? l.name ?? "",
      variantTitle: l.variant_title ?? null,
      quantity: l.quantity ?? 1,
      grams: l.grams ?? 0,
      requiresShipping: l.requires_shipping ?? true,
      ...(l.price ? { price: l.price } : {}),
    })),
  };
}

function fakeAddress(a: RestAddress | null | undefined) {
  return a
    ? {
        firstName: a.first_name ?? null,
        lastName: a.last_name ?? null,
        name: a.name ?? [a.first_name, a.last_name].filter(Boolean).join(" "),
        company: a.company ?? null,
        address1: a.address1 ?? "",
        address2: a.address2 ?? null,
        city: a.city ?? "",
        zip: a.zip ?? "",
        province: a.province ?? null,
        provinceCode: a.province_code ?? null,
        country: a.country ?? "",
        countryCode: a.country_code ?? "",
        phone: a.phone ?? null,
      }
    : null;
}
