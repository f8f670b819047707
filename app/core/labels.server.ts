// "Label aanmaken": the intent is stored (with its idempotency key) before the carrier is called, so a double click, a
// retried job or a worker killed after the carrier answered never buys a second label; write-back happens once too.
import { randomUUID } from "node:crypto";
import { and, desc, eq, gte, inArray, lte, sql, type SQL } from "drizzle-orm";
import type { Db } from "../db/client.server";
import {
  carrierConnections,
  labelBatches,
  labelRequests,
  orders,
  shipments,
  shops,
  type FromAddress,
  type ShipTo,
} from "../db/schema";
import { cursorAtOf, pageCursors, toPage } from "./keyset";
import type { JobQueue } from "./job-queue";
import {
  CarrierError,
  isCarrierError,
  PACKAGE_TYPES,
  type Carrier,
  type CarrierAddress,
  type CarrierCredentials,
  type CarrierId,
  type CarrierService,
  type CreatedShipment,
  type PackageType,
  type PlatformId,
  type ShipmentTracking,
  type ShopPlatform,
} from "./ports";
import { asDistributor } from "./domain";
import { shopAccess } from "./shop-access";
import { decryptSecret, encryptSecret } from "../crypto.server";
import { logActivity } from "./activity.server";
import { splitStreetLine } from "./address";
import { carrierReasonCode, decodeReason, encodeReason, type Reason, type ReasonCode } from "./reasons";

export type LabelDeps = {
  db: Db;
  queue: JobQueue;
  carrierFor: (id: CarrierId) => Carrier;
  platformFor: (id: PlatformId) => ShopPlatform;
  encryptionKey: string;
  /** Waits for a carrier's Retry-After inside the job (tests pass a fake). */
  sleep?: (ms: number) => Promise<void>;
};

export const MAX_COLLI = 10;
export const MAX_BULK_ORDERS = 500;

// ------------------------------------------------------------------------------------------------ carrier connection

export type CarrierConnectionView = {
  carrier: CarrierId;
  environment: "staging" | "production";
  clientId: string;
  /** "••••abcd": the secret itself never leaves the server. */
  secretHint: string;
  services: CarrierService[];
  defaultService: string | null;
  defaultPackageType: PackageType;
  connectedAt: Date;
};

export async function getCarrierConnection(db: Db, shopId: number): Promise<CarrierConnectionView | null> {
  const [c] = await db.select().from(carrierConnections).where(eq(carrierConnections.shopId, shopId));
  if (!c) return null;
  return {
    carrier: c.carrier,
    environment: c.environment,
    clientId: c.clientId,
    secretHint: `••••${c.clientSecretLast4}`,
    services: c.services,
    defaultService: c.defaultService,
    defaultPackageType: (PACKAGE_TYPES as readonly string[]).includes(c.defaultPackageType) ? (c.defaultPackageType as PackageType) : "package",
    connectedAt: c.connectedAt,
  };
}

async function loadCredentials(
  deps: LabelDeps,
  shopId: number,
): Promise<{ carrier: CarrierId; creds: CarrierCredentials; services: CarrierService[] } | null> {
  const [c] = await deps.db.select().from(carrierConnections).where(eq(carrierConnections.shopId, shopId));
  if (!c) return null;
  return {
    carrier: c.carrier,
    services: c.services,
    creds: { clientId: c.clientId, clientSecret: decryptSecret(c.clientSecretEncrypted, deps.encryptionKey), environment: c.environment },
  };
}

export type ConnectInput = {
  carrier: CarrierId;
  environment: "staging" | "production";
  clientId: string;
  /** Empty: keep the stored secret (the form never shows it). */
  clientSecret: string;
  defaultService?: string | null;
  defaultPackageType?: PackageType;
};

/**
 * "Verbinden": a token and the service list must come back before anything is stored as connected. A failure's
 * `reason` is Koppel's own key (client_secret_required) or, with `code`, the carrier's text.
 */
