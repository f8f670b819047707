// Ports: what the core needs from the outside world. Adapters (app/platforms/*, later app/carriers/*) implement them.
import type { OrderLine, PlatformId, ShipTo } from "../db/schema";

export type { PlatformId };

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
  company: string | null;
  shipTo: ShipTo | null;
  lines: OrderLine[];
  totalPrice: string | null;
  currency: string | null;
  /** The order's parcel weight in grams when the platform states it (Shopify totalWeight); lines may lack weights. */
  totalWeightGrams?: number | null;
  /** The platform's own representation, kept as jsonb. */
  raw: unknown;
};

/** What is known of an order that did not parse: as much as could be read, and why. */
export type InvalidPlatformOrder = { platformOrderId: string | null; number: string | null; updatedAt: Date | null; reason: string };

export type ParseResult<T> = { ok: true; value: T } | { ok: false; reason: string };

export type SyncPage = {
  orders: PlatformOrder[];
  /** Orders on this page the adapter could not read (each fails alone: the sync logs it and moves on). */
  invalid?: InvalidPlatformOrder[];
  /** Pass back to fetch the next page; null when done. */
  nextPageCursor: string | null;
};

export type ShipmentTracking = { company: string; number: string; url: string };

export type MarkShippedResult =
  | { ok: true; platformFulfillmentIds: string[]; alreadyShipped: boolean }
  /** retryable: the platform may accept later (throttle, hold, outage); otherwise shown to the merchant. */
  | { ok: false; reason: string; retryable: boolean };

/** Access to one shop on one platform, for background work (credentials are resolved by the adapter). */
export interface ShopPlatform {
  readonly id: PlatformId;
  /** Turn a webhook payload of an order topic into a PlatformOrder (zod inside). */
  parseOrderWebhook(payload: unknown): ParseResult<PlatformOrder>;
  /** One page of orders updated at or after `since`, oldest update first. Waits (never fails) when throttled. */
  listOrdersUpdatedSince(shopDomain: string, since: Date | null, pageCursor: string | null): Promise<SyncPage>;
  /**
   * Write the shipment back so the shop marks the order shipped (and e-mails the customer when asked).
   * Safe to call again after a crash: an order with nothing left to fulfil answers ok + alreadyShipped.
   */
  markShipped(shopDomain: string, platformOrderId: string, tracking: ShipmentTracking, opts: { notifyCustomer: boolean }): Promise<MarkShippedResult>;
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

export type CarrierService = { code: string; description: string; distributor: string | null };

export type CarrierAddress = {
  name: string;
  company?: string | null;
  email?: string | null;
  phone?: string | null;
  street: string;
  houseNumber: string;
  houseNumberAddition?: string | null;
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
  shipFrom: CarrierAddress;
  shipTo: CarrierAddress;
};

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

export interface Carrier {
  readonly id: CarrierId;
  readonly displayName: string;
  /** Gets a token and the service list: "Verbinden". Never throws for bad credentials: returns the carrier's reason and its kind. */
  verify(creds: CarrierCredentials): Promise<{ ok: true; services: CarrierService[] } | { ok: false; reason: string; kind: CarrierFailureKind }>;
  listServices(creds: CarrierCredentials): Promise<CarrierService[]>;
  packageTypes(): readonly PackageType[];
  /** What is missing in an address for this carrier (empty: complete). Checked before any call. */
  missingAddressFields(address: Partial<CarrierAddress>): string[];
  /** Throws CarrierError. */
  createShipment(creds: CarrierCredentials, request: ShipmentRequest): Promise<CreatedShipment>;
  /** A shipment created earlier with this idempotency key, if the carrier has one (crash between answer and commit). */
  findShipmentByIdempotencyKey(creds: CarrierCredentials, request: Pick<ShipmentRequest, "idempotencyKey" | "reference">): Promise<CreatedShipment | null>;
  /** PDF of all labels of one shipment. */
  downloadLabels(creds: CarrierCredentials, carrierShipmentId: string): Promise<Uint8Array>;
  /** One PDF with the labels of many shipments. */
  downloadLabelsOfShipments(creds: CarrierCredentials, carrierShipmentIds: string[]): Promise<Uint8Array>;
  trackingUrl(waybill: string, postcode: string): string;
  /** Name for the shop's tracking info (Shopify FulfillmentTrackingInfo.company). */
  trackingCompany(service: CarrierService | null): string;
}
