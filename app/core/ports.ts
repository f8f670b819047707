// Ports: what the core needs from the outside world. Adapters (app/platforms/*, later app/carriers/*) implement them.
import type { Distributor, OrderLine, ParcelStatus, PlatformId, ShipTo } from "./domain";

export type { Distributor, ParcelStatus, PlatformId };

/** An order as every platform adapter must hand it to the core. */
export type PlatformOrder = {
  platformOrderId: string;
  /** What the merchant calls it ("#1001"). */
  number: string;
  placedAt: Date;
  /** Platform's last-modified instant; newer wins on upsert. */
  updatedAt: Date;
  /** Lower-case platform state, Shopify's names: pending, authorized, partially_paid, paid, partially_refunded, refunded, voided. */
  financialStatus: string;
  /** unfulfilled | partial | fulfilled | restocked | null */
  fulfillmentStatus: string | null;
  cancelled: boolean;
  /** Platform test order (Mijnwebwinkel "T-"): never imported. */
  test: boolean;
  customerName: string | null;
  email: string | null;
  /** The platform's id of the customer (exact digits), null for guest orders: customers/redact finds orders by it. */
  customerId: string | null;
  company: string | null;
  shipTo: ShipTo | null;
  /** The billing address as the platform gives it, for the order page (never sent to a carrier); absent: not given. */
  billTo?: ShipTo | null;
  lines: OrderLine[];
  totalPrice: string | null;
  currency: string | null;
  /** The order's parcel weight in grams when the platform states it (Shopify totalWeight); lines may lack weights. */
  totalWeightGrams?: number | null;
  /**
   * Platform tags or labels (Shopify tags; CCV Shop order labels, by name); [] = none. Absent = not read this time: the
   * import keeps the stored ones (none for a new order). Shipping rules match them.
   */
  tags?: string[];
  /** The shipping method the customer chose, as the platform names it; absent = unknown. */
  shippingMethod?: string | null;
  /** The platform's own representation, kept as jsonb. */
  raw: unknown;
  /**
   * What the adapter wants back at markShipped (opaque to the core, stored with the order): Shopify's fulfillment
   * orders as its sync read them. Undefined: this import says nothing about it, and what is stored stays.
   */
  platformData?: unknown;
};

/** One shape for "ok, with a value, or a reason" across ports. `retryable`: the other side may accept later. */
export type Result<T> = { ok: true; value: T } | { ok: false; reason: string; retryable?: boolean };
export type ParseResult<T> = Result<T>;

/** What is known of an order that did not parse: as much as could be read, and why. */
export type InvalidPlatformOrder = { platformOrderId: string | null; number: string | null; updatedAt: Date | null; reason: string };

export type SyncPage = {
  orders: PlatformOrder[];
  /** Orders on this page the adapter could not read (each fails alone: the sync logs it and moves on). */
  invalid?: InvalidPlatformOrder[];
  /** Pass back to fetch the next page; null when done. */
  nextPageCursor: string | null;
  /**
   * Listing "open_orders" only: this page is of a listing of what changed since `since` (new orders, and those that
   * changed status or left), not of every open order, so the orders the listing did not return are not gone and the
   * core does not re-read them. Absent: every open order was listed.
   */
  changedOnly?: boolean;
};

/**
 * Track & trace as the core hands it to a shop platform: neutral. `distributor` is who delivers (null when the carrier
 * does not say); `carrierName` is the carrier platform's display name, the fallback a platform may show instead.
 */
export type ShipmentTracking = { distributor: Distributor | null; carrierName: string; number: string; url: string };

/** `platformData`, when given: what the order's platform data is now (stored with the order for the next call). */
export type MarkShippedResult = Result<{ platformFulfillmentIds: string[]; alreadyShipped: boolean; platformData?: unknown }>;

/**
 * markShipped's options. `platformData`: what the order's last import brought (PlatformOrder.platformData), or null;
 * a hint the adapter may use to save calls, never something its correctness may depend on (it can be stale).
 */
export type MarkShippedOptions = { notifyCustomer: boolean; platformData?: unknown };

