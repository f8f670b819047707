// Label PDFs for Zendingen and the download links: fetched from the carrier on demand (never stored), only the shop's
// own shipments, in the merchant's order of selection.
import { and, eq, inArray } from "drizzle-orm";
import { shipments } from "../../db/schema";
import { CarrierError } from "../ports";
import { loadCredentials } from "./connection.server";
import type { LabelDeps } from "./deps";

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
