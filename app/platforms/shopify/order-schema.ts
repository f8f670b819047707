// zod schemas for what Shopify sends about orders (REST-shaped webhook payloads and Admin GraphQL nodes),
// and their mapping to the core's PlatformOrder. Both paths produce the same ids and state names.
import { z } from "zod";
import type { OrderLine, ShipTo } from "../../db/schema";
import type { ParseResult, PlatformOrder } from "../../core/ports";
import { splitHouseNumber } from "../../core/address";
import { finishPlatformOrder, INT4_MAX, MAX_LINE_QUANTITY } from "../../core/platform-order";
import { SHIPPABLE_METHODS } from "./fulfillment-order-kinds";
import { knownFulfillmentOrders } from "./known-fulfillment-orders";

// ------------------------------------------------------------------ shared helpers

const str = z.string();
const optStr = z.string().nullish();
const isoDate = z
  .string()
  .refine((s) => !Number.isNaN(Date.parse(s)), { message: "Invalid date-time" })
  .transform((s) => new Date(s));

/**
 * Shopify's numeric ids arrive as numbers in REST and as strings (UnsignedInt64) in GraphQL; above 2^53 (Shopify's
 * test notifications: 820982911946154508) the webhook's lossless parse makes them BigInts. Always a string after.
 */
const numericId = z.union([z.number().int().nonnegative(), z.bigint().nonnegative(), z.string().regex(/^\d+$/)]).transform((v) => String(v));
/**
 * The customer's id: it only lets customers/redact find the order, so one that cannot be read exactly (a number a
 * lossy parser rounded, odd text) is left out rather than failing the order; raw keeps it as it came.
 */
const customerIdValue = z.union([numericId, z.unknown().transform(() => null)]);
/** A line's quantity: zero and negative ship nothing (core), beyond ±MAX_LINE_QUANTITY the order is invalid. */
const quantity = z.number().int().min(-MAX_LINE_QUANTITY).max(MAX_LINE_QUANTITY);
/** Grams as Koppel stores them (an integer column). */
const gramsValue = z.number().min(0).max(INT4_MAX);

/** The digits of gid://shopify/{type}/{digits}, or null. */
export function gidDigits(gid: string | null | undefined, type: string): string | null {
  const m = gid ? /^gid:\/\/shopify\/(\w+)\/(\d+)$/.exec(gid) : null;
  return m && m[1] === type ? m[2]! : null;
}

export function formatZodIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 10)
    .map((i) => `${i.path.length ? i.path.join(".") : "(root)"}: ${i.message}`)
    .join("; ");
}

function joinName(first: string | null | undefined, last: string | null | undefined): string | null {
  const n = [first, last].filter((x) => x && x.trim()).join(" ").trim();
  return n || null;
}

type AddressFields = {
  name?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  company?: string | null;
  address1?: string | null;
  address2?: string | null;
  city?: string | null;
  zip?: string | null;
  province?: string | null;
  countryCode?: string | null;
  phone?: string | null;
};

function restAddressFields(a: z.output<typeof RestAddress> | null | undefined): AddressFields | null {
  return a
    ? { name: a.name, firstName: a.first_name, lastName: a.last_name, company: a.company, address1: a.address1, address2: a.address2, city: a.city, zip: a.zip, province: a.province, countryCode: a.country_code, phone: a.phone }
    : null;
}

function toShipTo(a: AddressFields | null | undefined): ShipTo | null {
  if (!a) return null;
  const country = (a.countryCode ?? "").toUpperCase();
  const address1 = (a.address1 ?? "").trim();
  const split = address1 ? splitHouseNumber(address1, country) : null;
  return {
    name: (a.name?.trim() || joinName(a.firstName, a.lastName)) ?? "",
    company: a.company?.trim() || null,
    address1,
    address2: a.address2?.trim() || null,
    street: split?.street ?? null,
    houseNumber: split?.houseNumber ?? null,
    houseNumberAddition: split?.houseNumberAddition ?? null,
    postcode: (a.zip ?? "").trim(),
    city: (a.city ?? "").trim(),
    province: a.province?.trim() || null,
    country,
    phone: a.phone?.trim() || null,
  };
}

