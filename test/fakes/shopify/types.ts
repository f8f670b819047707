// Internal state of the fake Shopify. Field names follow the Admin GraphQL API where one exists.

export type FinancialStatus =
  | "PENDING"
  | "AUTHORIZED"
  | "PARTIALLY_PAID"
  | "PAID"
  | "PARTIALLY_REFUNDED"
  | "REFUNDED"
  | "VOIDED"
  | "EXPIRED";

export type DisplayFulfillmentStatus =
  | "UNFULFILLED"
  | "PARTIALLY_FULFILLED"
  | "FULFILLED"
  | "IN_PROGRESS"
  | "ON_HOLD"
  | "OPEN"
  | "PENDING_FULFILLMENT"
  | "REQUEST_DECLINED"
  | "RESTOCKED"
  | "SCHEDULED";

export type FulfillmentOrderStatus =
  | "OPEN"
  | "IN_PROGRESS"
  | "ON_HOLD"
  | "SCHEDULED"
  | "INCOMPLETE"
  | "CLOSED"
  | "CANCELLED";

export type DeliveryMethodType = "SHIPPING" | "PICKUP_POINT" | "PICK_UP" | "LOCAL" | "RETAIL" | "NONE";

export type FakeAddress = {
  firstName: string | null;
  lastName: string | null;
  name: string;
  company: string | null;
  address1: string;
  address2: string | null;
  city: string;
  zip: string;
  province: string | null;
  provinceCode: string | null;
  country: string;
  countryCode: string;
  phone: string | null;
};

export type FakeLineItem = {
  id: number;
  sku: string | null;
  /** Product title. */
  title: string;
  variantTitle: string | null;
  quantity: number;
  /** Weight of one unit, grams. */
  grams: number;
  requiresShipping: boolean;
  /** Unit price, e.g. "24.95". */
  price: string;
  variantId: number;
  inventoryItemId: number;
};

export type FakeFulfillmentOrderLineItem = {
  id: number;
  lineItemId: number;
  totalQuantity: number;
  remainingQuantity: number;
};

export type FakeFulfillmentOrder = {
  id: number;
  status: FulfillmentOrderStatus;
  requestStatus: string;
  locationId: number;
  locationName: string;
  methodType: DeliveryMethodType;
  lineItems: FakeFulfillmentOrderLineItem[];
};

export type FakeTrackingInfo = { company: string | null; number: string | null; url: string | null };

export type FakeFulfillment = {
  id: number;
  status: "SUCCESS" | "CANCELLED";
  createdAt: string;
  trackingInfo: FakeTrackingInfo[];
  fulfillmentOrderIds: number[];
};

export type FakeOrder = {
  id: number;
  orderNumber: number;
  /** "#1001" */
  name: string;
  email: string | null;
  createdAt: string;
  updatedAt: string;
  cancelledAt: string | null;
  closed: boolean;
  test: boolean;
  financialStatus: FinancialStatus;
  fulfillmentStatus: DisplayFulfillmentStatus;
  currency: string;
  totalPrice: string;
  tags: string[];
  shippingMethod: string | null;
  customer: { id: number; firstName: string | null; lastName: string | null; email: string | null } | null;
  shippingAddress: FakeAddress | null;
  billingAddress: FakeAddress | null;
  lineItems: FakeLineItem[];
  fulfillmentOrders: FakeFulfillmentOrder[];
  fulfillments: FakeFulfillment[];
};

export type LineSeed = {
  sku?: string | null;
  title: string;
  variantTitle?: string | null;
  quantity: number;
  grams: number;
  requiresShipping?: boolean;
  price?: string;
};

export type FulfillmentOrderSeed = {
  status?: FulfillmentOrderStatus;
  methodType?: DeliveryMethodType;
  locationName?: string;
  /** Indexes into lineItems; default: all lines that require shipping. */
  lineIndexes?: number[];
};

/** What tests and the demo seed with. For an existing `id` only the given fields change (and updatedAt moves on). */
export type OrderInput = {
  id?: number;
  /** The order's number ("#9001" → 9001) when the caller knows it (an order learnt from its webhook); default: the shop's next. */
  orderNumber?: number;
  email?: string | null;
  createdAt?: string | Date;
  updatedAt?: string | Date;
  cancelledAt?: string | Date | null;
  closed?: boolean;
  test?: boolean;
  financialStatus?: FinancialStatus;
  /** "FULFILLED" on an existing order = fulfilled elsewhere (e.g. in the Shopify admin): its fulfillment orders close. */
  fulfillmentStatus?: "UNFULFILLED" | "PARTIALLY_FULFILLED" | "FULFILLED";
  currency?: string;
  totalPrice?: string;
  /** Order tags (Shopify: a list; REST webhooks send them comma-separated). */
  tags?: string[];
  /** The shipping line's title the customer chose ("Standaard verzending"); null = none. */
  shippingMethod?: string | null;
  customer?: { firstName: string | null; lastName: string | null; email?: string | null } | null;
  shippingAddress?: Partial<FakeAddress> | null;
  /** Default: the shipping address (most orders are billed where they ship); null = no billing address. */
  billingAddress?: Partial<FakeAddress> | null;
  lineItems?: LineSeed[];
  fulfillmentOrders?: FulfillmentOrderSeed[];
};

export type FulfillmentCall = {
  at: string;
  shop: string;
  input: {
    lineItemsByFulfillmentOrder: { fulfillmentOrderId: string; fulfillmentOrderLineItems?: { id: string; quantity: number }[] | null }[];
    notifyCustomer?: boolean | null;
    trackingInfo?: { company?: string | null; number?: string | null; url?: string | null } | null;
  };
  message: string | null;
  /** Set when the call created a fulfillment. */
  fulfillmentId: string | null;
  userErrors: { field: string[] | null; message: string }[];
};

export interface FakeClockLike {
  now(): Date;
}