export async function connectCarrier(
  deps: LabelDeps,
  shopId: number,
  input: ConnectInput,
): Promise<{ ok: true; services: CarrierService[] } | { ok: false; reason: string; code?: ReasonCode }> {
  let secret = input.clientSecret;
  if (!secret) {
    const stored = await loadCredentials(deps, shopId);
    if (!stored || stored.creds.clientId !== input.clientId) return { ok: false, reason: "client_secret_required" };
    secret = stored.creds.clientSecret;
  }
  const carrier = deps.carrierFor(input.carrier);
  const started = Date.now();
  const verified = await carrier.verify({ clientId: input.clientId, clientSecret: secret, environment: input.environment });
  const code = verified.ok ? null : carrierReasonCode(verified.kind);
  await logActivity(deps.db, {
    shopId,
    kind: "carrier",
    source: "merchant",
    result: verified.ok ? "ok" : "failed",
    summary: verified.ok ? "carrier.connected" : "carrier.connect_failed",
    reason: verified.ok ? null : verified.reason,
    durationMs: Date.now() - started,
    details: { carrier: input.carrier, environment: input.environment, ...(code ? { reasonCode: code } : {}) },
  });
  if (!verified.ok) return { ok: false, reason: verified.reason, code: code! };
  const defaultService =
    input.defaultService && verified.services.some((s) => s.code === input.defaultService) ? input.defaultService : (verified.services[0]?.code ?? null);
  const values = {
    shopId,
    carrier: input.carrier,
    environment: input.environment,
    clientId: input.clientId,
    clientSecretEncrypted: encryptSecret(secret, deps.encryptionKey),
    clientSecretLast4: secret.slice(-4),
    services: verified.services,
    defaultService,
    defaultPackageType: input.defaultPackageType ?? "package",
    updatedAt: new Date(),
  };
  await deps.db
    .insert(carrierConnections)
    .values(values)
    .onConflictDoUpdate({ target: carrierConnections.shopId, set: { ...values, connectedAt: new Date() } });
  return { ok: true, services: verified.services };
}

// ------------------------------------------------------------------------------------------------ addresses

export function fromAddressToCarrier(a: FromAddress): CarrierAddress {
  return {
    name: a.contactName,
    company: a.company,
    email: a.email,
    phone: a.phone,
    street: a.street,
    houseNumber: a.houseNumber,
    houseNumberAddition: a.houseNumberAddition ?? null,
    postcode: a.postcode,
    city: a.city,
    country: a.country,
    privateAddress: false,
  };
}

/** The order's ship-to in the carrier's shape; street and number come from the adapter's split of address1. */
export function shipToToCarrier(s: ShipTo, email: string | null): Partial<CarrierAddress> {
  const split = !s.street || !s.houseNumber ? splitStreetLine(s.address1) : null;
  return {
    name: s.name,
    company: s.company ?? null,
    email,
    phone: s.phone ?? null,
    street: s.street ?? split?.street ?? "",
    houseNumber: s.houseNumber ?? split?.houseNumber ?? "",
    houseNumberAddition: s.houseNumberAddition ?? split?.houseNumberAddition ?? null,
    addressLine2: s.address2 ?? null,
    postcode: s.postcode,
    city: s.city,
    country: s.country,
    privateAddress: !s.company,
  };
}

// ------------------------------------------------------------------------------------------------ requesting labels

export type LabelOptions = { service: string; colli: number; packageType: PackageType };

export type RequestLabelsResult =
  | { ok: false; reason: "no_carrier" | "no_from_address" | "too_many" | "bad_options"; detail?: string }
  | {
      ok: true;
      batchId: number | null;
      queued: { orderId: number; number: string; labelRequestId: number }[];
      alreadyRequested: { orderId: number; number: string; labelRequestId: number }[];
      incomplete: { orderId: number; number: string; missing: string[] }[];
      notAllowed: { orderId: number; number: string | null; reason: "not_found" | "not_to_ship" }[];
    };