/** Shopify's fulfillment state in Koppel's words: unfulfilled | partial | fulfilled | restocked. */
export function normaliseFulfillmentStatus(value: string | null | undefined): string {
  switch ((value ?? "").toLowerCase()) {
    case "fulfilled":
    case "shipped":
      return "fulfilled";
    case "partial":
    case "partially_fulfilled":
      return "partial";
    case "restocked":
      return "restocked";
    default:
      // null (REST) / UNFULFILLED, IN_PROGRESS, ON_HOLD, OPEN, SCHEDULED, PENDING_FULFILLMENT, REQUEST_DECLINED
      return "unfulfilled";
  }
}

// ------------------------------------------------------------------ REST webhook payload (orders/*)

const RestAddress = z.object({
  first_name: optStr,
  last_name: optStr,
  name: optStr,
  company: optStr,
  address1: optStr,
  address2: optStr,
  city: optStr,
  zip: optStr,
  province: optStr,
  country: optStr,
  country_code: optStr,
  phone: optStr,
});

export const OrderWebhookPayloadSchema = z.object({
  // A number that is not an exact integer (an id above 2^53 read by a lossy JSON parser): null, and the id then
  // comes from admin_graphql_api_id.
  id: z.union([numericId, z.number().transform(() => null)]),
  admin_graphql_api_id: optStr,
  name: str.min(1),
  email: optStr,
  created_at: isoDate,
  updated_at: isoDate,
  cancelled_at: isoDate.nullish(),
  financial_status: optStr,
  fulfillment_status: optStr,
  test: z.boolean().nullish(),
  currency: optStr,
  total_price: optStr,
  current_total_price: optStr,
  // Negative when a line's quantity is (such lines ship nothing): then unknown.
  total_weight: z.number().max(INT4_MAX).nullish(),
  // REST sends tags as one comma-separated string (https://shopify.dev/docs/api/admin-rest/latest/resources/order).
  tags: z.string().nullish().catch(null),
  shipping_lines: z.array(z.object({ title: optStr })).nullish().catch(null),
  customer: z.object({ id: customerIdValue.optional(), admin_graphql_api_id: z.unknown().optional(), first_name: optStr, last_name: optStr }).nullish(),
  shipping_address: RestAddress.nullish(),
  billing_address: RestAddress.nullish(),
  line_items: z.array(
    z.object({
      sku: optStr,
      name: optStr,
      title: optStr,
      quantity,
      grams: gramsValue.nullish(),
      requires_shipping: z.boolean().nullish(),
    }),
  ),
});
export type OrderWebhookPayload = z.input<typeof OrderWebhookPayloadSchema>;

/** "express, cadeau" → ["express", "cadeau"]. */
function splitTags(tags: string | null | undefined): string[] {
  return (tags ?? "").split(",").map((t) => t.trim()).filter(Boolean);
}

