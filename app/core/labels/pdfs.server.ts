// Label PDFs for Zendingen and the download links: fetched from the carrier on demand (never stored), only the shop's
// own shipments, in the merchant's order of selection, each from the carrier account it was bought with.
import { and, eq, inArray } from "drizzle-orm";
import { shipments } from "../../db/schema";
import { CarrierError } from "../ports";
import { loadAccountCredentials, type AccountCredentials } from "./connection.server";
import type { LabelDeps } from "./deps";

/** Label PDFs of the shop's shipments, fetched from the carrier. Ids of another shop are never fetched. */
export async function labelPdfsForShipments(deps: LabelDeps, shopId: number, shipmentIds: number[]): Promise<{ pdfs: Uint8Array[]; found: number }> {
  if (!shipmentIds.length) return { pdfs: [], found: 0 };
  const rows = await deps.db
    .select({ id: shipments.id, carrierShipmentId: shipments.carrierShipmentId, accountId: shipments.carrierAccountId, carrier: shipments.carrier, environment: shipments.environment })
    .from(shipments)
    .where(and(eq(shipments.shopId, shopId), inArray(shipments.id, shipmentIds)));
  if (!rows.length) return { pdfs: [], found: 0 };
  // Keep the merchant's order of selection.
  const order = new Map(shipmentIds.map((id, i) => [id, i]));
  rows.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
  // Each label comes from the account it was bought with: staging labels from staging after a switch to production.
  const accounts = new Map<string, AccountCredentials>();
  const pdfs: Uint8Array[] = [];
  let run: { account: AccountCredentials; ids: string[] } | null = null;
  const flush = async () => {
    if (!run) return;
    const carrier = deps.carrierFor(run.account.carrier);
    // Chunks keep one carrier request small; each answer is one PDF with that chunk's labels.
    for (let i = 0; i < run.ids.length; i += 50) {
      const chunk = run.ids.slice(i, i + 50);
      pdfs.push(chunk.length === 1 ? await carrier.downloadLabels(run.account.creds, chunk[0]!) : await carrier.downloadLabelsOfShipments(run.account.creds, chunk));
    }
    run = null;
  };
  for (const r of rows) {
    const key = `${r.accountId ?? "current"}:${r.carrier}:${r.environment}`;
    let account = accounts.get(key);
    if (!account) {
      const found = await loadAccountCredentials(deps, shopId, { accountId: r.accountId, carrier: r.carrier, environment: r.environment });
      if (!found) throw new CarrierError("invalid_credentials", `The ${r.environment} carrier account this label was made with is no longer connected`);
      accounts.set(key, (account = found));
    }
    if (run && run.account.accountId !== account.accountId) await flush();
    run ??= { account, ids: [] };
    run.ids.push(r.carrierShipmentId);
  }
  await flush();
  return { pdfs, found: rows.length };
}
