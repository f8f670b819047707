// Wire shapes of the fake CCV Shop REST API (snake_case as CCV sends them; see shared/contracts/ccvshop.md §4).

/** One address as CCV sends it: either street + housenumber (+ suffix) or address_line_1/2. */
export type CcvAddress = {
  gender: string | null;
  initials: string;
  full_name: string;
  company: string;
  street: string;
  housenumber: number | null;
  housenumber_suffix: string;
  address_line_1: string;
  address_line_2: string;
  zipcode: string;
  city: string;
  province: string;
  country: string;
  country_code: string;
  telephone: string;
  mobile: string;
  comment: string;
};

export type CcvBillingAddress = CcvAddress & { first_name: string; last_name: string; fax: string };

export type CcvCustomer = {
  id?: number;
  email: string;
  customertype: "b2c" | "b2b";
  billingaddress: CcvBillingAddress;
  /** All-empty ("" / null) when the order ships to the billing address. */
  deliveryaddress: CcvAddress;
};

export type CcvOrderRow = {
  id: number;
  href: string;
  product_id: number | null;
  product_name: string;
  product_number: string;
  sub_sku_number: string;
  sub_ean_number: string;
  count: number;
  price: number;
  /** kg per piece */
  weight: number;
  stock_location: string;
  attributes: unknown[];
};

export type CcvDeliverMethod = "shipping" | "delivery" | "pickup";

/** The order resource as GET /orders/{id} returns it. */
export type CcvOrder = {
  id: number;
  href: string;
  ordernumber: number | null;
  ordernumber_prefix: string | null;
  ordernumber_full: string | null;
  invoicenumber: number | null;
  transaction_id: string | null;
  create_date: string;
  deliver_method: CcvDeliverMethod;
  deliver_date: string | null;
  /** The delivery option the customer chose (PG, PGE: a PostNL pick-up point; DHDLE), or null. */
  delivery_option: string | null;
  status: number | null;
  is_completed: boolean;
  paid: boolean;
  paymethod_id: number | null;
  paymethod: string;
  total_price: number;
  total_shipping: number;
  currency: string;
  /** kg */
  total_weight: number;
  track_and_trace_code: string | null;
  track_and_trace_carrier: string | null;
  track_and_trace_deeplink: string | null;
  orderedinlng: string;
  customer: CcvCustomer;
  orderrows: { href: string };
  ordernotes: { href: string };
  ordernotifications: { href: string };
  invoices: { href: string };
  /** The order's labels (GET /orders/{id}/orderlabels). */
  orderlabels: { href: string };
};

/** A label of the shop (GET /labels): `tooltip` is its name in CCV's filters; an order carries labels by id. */
export type CcvLabel = {
  id: number;
  href: string;
  image_location: string;
  tooltip: string | null;
  show_on_products: boolean;
  show_on_orders: boolean;
  show_on_invoices: boolean;
};

/** What the fake keeps per order: the resource plus its rows (served at /orders/{id}/orderrows). */
export type FakeCcvOrder = CcvOrder & { rows: CcvOrderRow[] };

export type CcvAddressInput = Partial<CcvAddress>;
export type CcvCustomerInput = Partial<Omit<CcvCustomer, "billingaddress" | "deliveryaddress">> & {
  billingaddress?: Partial<CcvBillingAddress>;
  /** Omitted → all-empty (ships to billing), as CCV sends it. */
  deliveryaddress?: CcvAddressInput;
};
export type CcvOrderRowInput = Partial<Omit<CcvOrderRow, "id" | "href">>;
export type CcvOrderInput = Partial<Omit<CcvOrder, "id" | "href" | "customer" | "orderrows" | "ordernotes" | "ordernotifications" | "invoices" | "orderlabels">> & {
  customer?: CcvCustomerInput;
  rows?: CcvOrderRowInput[];
};

export type CcvWebhookEvent =
  | "orders.created"
  | "orders.updated.ispaid"
  | "orders.updated.status"
  | "orders.updated.trackandtrace"
  | "orders.deleted"
  | "invoices.updated.status"
  | `${"products" | "returns" | "categories"}.${"created" | "updated" | "deleted"}`;

/** The order events sendWebhook can deliver. */
export type CcvOrderWebhookEvent = "orders.created" | "orders.updated.ispaid" | "orders.updated.status" | "orders.updated.trackandtrace";

export type CcvWebhook = {
  id: number;
  href: string;
  createdate: string;
  event: CcvWebhookEvent;
  address: string;
  is_active: boolean;
  /** "The secret key associated with this event"; what CCV hashes with it is unconfirmed. */
  key: string;
};

export type CcvApp = { id: number; href: string; name: string; is_installed: boolean };

/** CCV's error body. */
export type CcvErrorBody = { code: string; status: number; developermessage: string };

/** Per-minute limits; `other` applies to each resource+method outside /orders. */
export type LimitKey = "ordersGet" | "ordersWrite" | "other" | "total";

/** A request as the fake saw it. */
export type FakeCcvRequest = {
  method: string;
  /** Path with query string, exactly as sent. */
  path: string;
  /** Lowercased names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: string;
  /** Status the fake answered. */
  status: number;
};

export type FakeCcvResponse = { status: number; headers: Record<string, string>; body: string };

export type FakeCcvPatch = { id: number; body: unknown; status: number };
export type FakeCcvPost = { path: string; body: unknown; status: number };
/** A customer e-mail the shop would send (PATCH with mail: true, or an ordernotification). */
export type FakeCcvMail = { orderId: number; kind: "status" | "notification"; status: number | null; type?: string; track_and_trace_code: string | null; note?: string };
export type FakeCcvDelivery = { event: CcvOrderWebhookEvent; address: string; body: string; status: number };