export function parseOrderWebhookPayload(payload: unknown): ParseResult<PlatformOrder> {
  const r = OrderWebhookPayloadSchema.safeParse(payload);
  if (!r.success) return { ok: false, reason: `Invalid Shopify order webhook payload: ${formatZodIssues(r.error)}` };
  const p = r.data;
  const shipTo = toShipTo(restAddressFields(p.shipping_address));
  const billTo = toShipTo(restAddressFields(p.billing_address));
  const lines: OrderLine[] = p.line_items.map((l) => ({
    sku: l.sku || null,
    name: l.name || l.title || "",
    quantity: l.quantity,
    weightGrams: l.grams ?? null,
    requiresShipping: l.requires_shipping ?? true,
  }));
  // The GID holds the id as text: exact even where the number in `id` was read by a lossy JSON parser.
  const platformOrderId = gidDigits(p.admin_graphql_api_id, "Order") ?? p.id;
  if (platformOrderId === null) return { ok: false, reason: "Invalid Shopify order webhook payload: id: not an exact integer, and no admin_graphql_api_id" };
  const customerGid = p.customer?.admin_graphql_api_id;
  const customerId = gidDigits(typeof customerGid === "string" ? customerGid : null, "Customer") ?? p.customer?.id ?? null;
  return finishPlatformOrder({
    platformOrderId,
    number: p.name,
    placedAt: p.created_at,
    updatedAt: p.updated_at,
    financialStatus: (p.financial_status ?? "pending").toLowerCase(),
    fulfillmentStatus: normaliseFulfillmentStatus(p.fulfillment_status),
    cancelled: p.cancelled_at != null,
    test: p.test ?? false,
    customerName: joinName(p.customer?.first_name, p.customer?.last_name) ?? (shipTo?.name || null),
    email: p.email || null,
    customerId,
    company: shipTo?.company ?? null,
    shipTo,
    billTo,
    lines,
    totalPrice: p.current_total_price ?? p.total_price ?? null,
    currency: p.currency ?? null,
    totalWeightGrams: p.total_weight != null && p.total_weight >= 0 ? p.total_weight : null,
    tags: splitTags(p.tags),
    shippingMethod: p.shipping_lines?.find((l) => l.title)?.title ?? null,
    raw: payload,
  });
}

// ------------------------------------------------------------------ Admin GraphQL order node

const GqlAddress = z.object({
  name: optStr,
  firstName: optStr,
  lastName: optStr,
  company: optStr,
  address1: optStr,
  address2: optStr,
  city: optStr,
  zip: optStr,
  province: optStr,
  provinceCode: optStr,
  countryCodeV2: optStr,
  phone: optStr,
});

const WEIGHT_TO_GRAMS: Record<string, number> = { GRAMS: 1, KILOGRAMS: 1000, OUNCES: 28.349523125, POUNDS: 453.59237 };

export const GqlLineItemSchema = z.object({
  id: str,
  sku: optStr,
  name: str,
  quantity,
  requiresShipping: z.boolean().nullish(),
  variant: z
    .object({
      inventoryItem: z
        .object({
          measurement: z.object({ weight: z.object({ unit: str, value: z.number() }).nullish() }).nullish(),
        })
        .nullish(),
    })
    .nullish(),
});

export { SHIPPABLE_METHODS };

/**
 * An order's first fulfillment orders as the order queries read them: enough to tell a local pick-up, and (with their
 * ids) for markShipped to fulfil the order without reading them again (known-fulfillment-orders.ts).
 */
const GqlOrderFulfillmentOrders = z.object({
  nodes: z.array(z.object({ id: optStr, status: optStr, deliveryMethod: z.object({ methodType: optStr }).nullish() })),
  pageInfo: z.object({ hasNextPage: z.boolean() }).optional(),
});

export const GqlOrderNodeSchema = z.object({
  id: str,
  legacyResourceId: numericId,
  name: str,
  email: optStr,
  createdAt: isoDate,
  updatedAt: isoDate,
  cancelledAt: isoDate.nullish(),
  test: z.boolean(),
  displayFinancialStatus: optStr,
  displayFulfillmentStatus: str,
  totalWeight: z.union([z.string().regex(/^\d+$/), z.number().nonnegative()]).nullish(),
  tags: z.array(z.string()).nullish().catch(null),
  shippingLine: z.object({ title: optStr }).nullish().catch(null),
  customer: z.object({ id: optStr, firstName: optStr, lastName: optStr, displayName: optStr }).nullish(),
  shippingAddress: GqlAddress.nullish(),
  billingAddress: GqlAddress.nullish(),
  currentTotalPriceSet: z.object({ shopMoney: z.object({ amount: str, currencyCode: str }) }).nullish(),
  lineItems: z.object({
    nodes: z.array(GqlLineItemSchema),
    pageInfo: z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() }).optional(),
  }),
  fulfillmentOrders: GqlOrderFulfillmentOrders.optional(),
});
export type GqlOrderNode = z.output<typeof GqlOrderNodeSchema>;
export type GqlLineItem = z.output<typeof GqlLineItemSchema>;

