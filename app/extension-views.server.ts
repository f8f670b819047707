// What Koppel's Shopify admin UI extensions show (app/routes/api.extensions.*), read with the same core queries as
// the app's pages: an order's state and its label options (order action and block), and a selection's labels as one
// signed PDF link (print actions). Texts that come from Koppel's own i18n (reasons, services, package types, address
// fields) arrive translated; the extensions carry their own strings for the rest (extensions/*/locales).
import { env } from "./env.server";
import { db } from "./db.server";
import { createDownloadToken } from "./download-token.server";
import { ordersByPlatformIds } from "./core/orders-by-platform-id.server";
import type { Order } from "./core/orders.server";
import { getCarrierConnection } from "./core/labels/connection.server";
import { effectiveShipTo, missingShipToFields } from "./core/labels/carrier-address";
import { labelStateForOrders } from "./core/labels/reads.server";
import { MAX_COLLI } from "./core/labels/deps";
import { PACKAGE_TYPES } from "./core/ports";
import { decodeReason, labelFailureMessage, reasonMessage } from "./core/reasons";
import { carrierFor } from "./carriers/registry.server";
import { labelDialogPlan } from "./core/rules/dialog-plan.server";
import { getRuntime, labelDeps } from "./runtime.server";
import { t as translate } from "./i18n";
import { shopLabelPrintFormat, type LabelPrintFormat } from "./core/label-print";
import type { ExtensionMerchant } from "./platforms/shopify/extension-request.server";


/** A signed link to the label PDF of these shipments (15 minutes, this shop, revoked with its session version). */
export function signedPdfUrl(merchant: Pick<ExtensionMerchant, "shop" | "locale">, shipmentIds: number[], format: LabelPrintFormat): string {
  const q = new URLSearchParams({ ids: shipmentIds.join(","), format: format.format });
  if (format.format === "A4") q.set("start", String(format.start));
  q.set("dt", createDownloadToken(merchant.shop, merchant.locale));
  return `${env.SHOPIFY_APP_URL.replace(/\/+$/, "")}/app/shipments/pdf?${q.toString()}`;
}

/**
 * What the shop's shipping rules choose for this order, as the app's label dialog plans it (app/core/rules/): the
 * service, format, colli and parcel size, and the rule that chose it (null = the carrier's defaults caught it); `skip`
 * = a rule makes no label (the merchant may still make one). With `prices`, the carrier's price of that choice as the
 * dialog shows it (the rate cache's; null when the carrier gave none). null: no carrier, or nothing to ship.
 */
export async function rulesChoice(shopId: number, orderId: number, opts: { prices: boolean } = { prices: false }) {
  const plan = await labelDialogPlan(labelDeps(await getRuntime()), shopId, [orderId], { prices: opts.prices });
  const o = plan.ok ? plan.orders[0] : undefined;
  if (!o) return null;
  const price = o.price?.ok ? { amount: o.price.price, currency: o.price.currency } : null;
  return { group: o.group, rule: o.rule, skip: o.skip, service: o.service, packageType: o.packageType, colli: o.colli, dimensions: o.dimensions, price };
}

export type LatestLabel = Awaited<ReturnType<typeof labelStateForOrders>>[number];

/** The newest label request per order (the core returns them newest first). */
export async function latestLabels(shopId: number, orderIds: number[]): Promise<Map<number, LatestLabel>> {
  const latest = new Map<number, LatestLabel>();
  for (const s of await labelStateForOrders(db, shopId, orderIds)) if (!latest.has(s.orderId)) latest.set(s.orderId, s);
  return latest;
}

/** The shop's order behind a Shopify order id, or undefined (not in Koppel, or another shop's). */
export async function findShopOrder(merchant: Pick<ExtensionMerchant, "shopId">, platformOrderId: string): Promise<Order | undefined> {
  const [order] = await ordersByPlatformIds(db, merchant.shopId, [platformOrderId]);
  return order;
}