/** The button (one or many orders) and the CLI: one batch, one label request + job per order, in one transaction. */
export async function requestLabels(
  deps: LabelDeps,
  shopId: number,
  input: { orderIds: number[]; options: LabelOptions; source: "merchant" | "cli" },
): Promise<RequestLabelsResult> {
  const orderIds = [...new Set(input.orderIds)];
  if (orderIds.length > MAX_BULK_ORDERS) return { ok: false, reason: "too_many", detail: String(MAX_BULK_ORDERS) };
  const { service, colli, packageType } = input.options;
  if (!Number.isInteger(colli) || colli < 1 || colli > MAX_COLLI || !(PACKAGE_TYPES as readonly string[]).includes(packageType))
    return { ok: false, reason: "bad_options" };
  const [conn] = await deps.db.select().from(carrierConnections).where(eq(carrierConnections.shopId, shopId));
  if (!conn) return { ok: false, reason: "no_carrier" };
  if (conn.services.length && !conn.services.some((s) => s.code === service)) return { ok: false, reason: "bad_options", detail: `service ${service}` };
  const [shop] = await deps.db.select().from(shops).where(eq(shops.id, shopId));
  if (!shop?.fromAddress) return { ok: false, reason: "no_from_address" };
  const carrier = deps.carrierFor(conn.carrier);

  // Scoped to the shop: ids of another shop are simply "not found".
  const rows = orderIds.length
    ? await deps.db.select().from(orders).where(and(eq(orders.shopId, shopId), inArray(orders.id, orderIds)))
    : [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  const result = { queued: [], alreadyRequested: [], incomplete: [], notAllowed: [] } as Omit<Extract<RequestLabelsResult, { ok: true }>, "ok" | "batchId">;
  const candidates: typeof rows = [];
  for (const id of orderIds) {
    const o = byId.get(id);
    if (!o) {
      result.notAllowed.push({ orderId: id, number: null, reason: "not_found" });
      continue;
    }
    if (o.status !== "to_ship" || o.removedAt) {
      result.notAllowed.push({ orderId: id, number: o.number, reason: "not_to_ship" });
      continue;
    }
    const missing = o.shipTo ? carrier.missingAddressFields(shipToToCarrier(o.shipTo, o.email)) : ["address"];
    if (missing.length) {
      result.incomplete.push({ orderId: id, number: o.number, missing });
      continue;
    }
    candidates.push(o);
  }

  const batchId = await deps.db.transaction(async (tx) => {
    let batch: number | null = null;
    if (candidates.length) {
      const [b] = await tx
        .insert(labelBatches)
        .values({ shopId, total: 0, options: { service, colli, packageType }, source: input.source })
        .returning({ id: labelBatches.id });
      batch = b!.id;
    }
    for (const o of candidates) {
      const [inserted] = await tx
        .insert(labelRequests)
        .values({
          shopId,
          orderId: o.id,
          batchId: batch,
          idempotencyKey: randomUUID(),
          carrier: conn.carrier,
          environment: conn.environment,
          service,
          colli,
          packageType,
        })
        .onConflictDoNothing()
        .returning({ id: labelRequests.id });
      if (inserted) {
        await deps.queue.send("create-label", { labelRequestId: inserted.id }, { tx: tx });
        result.queued.push({ orderId: o.id, number: o.number, labelRequestId: inserted.id });
      } else {
        // A live request exists already (double click, second tab): join it instead of buying another label.
        const [live] = await tx
          .select({ id: labelRequests.id })
          .from(labelRequests)
          .where(and(eq(labelRequests.orderId, o.id), inArray(labelRequests.state, ["queued", "sending", "created"])));
        if (live) result.alreadyRequested.push({ orderId: o.id, number: o.number, labelRequestId: live.id });
      }
    }
    if (batch !== null) {
      if (result.queued.length) await tx.update(labelBatches).set({ total: result.queued.length }).where(eq(labelBatches.id, batch));
      else {
        await tx.delete(labelBatches).where(eq(labelBatches.id, batch));
        batch = null;
      }
    }
    return batch;
  });
  return { ok: true, batchId, ...result };
}

// ------------------------------------------------------------------------------------------------ the create-label job

export type ProcessLabelOutcome = "created" | "reconciled" | "rejected" | "failed" | "skipped";

function toTracking(carrier: Carrier, service: CarrierService | null, created: CreatedShipment, postcode: string) {
  const first = created.labels[0];
  if (!first) throw new CarrierError("rejected", "The carrier returned a shipment without labels");
  return {
    trackingNumber: first.waybill,
    trackingUrl: first.trackingUrl || carrier.trackingUrl(first.waybill, postcode),
    // Who delivers, by the distributor's own name (the shop platform maps it to its names); else the carrier's name.
    trackingCompany: carrier.distributorOf(service) ?? carrier.displayName,
  };
}

/**
 * The job. State machine: queued → sending (committed before the call) → created | rejected | failed.
 * A request found in `sending` (or failed after it was sent) first asks the carrier for the shipment made with its
 * key, so a crash between the carrier's answer and our commit never buys a second label.
 */
export async function processLabelRequest(deps: LabelDeps, labelRequestId: number, opts: { finalAttempt?: boolean } = {}): Promise<ProcessLabelOutcome> {
  const { db } = deps;
  const [req] = await db.select().from(labelRequests).where(eq(labelRequests.id, labelRequestId));
  if (!req || req.state === "created" || req.state === "rejected" || req.state === "failed") return "skipped";
  const [order] = await db.select().from(orders).where(and(eq(orders.id, req.orderId), eq(orders.shopId, req.shopId)));
  const [shop] = await db.select().from(shops).where(eq(shops.id, req.shopId));
  const conn = await loadCredentials(deps, req.shopId);
  if (!order || !shop?.fromAddress || !conn || !order.shipTo) {
    await markRequest(db, req.id, "failed", !conn ? encodeReason("carrier.not_connected", "no carrier connection") : encodeReason("label.missing_data", "order or from address missing"));
    return "failed";
  }
  const carrier = deps.carrierFor(req.carrier);
  const service = conn.services.find((s) => s.code === req.service) ?? null;
  const request = {
    idempotencyKey: req.idempotencyKey,
    reference: order.number,
    service: req.service,
    packageType: req.packageType as PackageType,
    colli: req.colli,
    weightGrams: order.weightGrams || null,
    shipFrom: fromAddressToCarrier(shop.fromAddress),
    shipTo: shipToToCarrier(order.shipTo, order.email) as CarrierAddress,
  };
  const started = Date.now();
  const summary = { orderNumber: order.number, service: req.service, colli: req.colli, packageType: req.packageType, environment: req.environment };

  // Every run that talks to the carrier is an attempt, the reconciling ones too: the order list and the batch say
  // "nieuwe poging (poging n)" from the first failure on.
  const firstSend = !req.sentAt;
  try {
    if (!firstSend) {
      await db.update(labelRequests).set({ attempts: sql`${labelRequests.attempts} + 1`, updatedAt: new Date() }).where(eq(labelRequests.id, req.id));
      const existing = await carrier.findShipmentByIdempotencyKey(conn.creds, request);
      if (existing) {
        await storeShipment(deps, req, order.shipPostcode ?? "", carrier, service, existing, Date.now() - started, true);
        return "reconciled";
      }
    }
    await db
      .update(labelRequests)
      .set({ state: "sending", sentAt: new Date(), ...(firstSend ? { attempts: sql`${labelRequests.attempts} + 1` } : {}), updatedAt: new Date() })
      .where(eq(labelRequests.id, req.id));
    let created: CreatedShipment | undefined;
    for (let tries = 0; !created; tries++) {
      try {
        created = await carrier.createShipment(conn.creds, request);
      } catch (e) {
        // Honour a short Retry-After inside the job; longer waits go back to the queue's backoff.
        if (isCarrierError(e) && e.kind === "transient" && e.status === 429 && tries < 2 && (e.retryAfterMs ?? 1000) <= 10_000) {
          await (deps.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))))(e.retryAfterMs ?? 1000);
          continue;
        }
        throw e;
      }
    }
    await storeShipment(deps, req, order.shipPostcode ?? "", carrier, service, created, Date.now() - started, false);
    return "created";
  } catch (e) {
    const err = isCarrierError(e) ? e : null;
    const reason = (e as Error).message;
    const permanent = err?.kind === "rejected" || err?.kind === "invalid_credentials";
    // Stored with a code, so pages say it in the merchant's language with the carrier's text beneath.
    const code: ReasonCode = err ? carrierReasonCode(err.kind) : "internal";
    const stored = encodeReason(code, reason);
    await logActivity(db, {
      shopId: req.shopId,
      kind: "carrier",
      source: "system",
      result: "failed",
      summary: permanent ? "carrier.label_rejected" : "carrier.label_retry",
      orderNumber: order.number,
      reason,
      durationMs: Date.now() - started,
      details: { ...summary, status: err?.status ?? null, kind: err?.kind ?? "error", reasonCode: code },
    });
    if (permanent) {
      await markRequest(db, req.id, "rejected", stored);
      return "rejected";
    }
    if (opts.finalAttempt) {
      await markRequest(db, req.id, "failed", stored);
      return "failed";
    }
    // Still "sending": the last transient error and the attempt count are visible while the queue retries.
    await db.update(labelRequests).set({ lastError: stored, updatedAt: new Date() }).where(eq(labelRequests.id, req.id));
    throw e;
  }
}