export const OrdersPageSchema = z.object({
  orders: z.object({
    nodes: z.array(z.unknown()),
    pageInfo: z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() }),
  }),
});

function lineWeightGrams(l: GqlLineItem): number | null {
  const w = l.variant?.inventoryItem?.measurement?.weight;
  const factor = w ? WEIGHT_TO_GRAMS[w.unit] : undefined;
  return w && factor ? Math.round(w.value * factor) : null;
}

/**
 * Map a GraphQL order node. `lines` may replace node.lineItems.nodes (after fetching further pages). When line
 * weights were not queried (too expensive in a 50-order page) and exactly one line needs shipping, its unit weight
 * is derived from Order.totalWeight; otherwise it stays null. Invalid (with the reason) when a number is out of range.
 */
export function mapGraphqlOrder(node: GqlOrderNode, raw: unknown, lines: GqlLineItem[] = node.lineItems.nodes): ParseResult<PlatformOrder> {
  const a = node.shippingAddress;
  // Collected by the customer (or nothing to deliver): no address for a carrier, so the core keeps it out of "to ship".
  const shipTo = deliversNothing(node.fulfillmentOrders) ? null : toShipTo(a && { ...a, countryCode: a.countryCodeV2 });
  const totalWeight = node.totalWeight == null ? null : Number(node.totalWeight);
  const shippable = lines.filter((l) => l.requiresShipping ?? true);
  const mapped: OrderLine[] = lines.map((l) => {
    let weightGrams = lineWeightGrams(l);
    if (weightGrams === null && totalWeight !== null && shippable.length === 1 && shippable[0] === l && l.quantity > 0)
      weightGrams = Math.round(totalWeight / l.quantity);
    if (weightGrams === null && (l.requiresShipping ?? true) === false) weightGrams = 0;
    return { sku: l.sku || null, name: l.name, quantity: l.quantity, weightGrams, requiresShipping: l.requiresShipping ?? true };
  });
  const customerName = joinName(node.customer?.firstName, node.customer?.lastName) ?? (shipTo?.name || null);
  return finishPlatformOrder({
    platformOrderId: node.legacyResourceId,
    number: node.name,
    placedAt: node.createdAt,
    updatedAt: node.updatedAt,
    financialStatus: (node.displayFinancialStatus ?? "pending").toLowerCase(),
    fulfillmentStatus: normaliseFulfillmentStatus(node.displayFulfillmentStatus),
    cancelled: node.cancelledAt != null,
    test: node.test,
    customerName,
    email: node.email || null,
    // gid://shopify/Customer/123 → "123", the id REST webhooks and customers/redact use.
    customerId: gidDigits(node.customer?.id, "Customer"),
    company: shipTo?.company ?? null,
    shipTo,
    billTo: toShipTo(node.billingAddress && { ...node.billingAddress, countryCode: node.billingAddress.countryCodeV2 }),
    lines: mapped,
    totalPrice: node.currentTotalPriceSet?.shopMoney.amount ?? null,
    currency: node.currentTotalPriceSet?.shopMoney.currencyCode ?? null,
    totalWeightGrams: totalWeight,
    tags: (node.tags ?? []).map((t) => t.trim()).filter(Boolean),
    // Not in the sync's query (it would raise the query cost of every page): absent, so the import keeps what the webhook gave.
    shippingMethod: node.shippingLine === undefined ? undefined : (node.shippingLine?.title ?? null),
    raw,
    platformData: knownFulfillmentOrders(node.fulfillmentOrders),
  });
}

