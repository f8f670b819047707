// "Adres aanpassen": Koppel's own correction of an order's ship-to (orders.ship_to_corrected). It is used for this
// and every later label of the order (effectiveShipTo), is never written back to the shop (no platform is involved
// here) and no import touches it (import-order.server.ts writes only its IMPORTED_COLUMNS). Undone with
// clearShipToCorrection: the imported address counts again. Every query is scoped to the shop.
import { and, eq } from "drizzle-orm";
import type { Db } from "../../db/client.server";
import { orders, type ShipTo } from "../../db/schema";
import type { Carrier, CarrierId } from "../ports";
import { logActivity } from "../activity.server";
import { DEFAULT_LOCALE, type Locale } from "../../i18n";
import { effectiveShipTo, missingShipToFields, shipToToCarrier } from "./carrier-address";
import {
  carrierFieldErrors,
  parseShipToCorrection,
  shipToFormValues,
  SHIP_TO_FIELDS,
  type CarrierAddressView,
  type ShipToErrors,
  type ShipToValues,
  type ShipToView,
} from "./ship-to-correction";

export type { CarrierAddressView, ShipToView };
import { getCarrierConnection } from "./connection.server";

/** The carrier registry: the shop's carrier (found by its connection) checks an address; without it, no check. */
export type CarrierLookup = { carrierFor?: (id: CarrierId) => Pick<Carrier, "missingAddressFields"> };

export type CorrectShipToResult =
  | { ok: true; shipTo: ShipTo; correctedAt: Date }
  | { ok: false; reason: "not_found" }
  | { ok: false; reason: "invalid"; errors: ShipToErrors; values: ShipToValues };

async function shopCarrier(db: Db, shopId: number, lookup: CarrierLookup) {
  if (!lookup.carrierFor) return null;
  const conn = await getCarrierConnection(db, shopId);
  return conn ? lookup.carrierFor(conn.carrier) : null;
}

async function orderOfShop(db: Db, shopId: number, orderId: number) {
  if (!Number.isSafeInteger(orderId) || orderId <= 0) return undefined;
  const [o] = await db
    .select({
      id: orders.id,
      number: orders.number,
      status: orders.status,
      removedAt: orders.removedAt,
      email: orders.email,
      shipTo: orders.shipTo,
      shipToCorrected: orders.shipToCorrected,
      shipToCorrectedAt: orders.shipToCorrectedAt,
    })
    .from(orders)
    .where(and(eq(orders.shopId, shopId), eq(orders.id, orderId)));
  return o;
}

/**
 * Stores the merchant's ship-to for the order: the form's fields validated (zod, messages in `locale`), then checked by
 * the shop's carrier (what it would still refuse comes back as field errors, nothing is stored). Another shop's order
 * id is not found. Logs "orders.address_corrected".
 */
export async function correctShipTo(
  db: Db,
  shopId: number,
  orderId: number,
  input: Record<string, unknown>,
  opts: CarrierLookup & { locale?: Locale; source?: "merchant" | "cli" } = {},
): Promise<CorrectShipToResult> {
  const locale = opts.locale ?? DEFAULT_LOCALE;
  const order = await orderOfShop(db, shopId, orderId);
  if (!order) return { ok: false, reason: "not_found" };
  const parsed = parseShipToCorrection(locale, input);
  if (!parsed.ok) return { ok: false, reason: "invalid", errors: parsed.errors, values: parsed.values };
  const shipTo: ShipTo = { ...parsed.shipTo, province: order.shipTo?.province ?? null };

  const carrier = await shopCarrier(db, shopId, opts);
  if (carrier) {
    const missing = missingShipToFields(carrier, { shipTo, email: order.email });
    if (missing.length) return { ok: false, reason: "invalid", errors: carrierFieldErrors(locale, missing), values: shipToFormValues(shipTo, null, true) };
  }

  const correctedAt = new Date();
  const before = effectiveShipTo(order);
  await db.transaction(async (tx) => {
    await tx
      .update(orders)
      .set({ shipToCorrected: shipTo, shipToCorrectedAt: correctedAt })
      .where(and(eq(orders.shopId, shopId), eq(orders.id, order.id)));
    await logActivity(tx, {
      shopId,
      kind: "orders",
      source: opts.source ?? "merchant",
      result: "ok",
      summary: "orders.address_corrected",
      orderNumber: order.number,
      // Which fields changed, not their values: the address itself stays on the order only (customers/redact clears it there).
      details: { changed: changedFields(before, shipTo), country: shipTo.country },
    });
  });
  return { ok: true, shipTo, correctedAt };
}

function changedFields(before: ShipTo | null, after: ShipTo): string[] {
  const b = before ? shipToFormValues(before, null, true) : null;
  const a = shipToFormValues(after, null, true);
  return SHIP_TO_FIELDS.filter((f) => !b || b[f] !== a[f]);
}

/** Undoes the correction: the imported ship-to counts again. False when the order is not the shop's or had none. */
export async function clearShipToCorrection(db: Db, shopId: number, orderId: number, opts: { source?: "merchant" | "cli" } = {}): Promise<boolean> {
  const order = await orderOfShop(db, shopId, orderId);
  if (!order?.shipToCorrected) return false;
  return db.transaction(async (tx) => {
    const cleared = await tx
      .update(orders)
      .set({ shipToCorrected: null, shipToCorrectedAt: null })
      .where(and(eq(orders.shopId, shopId), eq(orders.id, order.id)))
      .returning({ id: orders.id });
    if (!cleared.length) return false;
    await logActivity(tx, {
      shopId,
      kind: "orders",
      source: opts.source ?? "merchant",
      result: "ok",
      summary: "orders.address_correction_cleared",
      orderNumber: order.number,
    });
    return true;
  });
}

function carrierView(shipTo: ShipTo | null): CarrierAddressView | null {
  if (!shipTo) return null;
  const a = shipToToCarrier(shipTo, null);
  const split = Boolean(a.street && a.houseNumber);
  return {
    name: a.name ?? "",
    company: a.company ?? null,
    street: split ? a.street! : null,
    houseNumber: split ? a.houseNumber! : null,
    houseNumberAddition: split ? (a.houseNumberAddition ?? null) : null,
    addressLine1: split ? null : (a.addressLine1 ?? null),
    addressLine2: a.addressLine2 ?? null,
    postcode: a.postcode ?? "",
    city: a.city ?? "",
    country: a.country ?? "",
  };
}

/** The dialog's view of one order's ship-to; null when the order is not the shop's. */
export async function shipToView(db: Db, shopId: number, orderId: number, lookup: CarrierLookup = {}): Promise<ShipToView | null> {
  const order = await orderOfShop(db, shopId, orderId);
  if (!order) return null;
  const carrier = await shopCarrier(db, shopId, lookup);
  const effective = effectiveShipTo(order);
  const corrected = order.shipToCorrected !== null;
  return {
    orderId: order.id,
    number: order.number,
    address: carrierView(effective),
    missing: carrier ? missingShipToFields(carrier, order) : [],
    corrected,
    correctedAt: order.shipToCorrectedAt?.toISOString() ?? null,
    imported: corrected ? carrierView(order.shipTo) : null,
    values: shipToFormValues(effective, effective ? shipToToCarrier(effective, null) : null, corrected),
  };
}