async function markRequest(db: Db, id: number, state: "rejected" | "failed", reason: string) {
  await db.update(labelRequests).set({ state, lastError: reason, updatedAt: new Date() }).where(eq(labelRequests.id, id));
}

async function storeShipment(
  deps: LabelDeps,
  req: typeof labelRequests.$inferSelect,
  postcode: string,
  carrier: Carrier,
  service: CarrierService | null,
  created: CreatedShipment,
  durationMs: number,
  reconciled: boolean,
) {
  const tracking = toTracking(carrier, service, created, postcode);
  await deps.db.transaction(async (tx) => {
    const [s] = await tx
      .insert(shipments)
      .values({
        shopId: req.shopId,
        orderId: req.orderId,
        labelRequestId: req.id,
        carrier: req.carrier,
        environment: req.environment,
        carrierShipmentId: created.carrierShipmentId,
        sequence: created.sequence,
        service: req.service,
        colli: req.colli,
        packageType: req.packageType,
        labels: created.labels,
        ...tracking,
        status: created.status ?? "created",
        raw: created.raw as object,
      })
      .onConflictDoNothing()
      .returning({ id: shipments.id });
    await tx.update(labelRequests).set({ state: "created", lastError: null, updatedAt: new Date() }).where(eq(labelRequests.id, req.id));
    if (s) await deps.queue.send("write-back", { shipmentId: s.id }, { tx: tx });
    const [o] = await tx.select({ number: orders.number }).from(orders).where(eq(orders.id, req.orderId));
    await logActivity(tx, {
      shopId: req.shopId,
      kind: "carrier",
      source: "system",
      result: "ok",
      summary: reconciled ? "carrier.label_reconciled" : "carrier.label_created",
      orderNumber: o?.number ?? null,
      durationMs,
      details: { service: req.service, colli: req.colli, packageType: req.packageType, environment: req.environment, waybill: tracking.trackingNumber, carrierShipmentId: created.carrierShipmentId },
    });
  });
}