/** What a platform can do; the core and the UI ask this instead of checking which platform it is. */
export type PlatformCapabilities = {
  /** How orders reach Koppel: pushed by webhooks (plus a periodic sync), or only by polling. */
  intake: "webhooks" | "polling";
  /** Marking an order shipped makes the platform e-mail the customer (when asked). If not, Koppel may. */
  notifiesCustomerOnShipment: boolean;
  /** What the periodic sync can ask for: orders changed since an instant, or only the open ones. */
  listing: "changed_since" | "open_orders";
  /**
   * The platform's test orders: imported only when the shop switched "Testbestellingen importeren" on ("setting", the
   * default), or never, whatever the setting (Mijnwebwinkel: an order number with "T-"); the option is then not shown.
   */
  testOrders?: "setting" | "never";
};

/** A shop as the core hands it to its platform adapter: who it is, and its credentials, decrypted (platform's shape). */
export type ShopAccess = {
  shopId: number;
  platform: PlatformId;
  domain: string;
  /** From shops.credentials_encrypted (handshake / form platforms); null when the platform keeps its own (Shopify sessions). */
  credentials: unknown;
};

/** A stored delivery (a webhook as received), as the core hands it to the platform that sent it. */
export type StoredDelivery = { id: number; platform: PlatformId; shopDomain: string; webhookId: string; topic: string; payload: unknown };

/** Who a privacy request is about. */
export type CustomerRef = { email?: string | null; customerId?: string | null; platformOrderIds?: string[] };

/**
 * Where a stored delivery's payload names someone: the text at `path` (a JSON path into the payload) is one of
 * `values` (compared lower-case when `caseInsensitive`). The platform knows its payload shapes; the core only runs them.
 */
export type PayloadMatch = { path: readonly string[]; values: readonly string[]; caseInsensitive?: boolean };

export type PrivacyRequest =
  | { type: "customer_redact"; customer: CustomerRef }
  | { type: "customer_data_request"; customer: CustomerRef }
  | { type: "shop_redact" };

/** What a delivery means, decided by its platform (topics, event names and payload shapes are the platform's). */
export type DeliveryKind =
  | { kind: "order" }
  | { kind: "uninstall" }
  | { kind: "privacy"; request: PrivacyRequest }
  /** Platform housekeeping the adapter applies itself (Shopify app/scopes_update). */
  | { kind: "platform" }
  | { kind: "ignore"; reason: string }
  | { kind: "invalid"; reason: string };

/** One shop platform (Shopify, CCV Shop, Mijnwebwinkel): everything the core needs from it, per shop. */
export interface ShopPlatform {
  readonly id: PlatformId;
  readonly capabilities: PlatformCapabilities;
  /** What a stored delivery is. Pure: no I/O. */
  classifyDelivery(d: StoredDelivery): DeliveryKind;
  /** An order delivery → the order: parsed from the payload (Shopify) or fetched by the id it names (CCV Shop). */
  orderFromDelivery(shop: ShopAccess, d: StoredDelivery): Promise<Result<PlatformOrder>>;
  /** One order by its platform id; ok + null when the platform has no such order. */
  fetchOrder(shop: ShopAccess, platformOrderId: string): Promise<Result<PlatformOrder | null>>;
  /**
   * One page for the periodic sync or poll, oldest change first: orders changed at or after `since`
   * (listing "changed_since"), or the open ones (listing "open_orders"). Waits, never fails, when throttled.
   */
  listOrders(shop: ShopAccess, query: { since: Date | null; pageCursor: string | null }): Promise<SyncPage>;
  /**
   * Write the shipment back so the shop marks the order shipped (and e-mails the customer when asked and able).
   * Safe to call again after a crash: an order with nothing left to fulfil answers ok + alreadyShipped.
   */
  markShipped(shop: ShopAccess, platformOrderId: string, tracking: ShipmentTracking, opts: MarkShippedOptions): Promise<MarkShippedResult>;
  /** Deliveries of kind "platform". */
  applyPlatformDelivery(d: StoredDelivery): Promise<Result<void>>;
  /**
   * Which of its stored deliveries mention this customer (customers/redact scrubs them): any match is a mention. Pure.
   * `ref.platformOrderIds` includes the orders Koppel holds for the customer.
   */
  deliveryMentions(ref: CustomerRef): PayloadMatch[];
  /** The platform's own clean-up when the shop uninstalls (tokens, sessions) and when its data must go. */
  onUninstall(shop: Pick<ShopAccess, "platform" | "domain">): Promise<void>;
  onRedact(shop: Pick<ShopAccess, "platform" | "domain">): Promise<void>;
}

