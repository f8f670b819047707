// Per carrier account, once: an unguessable token, the address with it registered at the carrier (label-update), and
// only the token's hash kept. The address names the account; the carrier signs with the account's credentials. A
// registration the carrier refuses is noted on the account (the poll covers its parcels meanwhile) and tried again at
// the next "Verbinden".
import { randomBytes } from "node:crypto";
import { and, eq, isNull } from "drizzle-orm";
import { carrierAccounts } from "../../db/schema";
import { decryptSecret } from "../../crypto.server";
import { isCarrierError } from "../ports";
import { logActivity } from "../activity.server";
import type { LabelDeps } from "../labels/deps";
import { sha256Hex } from "./webhook.server";

export type ParcelWebhookAddress = (token: string) => string;

export async function ensureParcelWebhook(
  deps: Pick<LabelDeps, "db" | "carrierFor" | "encryptionKey">,
  accountId: number,
  addressFor: ParcelWebhookAddress,
): Promise<{ ok: true; registered: boolean } | { ok: false; reason: string }> {
  const [a] = await deps.db.select().from(carrierAccounts).where(eq(carrierAccounts.id, accountId));
  if (!a) return { ok: false, reason: "no such account" };
  if (a.parcelWebhookRegisteredAt) return { ok: true, registered: false };
  const token = randomBytes(32).toString("base64url");
  const tokenHash = sha256Hex(token);
  // The hash is stored before the carrier hears of the address: a process that dies after the carrier accepted it
  // still receives its label updates (the next "Verbinden" then registers a fresh address; the old one answers 404).
  const [claimed] = await deps.db
    .update(carrierAccounts)
    .set({ parcelWebhookTokenHash: tokenHash })
    .where(and(eq(carrierAccounts.id, a.id), isNull(carrierAccounts.parcelWebhookRegisteredAt)))
    .returning({ id: carrierAccounts.id });
  if (!claimed) return { ok: true, registered: false };
  const creds = { clientId: a.clientId, clientSecret: decryptSecret(a.clientSecretEncrypted, deps.encryptionKey), environment: a.environment };
  try {
    await deps.carrierFor(a.carrier).registerLabelWebhook(creds, addressFor(token));
  } catch (e) {
    const reason = isCarrierError(e) ? e.message : (e as Error).message;
    await deps.db.update(carrierAccounts).set({ parcelWebhookError: reason }).where(eq(carrierAccounts.id, a.id));
    await logActivity(deps.db, { shopId: a.shopId, kind: "carrier", source: "system", result: "failed", summary: "parcel.webhook_failed", reason });
    return { ok: false, reason };
  }
  await deps.db
    .update(carrierAccounts)
    .set({ parcelWebhookRegisteredAt: new Date(), parcelWebhookError: null })
    .where(and(eq(carrierAccounts.id, a.id), eq(carrierAccounts.parcelWebhookTokenHash, tokenHash)));
  return { ok: true, registered: true };
}