// ------------------------------------------------------------------------------------------------ the write-back job

export type WriteBackOutcome = "done" | "already_done" | "failed" | "skipped";

/** Thrown and caught within writeBackShipment only (no instanceof across bundles). */
class NotInstalledError extends Error {
  constructor() {
    super("Koppel is no longer installed in this shop: the shop did not get the track & trace");
  }
}

export async function writeBackShipment(deps: LabelDeps, shipmentId: number, opts: { finalAttempt?: boolean } = {}): Promise<WriteBackOutcome> {
  const { db } = deps;
  const [s] = await db.select().from(shipments).where(eq(shipments.id, shipmentId));
  if (!s) return "skipped";
  if (s.writebackState === "done" || s.writebackState === "not_needed") return "already_done";
  const [order] = await db.select().from(orders).where(and(eq(orders.id, s.orderId), eq(orders.shopId, s.shopId)));
  const [shop] = await db.select().from(shops).where(eq(shops.id, s.shopId));
  if (!order || !shop) return "skipped";
  const started = Date.now();
  await db.update(shipments).set({ writebackAttempts: sql`${shipments.writebackAttempts} + 1` }).where(eq(shipments.id, s.id));
  const tracking: ShipmentTracking = {
    distributor: asDistributor(s.trackingCompany),
    carrierName: deps.carrierFor(s.carrier).displayName,
    number: s.trackingNumber,
    url: s.trackingUrl,
  };
  let failure: { reason: string; retryable: boolean; code: ReasonCode; summary?: string };
  try {
    // Uninstalled: the shop's token is gone, so no retry can succeed; say so at once instead of 8 backoffs.
    if (shop.uninstalledAt) throw new NotInstalledError();
    const platform = deps.platformFor(shop.platform);
    // Ask the shop to e-mail the customer where it can (Mijnwebwinkel cannot: Koppel's own mail is for later).
    const notifyCustomer = platform.capabilities.notifiesCustomerOnShipment;
    const answer = await platform.markShipped(shopAccess(shop, deps.encryptionKey), order.platformOrderId, tracking, { notifyCustomer });
    if (answer.ok) {
      const r = answer.value;
      await db.transaction(async (tx) => {
        await tx
          .update(shipments)
          .set({ writebackState: "done", writtenBackAt: new Date(), writebackError: null, platformFulfillmentIds: r.platformFulfillmentIds })
          .where(eq(shipments.id, s.id));
        await tx.update(orders).set({ status: "shipped", shippedAt: new Date(), updatedAt: new Date() }).where(eq(orders.id, order.id));
        await logActivity(tx, {
          shopId: s.shopId,
          kind: "writeback",
          source: "system",
          result: "ok",
          summary: r.alreadyShipped ? "writeback.already_shipped" : "writeback.done",
          orderNumber: order.number,
          durationMs: Date.now() - started,
          details: { trackingNumber: s.trackingNumber, fulfillments: r.platformFulfillmentIds },
        });
      });
      return r.alreadyShipped ? "already_done" : "done";
    }
    failure = { reason: answer.reason, retryable: answer.retryable ?? false, code: answer.retryable ? "shop.not_ready" : "shop.refused" };
  } catch (e) {
    failure =
      e instanceof NotInstalledError
        ? { reason: e.message, retryable: false, code: "shop.not_installed", summary: "writeback.not_installed" }
        : { reason: (e as Error).message, retryable: true, code: "shop.unreachable" };
  }
  const giveUp = !failure.retryable || opts.finalAttempt;
  await db
    .update(shipments)
    .set({ writebackError: encodeReason(failure.code, failure.reason), ...(giveUp ? { writebackState: "failed" as const } : {}) })
    .where(eq(shipments.id, s.id));
  await logActivity(db, {
    shopId: s.shopId,
    kind: "writeback",
    source: "system",
    result: "failed",
    summary: failure.summary ?? (giveUp ? "writeback.failed" : "writeback.retry"),
    orderNumber: order.number,
    reason: failure.reason,
    durationMs: Date.now() - started,
    details: { reasonCode: failure.code },
  });
  if (giveUp) return "failed";
  throw new Error(failure.reason);
}