export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };

// ---------------------------------------------------------------------------------------------------------------
// Carrier port: shaped like Medusa's fulfillment providers (options, create, documents), strictly typed.

export type CarrierId = "boekuwzending";
export type CarrierEnvironment = "staging" | "production";
export type CarrierCredentials = { clientId: string; clientSecret: string; environment: CarrierEnvironment };

/** Boekuwzending's item types (SDK src/Resource/Item.php). */
export const PACKAGE_TYPES = ["envelop", "document", "package", "pallet-euro", "pallet-block", "pallet-mini", "pallet-other"] as const;
export type PackageType = (typeof PACKAGE_TYPES)[number];

/** `distributor`: the name the carrier adapter found for who delivers (stored with the connection; read with asDistributor). */
export type CarrierService = { code: string; description: string; distributor: string | null };

export type CarrierAddress = {
  name: string;
  company?: string | null;
  email?: string | null;
  phone?: string | null;
  /** Street and house number apart, when certain (core/address.ts); both empty when the line goes whole. */
  street: string;
  houseNumber: string;
  houseNumberAddition?: string | null;
  /** The street line whole, when street and houseNumber could not be told apart with certainty. */
  addressLine1?: string | null;
  addressLine2?: string | null;
  postcode: string;
  city: string;
  /** ISO-2 */
  country: string;
  privateAddress?: boolean;
};

export type ShipmentRequest = {
  /** Koppel's key for this label request: the same key never buys a second shipment (see reconcile). */
  idempotencyKey: string;
  /** The shop's order number (Boekuwzending invoiceReference). */
  reference: string;
  service: string;
  packageType: PackageType;
  /** Number of labels (colli), 1–10. */
  colli: number;
  weightGrams?: number | null;
  /** Each parcel's size (cm), when a shipping rule set one. */
  dimensions?: { lengthCm: number; widthCm: number; heightCm: number } | null;
  /** What is in the parcel (the shop's field mapping: first item names by default). */
  description?: string | null;
  shipFrom: CarrierAddress;
  shipTo: CarrierAddress;
};

/** A price question for one shipment: the shipment as it would be sent, without Koppel's keys. */
export type RateRequest = Omit<ShipmentRequest, "idempotencyKey" | "reference">;

/** The carrier's price for a shipment of one service (excl. VAT as the carrier states it; `tax` when it says). */
export type CarrierRate = { service: string; price: number; tax: number | null; currency: string };

/** What a service takes per parcel; null where the carrier sets no limit Koppel knows of. */
export type ServiceLimits = { maxParcelWeightGrams: number | null };

export type CarrierLabel = { id: string; waybill: string; trackingUrl: string };

export type CreatedShipment = {
  carrierShipmentId: string;
  /** Human shipment number, when the carrier has one. */
  sequence: string | null;
  status: string | null;
  labels: CarrierLabel[];
  /** The carrier's reply, kept as jsonb. */
  raw: unknown;
};

/** Why a carrier call failed; `transient` ones are retried with backoff, the others are shown to the merchant. */
export const CARRIER_FAILURE_KINDS = ["invalid_credentials", "rejected", "transient"] as const;
export type CarrierFailureKind = (typeof CARRIER_FAILURE_KINDS)[number];

/**
 * Throw it as a class, recognise it with isCarrierError(), never with `instanceof`: build/server.js and the Remix build
 * each bundle their own copy of this module, so an error from the runtime's adapter (server bundle) is not an instance
 * of the class the routes (Remix bundle) import.
 */
export class CarrierError extends Error {
  constructor(
    readonly kind: CarrierFailureKind,
    message: string,
    readonly status: number | null = null,
    readonly retryAfterMs: number | null = null,
    readonly body: unknown = null,
  ) {
    super(message);
    this.name = "CarrierError";
  }
}