/** The order action's and block's view of one order; `prices`: with the carrier's price of the rules' choice. */
export async function orderView(merchant: ExtensionMerchant, order: Order, opts: { prices: boolean } = { prices: false }) {
  const t = (key: string, params?: Record<string, unknown> | null) => translate(merchant.locale, key, params);
  const conn = await getCarrierConnection(db, merchant.shopId);
  const label = (await latestLabels(merchant.shopId, [order.id])).get(order.id);
  const shipTo = effectiveShipTo(order);
  const canShip = order.status === "to_ship" && !order.removedAt;
  const missing = conn && canShip ? missingShipToFields(carrierFor(conn.carrier), order) : [];
  const rules = conn && canShip ? await rulesChoice(merchant.shopId, order.id, opts) : null;
  const failure = label ? labelFailureMessage(t, { state: label.state, reason: decodeReason(label.lastError), attempts: label.attempts }) : null;
  return {
    order: {
      number: order.number,
      status: order.status,
      removed: order.removedAt !== null,
      customerName: order.customerName ?? "",
      shipTo: shipTo ? { name: shipTo.name, line: [shipTo.address1, shipTo.address2].filter(Boolean).join(", "), postcode: shipTo.postcode, city: shipTo.city, country: shipTo.country } : null,
      addressCorrected: order.shipToCorrected !== null,
      /** What the carrier would refuse about the address, in the merchant's language ([] = it takes it). */
      missingAddress: missing.map((f) => t(`labels.field.${f}`)),
      weightGrams: order.weightGrams,
    },
    carrier: conn
      ? {
          environment: conn.environment,
          services: conn.services.map((s) => ({ code: s.code, description: s.description })),
          defaultService: conn.defaultService ?? conn.services[0]?.code ?? null,
          defaultPackageType: conn.defaultPackageType,
        }
      : null,
    /** The shipping rules' choice, which the extension preselects (as the app's dialog does). */
    rules,
    fromAddress: merchant.shop.fromAddress !== null,
    packageTypes: PACKAGE_TYPES.map((p) => ({ value: p, label: t(`packageType.${p}`) })),
    maxColli: MAX_COLLI,
    label: label
      ? {
          state: label.state,
          attempts: label.attempts,
          /** Retrying or failed: Koppel's sentence and the carrier's own text beneath. */
          failure,
          trackingNumber: label.trackingNumber ?? null,
          trackingUrl: label.trackingUrl ?? null,
          writeback: label.writebackState
            ? { state: label.writebackState, reason: label.writebackState === "failed" ? reasonMessage(t, decodeReason(label.writebackError)) : null }
            : null,
          pdfUrl: label.shipmentId ? signedPdfUrl(merchant, [label.shipmentId], shopLabelPrintFormat(merchant.shop)) : null,
        }
      : null,
  };
}

export type OrderView = Awaited<ReturnType<typeof orderView>>;

export type PrintMissing = { id: string; number: string | null; why: "not_in_koppel" | "no_label" | "label_pending" | "label_failed" };

/**
 * The print actions' view of a selection: one PDF link with the labels of every order that has one, in the order of
 * the selection, and every order without a label listed with why (never silently dropped).
 */
export async function printView(merchant: ExtensionMerchant, selection: { gid: string; platformOrderId: string }[]) {
  const found = await ordersByPlatformIds(db, merchant.shopId, selection.map((s) => s.platformOrderId));
  const byPlatformId = new Map(found.map((o) => [o.platformOrderId, o]));
  const latest = await latestLabels(merchant.shopId, found.map((o) => o.id));
  const shipmentIds: number[] = [];
  const printed: string[] = [];
  const missing: PrintMissing[] = [];
  for (const s of selection) {
    const order = byPlatformId.get(s.platformOrderId);
    if (!order) {
      missing.push({ id: s.gid, number: null, why: "not_in_koppel" });
      continue;
    }
    const label = latest.get(order.id);
    if (label?.state === "created" && label.shipmentId) {
      if (!shipmentIds.includes(label.shipmentId)) shipmentIds.push(label.shipmentId);
      printed.push(order.number);
    } else {
      const why = !label ? "no_label" : label.state === "queued" || label.state === "sending" ? "label_pending" : "label_failed";
      missing.push({ id: s.gid, number: order.number, why });
    }
  }
  const format = shopLabelPrintFormat(merchant.shop);
  return { format, src: shipmentIds.length ? signedPdfUrl(merchant, shipmentIds, format) : null, printed, missing };
}