// ------------------------------------------------------------------------------------------------ merchant retries

/** "Opnieuw proberen" for a batch's failures: same idempotency keys, so a request that did reach the carrier is reconciled. */
export async function retryFailedLabels(deps: LabelDeps, shopId: number, batchId: number): Promise<number> {
  return deps.db.transaction(async (tx) => {
    const failed = await tx
      .select({ id: labelRequests.id, orderId: labelRequests.orderId })
      .from(labelRequests)
      .where(and(eq(labelRequests.shopId, shopId), eq(labelRequests.batchId, batchId), inArray(labelRequests.state, ["failed", "rejected"])));
    let n = 0;
    for (const r of failed) {
      const [live] = await tx
        .select({ id: labelRequests.id })
        .from(labelRequests)
        .where(and(eq(labelRequests.orderId, r.orderId), inArray(labelRequests.state, ["queued", "sending", "created"])));
      if (live) continue;
      // A new series of attempts (the queue's retry count starts over too).
      await tx.update(labelRequests).set({ state: "queued", lastError: null, attempts: 0, updatedAt: new Date() }).where(eq(labelRequests.id, r.id));
      await deps.queue.send("create-label", { labelRequestId: r.id }, { tx });
      n++;
    }
    return n;
  });
}

export async function retryWriteBack(deps: LabelDeps, shopId: number, shipmentId: number): Promise<boolean> {
  const rows = await deps.db
    .update(shipments)
    .set({ writebackState: "pending", writebackError: null })
    .where(and(eq(shipments.id, shipmentId), eq(shipments.shopId, shopId), eq(shipments.writebackState, "failed")))
    .returning({ id: shipments.id });
  if (!rows.length) return false;
  await deps.queue.send("write-back", { shipmentId });
  return true;
}