/** A CarrierError from any copy of this module: recognised by its name and kind (the discriminant), not its class. */
export function isCarrierError(e: unknown): e is CarrierError {
  if (typeof e !== "object" || e === null) return false;
  const { name, kind, message } = e as { name?: unknown; kind?: unknown; message?: unknown };
  return name === "CarrierError" && typeof message === "string" && (CARRIER_FAILURE_KINDS as readonly unknown[]).includes(kind);
}

/** One status of a parcel as the carrier reported it, already in Koppel's words (`status`) by the carrier adapter. */
export type ParcelUpdate = {
  /** The carrier's label (collo) id, when the message names it; else the waybill identifies the parcel. */
  labelId: string | null;
  waybill: string | null;
  status: ParcelStatus;
  /** The carrier's own status name and code, kept for the history. */
  carrierStatus: string;
  carrierCode: string | null;
  description: string | null;
  at: Date;
  /** Nothing will happen to the parcel after this (delivered, return delivered, cancelled). */
  final: boolean;
};

/** A verified label-update webhook: its event id (dedupe) and the parcel's updates, newest last. */
export type LabelWebhook = { eventId: string; event: string; waybill: string | null; reference: string | null; updates: ParcelUpdate[] };

export interface Carrier {
  readonly id: CarrierId;
  readonly displayName: string;
  /** Gets a token and the service list: "Verbinden". Never throws for bad credentials: returns the carrier's reason and its kind. */
  verify(creds: CarrierCredentials): Promise<{ ok: true; services: CarrierService[] } | { ok: false; reason: string; kind: CarrierFailureKind }>;
  listServices(creds: CarrierCredentials): Promise<CarrierService[]>;
  packageTypes(): readonly PackageType[];
  /**
   * What is missing in an address for this carrier (empty: complete). Checked before any call. The street line is
   * complete with street + houseNumber, or with addressLine1 where the carrier takes the line whole.
   */
  missingAddressFields(address: Partial<CarrierAddress>): string[];
  /** The price of this shipment with its service; null when the carrier quotes no price for that service. Throws CarrierError. */
  rate(creds: CarrierCredentials, request: RateRequest): Promise<CarrierRate | null>;
  /** Limits of a service, checked before any call (a mailbox parcel above its weight is refused with a reason). */
  serviceLimits(service: CarrierService | null, code: string): ServiceLimits;
  /** Throws CarrierError. */
  createShipment(creds: CarrierCredentials, request: ShipmentRequest): Promise<CreatedShipment>;
  /** A shipment created earlier with this idempotency key, if the carrier has one (crash between answer and commit). */
  findShipmentByIdempotencyKey(creds: CarrierCredentials, request: Pick<ShipmentRequest, "idempotencyKey" | "reference">): Promise<CreatedShipment | null>;
  /** PDF of all labels of one shipment. */
  downloadLabels(creds: CarrierCredentials, carrierShipmentId: string): Promise<Uint8Array>;
  /** One PDF with the labels of many shipments. */
  downloadLabelsOfShipments(creds: CarrierCredentials, carrierShipmentIds: string[]): Promise<Uint8Array>;
  trackingUrl(waybill: string, postcode: string): string;
  /**
   * A label-update webhook as received (raw body), verified with the account's credentials as the carrier signs it.
   * Pure: no I/O. Not ok: unsigned or forged (`reason` says which); a genuine event Koppel cannot read is ok without updates.
   */
  verifyLabelWebhook(creds: CarrierCredentials, rawBody: string): Result<LabelWebhook>;
  /** The carrier's track & trace of one label: its statuses, oldest first. Throws CarrierError (429: transient, retryAfterMs). */
  trackAndTrace(creds: CarrierCredentials, labelId: string): Promise<ParcelUpdate[]>;
  /** Ask the carrier to send this account's label updates to `url` (its address names the account). Throws CarrierError. */
  registerLabelWebhook(creds: CarrierCredentials, url: string): Promise<void>;
  /** Who delivers a shipment of this service (neutral; each shop platform maps it to its own names). */
  distributorOf(service: CarrierService | null): Distributor | null;
}