/**
 * True when the order's fulfillment orders say no carrier is needed: every one (not cancelled) is a local pick-up,
 * a local delivery, a sale in the shop or nothing to deliver. Unknown when they were not read, when there are more
 * than were read, or when none is visible (e.g. all at another app's fulfillment service): then false, as before.
 * A fulfillment order without a delivery method counts as shipping (as markShipped treats it).
 */
export function deliversNothing(fos: z.output<typeof GqlOrderFulfillmentOrders> | undefined): boolean {
  if (!fos || fos.pageInfo?.hasNextPage) return false;
  const live = fos.nodes.filter((fo) => fo.status !== "CANCELLED");
  return live.length > 0 && live.every((fo) => fo.deliveryMethod?.methodType != null && !SHIPPABLE_METHODS.has(fo.deliveryMethod.methodType));
}

// ------------------------------------------------------------------ GraphQL response envelope, fulfillment

export const ThrottleStatusSchema = z.object({
  maximumAvailable: z.number(),
  currentlyAvailable: z.number(),
  restoreRate: z.number(),
});
export type ThrottleStatus = z.output<typeof ThrottleStatusSchema>;

export const GraphqlEnvelopeSchema = z.object({
  data: z.unknown().optional(),
  errors: z
    .union([
      z.array(
        z.object({
          message: z.string(),
          extensions: z.object({ code: z.string().optional() }).loose().optional(),
        }).loose(),
      ),
      z.string(),
    ])
    .optional(),
  extensions: z
    .object({
      cost: z
        .object({
          requestedQueryCost: z.number(),
          actualQueryCost: z.number().nullable().optional(),
          throttleStatus: ThrottleStatusSchema,
        })
        .optional(),
    })
    .loose()
    .optional(),
});
export type GraphqlEnvelope = z.output<typeof GraphqlEnvelopeSchema>;

export const FulfillmentOrdersSchema = z.object({
  order: z
    .object({
      id: str,
      fulfillmentOrders: z.object({
        nodes: z.array(
          z.object({
            id: str,
            status: str,
            requestStatus: str,
            assignedLocation: z.object({ name: str, location: z.object({ id: str }).nullish() }),
            deliveryMethod: z.object({ methodType: str }).nullish(),
            lineItems: z.object({
              nodes: z.array(
                z.object({
                  id: str,
                  remainingQuantity: z.number().int(),
                  totalQuantity: z.number().int(),
                  lineItem: z.object({ id: str, sku: optStr, name: str, requiresShipping: z.boolean().nullish() }),
                }),
              ),
            }),
          }),
        ),
      }),
    })
    .nullable(),
});

/** The batched read of markShipped: per order asked for (in the same place), its fulfillment orders' state and method. */
export const FulfillmentOrderHeadsSchema = z.object({
  nodes: z.array(
    z
      .object({
        id: str,
        fulfillmentOrders: z.object({
          nodes: z.array(z.object({ id: str, status: str, deliveryMethod: z.object({ methodType: str }).nullish() })),
          pageInfo: z.object({ hasNextPage: z.boolean() }),
        }),
      })
      .nullable(),
  ),
});

/** All fulfillment orders of one order with their location (markShipped, when it must group by location). */
export const OrderFulfillmentOrdersPageSchema = z.object({
  order: z
    .object({
      fulfillmentOrders: z.object({
        nodes: z.array(
          z.object({
            id: str,
            status: str,
            assignedLocation: z.object({ name: str, location: z.object({ id: str }).nullish() }),
            deliveryMethod: z.object({ methodType: str }).nullish(),
          }),
        ),
        pageInfo: z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() }),
      }),
    })
    .nullable(),
});

export const FulfillmentCreateSchema = z.object({
  fulfillmentCreate: z
    .object({
      fulfillment: z
        .object({
          id: str,
          status: str,
          trackingInfo: z.array(z.object({ company: optStr, number: optStr, url: optStr })),
          order: z.object({ displayFulfillmentStatus: str }).nullish(),
        })
        .nullable(),
      userErrors: z.array(z.object({ field: z.array(z.string()).nullish(), message: str })),
    })
    .nullable(),
});