// ------------------------------------------------------------------------------------------------ reading

export type BatchProgress = {
  batchId: number;
  total: number;
  done: number;
  created: number;
  pending: number;
  failed: { labelRequestId: number; orderId: number; orderNumber: string; state: string; reason: Reason | null }[];
  /** Pending requests whose last attempt failed and that the queue retries ("poging n" = attempts made so far). */
  retrying: { labelRequestId: number; orderId: number; orderNumber: string; attempt: number; reason: Reason | null }[];
};

export async function batchProgress(db: Db, shopId: number, batchId: number): Promise<BatchProgress | null> {
  const [batch] = await db.select().from(labelBatches).where(and(eq(labelBatches.id, batchId), eq(labelBatches.shopId, shopId)));
  if (!batch) return null;
  const reqs = await db
    .select({
      id: labelRequests.id,
      orderId: labelRequests.orderId,
      state: labelRequests.state,
      attempts: labelRequests.attempts,
      lastError: labelRequests.lastError,
      number: orders.number,
    })
    .from(labelRequests)
    .innerJoin(orders, eq(orders.id, labelRequests.orderId))
    .where(and(eq(labelRequests.batchId, batchId), eq(labelRequests.shopId, shopId)));
  const created = reqs.filter((r) => r.state === "created").length;
  const failed = reqs
    .filter((r) => r.state === "failed" || r.state === "rejected")
    .map((r) => ({ labelRequestId: r.id, orderId: r.orderId, orderNumber: r.number, state: r.state, reason: decodeReason(r.lastError) }));
  const retrying = reqs
    .filter((r) => (r.state === "queued" || r.state === "sending") && r.lastError)
    .map((r) => ({ labelRequestId: r.id, orderId: r.orderId, orderNumber: r.number, attempt: Math.max(1, r.attempts), reason: decodeReason(r.lastError) }));
  return { batchId, total: batch.total, created, done: created + failed.length, pending: batch.total - created - failed.length, failed, retrying };
}

export type ShipmentFilter = {
  status?: "all" | "written_back" | "writeback_pending" | "writeback_failed";
  from?: Date;
  to?: Date;
  /** Rows per page (at most 1000). */
  limit?: number;
  /** Cursors from a previous page (keyset on created_at desc, id desc); a bad one is ignored. */
  after?: string | null;
  before?: string | null;
};

