// Wire shapes of the fake MyOnlineStore (Mijnwebwinkel) Connect API v1, in the field names of MyOnlineStore's public
// OpenAPI spec (MyOnlineStore/public-api-docs spec/openapi.yaml) and shared/contracts/carrier-and-mijnwebwinkel.md §B.

/** Address (delivery): street and house `number` separate, `number` a string that may carry the suffix ("12-2"). */
export type MwwAddress = {
  gender: string;
  name: string;
  company: string;
  phone: string;
  street: string;
  number: string;
  zipcode: string;
  city: string;
  /** Localised country name (deprecated in the spec, still sent). */
  country: string;
  country_code: string;
};

export type MwwInvoiceAddress = MwwAddress & { taxnumber: string; bankaccount: string };

export type MwwDebtor = {
  /** Customer account UUID, when the order is linked to one. */
  id?: string;
  email: string;
  /** Deprecated copy of address.invoice.name. */
  name: string;
  link_to_account: boolean;
  /** `delivery` is absent when the order ships to the invoice address (as in the spec's own example). */
  address: { invoice: MwwInvoiceAddress; delivery?: MwwAddress };
};

/** Amounts are decimal strings; `rate` a percentage ("21.00"). */
export type MwwTaxPrice = { rate: string; amount: string; amount_including_tax?: string };

export type MwwOrderArticle = {
  id: number;
  sku: string;
  description: string;
  /** Unit price excluding VAT (6 decimals). */
  price: { amount: string; rate: string; purchase_price: string };
  options: unknown[];
};

export type MwwOrderLineType = "article" | "custom" | "shipping" | "payment" | "discount";

export type MwwOrderLine = {
  id: string;
  type: MwwOrderLineType;
  quantity: number;
  /** Total weight of the line, grams, as a string (unit unconfirmed). */
  weight: string;
  description: string;
  /** Line total: amount excl. VAT (6 decimals), amount_including_tax (2 decimals). */
  price: MwwTaxPrice | MwwTaxPrice[];
  articles?: MwwOrderArticle[];
};

/** Drift seen live: `country` arrives as `[]`. */
export type MwwShipping = { country: { description: string; isocode: string } | [] };

export type MwwPaymentStatus = "new" | "pending" | "authorized" | "captured" | "incomplete" | "failed" | "refunded" | "voided" | "unknown";

/** The order as GET /v1/orders(/{number}) answers it. */
export type MwwOrder = {
  /** Integer per spec; live answers sometimes send a string ("1008"); test orders are "T-<n>" in this fake. */
  number: number | string;
  uuid: string;
  date: string;
  time: string;
  status: number;
  status_changed_date: string;
  status_changed_time: string;
  weight: string;
  archived: boolean;
  /** Deprecated: always true. */
  finished: boolean;
  taxed: string;
  locale: string;
  discountcode: string;
  currency: string;
  currency_format_locale: string;
  credited_order_number?: number;
  credit_order_numbers: number[];
  comments: { customer: string; internal: string };
  business_model: "B2C" | "B2B";
  /** Only present for B2B orders. */
  reference?: string;
  tax_region: string;
  tax_strategy: "" | "zero_percent" | "reverse_charged_vat";
  offline_location_id: string | null;
  /** Deprecated (2022-06-15), derived from the payments. */
  payment_status: MwwPaymentStatus;
  /** Deprecated OrderPaymentSummary. */
  payment?: { gateway_name: string; method_name: string; status: { id: number; text: string } };
  debtor: MwwDebtor;
  /** `tax` is an array of TaxPrice, or (drift, also allowed by the spec's oneOf) a single TaxPrice object. */
  price: { tax: MwwTaxPrice[] | MwwTaxPrice; total: string };
  orderlines: MwwOrderLine[];
  shipping: MwwShipping[];
};

export type MwwMutationType = "authorize" | "capture" | "failed" | "refund" | "void";

export type MwwPaymentMutation = {
  id: number;
  type: MwwMutationType;
  reference: string | null;
  /** Minor units (cents). */
  price: number;
  description: string | null;
  createdAt: string;
  expiresAt: string | null;
};

/** A payment (transaction) as the fake keeps it; `mutations`/`properties`/`order` are served only when embedded. */
export type MwwPayment = {
  id: string;
  gateway: string;
  method: string;
  gatewayReference: string | null;
  price: number;
  currency: string;
  storeId: string;
  reference: string;
  isTest: boolean;
  createdAt: string;
  updatedAt: string | null;
  mutations: MwwPaymentMutation[];
  properties: Record<string, unknown>;
};

export type MwwOrderStatus = { status: number; description: string; credit_order: boolean };

/** The spec's Error schema (legacy endpoints). */
export type MwwErrorBody = { code: number; message: string; description: string };
/** RFC 7807 ApiProblem (newer endpoints: payments, and the rate limiter in this fake). */
export type MwwProblemBody = { type: string; title: string; detail: string; status: number };

export type FakeMwwResponse = { status: number; headers: Record<string, string>; body: string };

/** A request as the fake saw it; `path` has the token and partner_token values replaced by REDACTED. */
export type FakeMwwRequest = {
  method: string;
  path: string;
  /** Endpoint label ("GET /v1/orders/{number}") or null when no route matched. */
  endpoint: string | null;
  /** Id (UUID) of the store the token addressed, null when not authenticated. */
  storeId: string | null;
  headers: Record<string, string>;
  body: string;
  status: number;
  at: number;
};

/** Every PATCH /v1/orders/{number} that passed authentication, whatever the answer. */
export type FakeMwwPatch = { storeId: string; number: string; body: unknown; status: number; at: number };