/** A page of the shop's shipments, newest first (Zendingen, the CLI). */
export async function listShipments(db: Db, shopId: number, filter: ShipmentFilter = {}) {
  const limit = Math.max(1, Math.min(Math.trunc(filter.limit ?? 200) || 200, 1000));
  const { after, before } = pageCursors(filter);
  const cursor = after ?? before;
  const conds: SQL[] = [eq(shipments.shopId, shopId)];
  if (filter.from) conds.push(gte(shipments.createdAt, filter.from));
  if (filter.to) conds.push(lte(shipments.createdAt, filter.to));
  if (filter.status === "written_back") conds.push(eq(shipments.writebackState, "done"));
  if (filter.status === "writeback_pending") conds.push(eq(shipments.writebackState, "pending"));
  if (filter.status === "writeback_failed") conds.push(eq(shipments.writebackState, "failed"));
  if (cursor) {
    const key = sql`(${shipments.createdAt}, ${shipments.id})`;
    const at = sql`(${cursor.at}::timestamptz, ${cursor.id}::bigint)`;
    conds.push(after ? sql`${key} < ${at}` : sql`${key} > ${at}`);
  }
  const rows = await db
    .select({
      id: shipments.id,
      orderId: shipments.orderId,
      orderNumber: orders.number,
      customerName: orders.customerName,
      service: shipments.service,
      colli: shipments.colli,
      packageType: shipments.packageType,
      trackingNumber: shipments.trackingNumber,
      trackingUrl: shipments.trackingUrl,
      trackingCompany: shipments.trackingCompany,
      status: shipments.status,
      environment: shipments.environment,
      createdAt: shipments.createdAt,
      writebackState: shipments.writebackState,
      writebackError: shipments.writebackError,
      writtenBackAt: shipments.writtenBackAt,
      cursorAt: cursorAtOf(shipments.createdAt),
    })
    .from(shipments)
    .innerJoin(orders, eq(orders.id, shipments.orderId))
    .where(and(...conds))
    // NULLS LAST/FIRST as in shipments_shop_created_idx, so the index is read in order (both columns are NOT NULL).
    .orderBy(
      ...(before
        ? [sql`${shipments.createdAt} asc nulls first`, sql`${shipments.id} asc nulls first`]
        : [sql`${shipments.createdAt} desc nulls last`, sql`${shipments.id} desc nulls last`]),
    )
    .limit(limit + 1);
  const cursors = rows.map((r) => r.cursorAt);
  return toPage(
    rows.map(({ cursorAt: _c, ...r }) => r),
    cursors,
    { limit, after, before },
  );
}

/** Latest label state per order, for the order list ("Label aangemaakt", "Mislukt: …"). */
export async function labelStateForOrders(db: Db, shopId: number, orderIds: number[]) {
  if (!orderIds.length) return [];
  return db
    .select({
      orderId: labelRequests.orderId,
      state: labelRequests.state,
      attempts: labelRequests.attempts,
      lastError: labelRequests.lastError,
      trackingNumber: shipments.trackingNumber,
      trackingUrl: shipments.trackingUrl,
      writebackState: shipments.writebackState,
      writebackError: shipments.writebackError,
      shipmentId: shipments.id,
    })
    .from(labelRequests)
    .leftJoin(shipments, eq(shipments.labelRequestId, labelRequests.id))
    .where(and(eq(labelRequests.shopId, shopId), inArray(labelRequests.orderId, orderIds)))
    .orderBy(desc(labelRequests.id));
}

/** Label PDFs of the shop's shipments, fetched from the carrier. Ids of another shop are never fetched. */
export async function labelPdfsForShipments(deps: LabelDeps, shopId: number, shipmentIds: number[]): Promise<{ pdfs: Uint8Array[]; found: number }> {
  if (!shipmentIds.length) return { pdfs: [], found: 0 };
  const rows = await deps.db
    .select({ id: shipments.id, carrierShipmentId: shipments.carrierShipmentId })
    .from(shipments)
    .where(and(eq(shipments.shopId, shopId), inArray(shipments.id, shipmentIds)));
  if (!rows.length) return { pdfs: [], found: 0 };
  const conn = await loadCredentials(deps, shopId);
  if (!conn) throw new CarrierError("invalid_credentials", "No carrier connection");
  const carrier = deps.carrierFor(conn.carrier);
  // Keep the merchant's order of selection.
  const order = new Map(shipmentIds.map((id, i) => [id, i]));
  rows.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
  const pdfs: Uint8Array[] = [];
  // Chunks keep one carrier request small; each answer is one PDF with that chunk's labels.
  for (let i = 0; i < rows.length; i += 50) {
    const chunk = rows.slice(i, i + 50).map((r) => r.carrierShipmentId);
    pdfs.push(chunk.length === 1 ? await carrier.downloadLabels(conn.creds, chunk[0]!) : await carrier.downloadLabelsOfShipments(conn.creds, chunk));
  }
  return { pdfs, found: rows.length };
}

/** For pages: is the shop's carrier on staging (labels not usable, but write-back is real)? */
export async function carrierEnvironment(db: Db, shopId: number): Promise<"staging" | "production" | null> {
  const [c] = await db.select({ environment: carrierConnections.environment }).from(carrierConnections).where(eq(carrierConnections.shopId, shopId));
  return c?.environment ?? null;
}

