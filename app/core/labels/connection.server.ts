// The shop's carrier connection: "Verbinden" stores credentials only after the carrier gave a token and its services;
// the page sees a hint of the secret, the jobs get it decrypted (loadCredentials), pages ask for the environment.
// Every account a shop connects is kept (carrier_accounts): a label is bought, downloaded and reconciled with the
// account it was requested with (loadAccountCredentials), whatever the shop is connected to now.
import { and, eq } from "drizzle-orm";
import type { Db } from "../../db/client.server";
import { carrierAccounts, carrierConnections } from "../../db/schema";
import { PACKAGE_TYPES, type CarrierCredentials, type CarrierId, type CarrierService, type PackageType } from "../ports";
import { decryptSecret, encryptSecret } from "../../crypto.server";
import { logActivity } from "../activity.server";
import { carrierReasonCode, type ReasonCode } from "../reasons";
import type { LabelDeps } from "./deps";
import { ensureParcelWebhook, type ParcelWebhookAddress } from "../parcels/register-webhook.server";

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

/** The connection with its secret decrypted, for the carrier calls of the jobs and the PDFs (never for a page). */
export async function loadCredentials(
  deps: LabelDeps,
  shopId: number,
): Promise<{ carrier: CarrierId; creds: CarrierCredentials; services: CarrierService[]; accountId: number | null } | null> {
  const [c] = await deps.db.select().from(carrierConnections).where(eq(carrierConnections.shopId, shopId));
  if (!c) return null;
  return {
    carrier: c.carrier,
    services: c.services,
    accountId: c.accountId,
    creds: { clientId: c.clientId, clientSecret: decryptSecret(c.clientSecretEncrypted, deps.encryptionKey), environment: c.environment },
  };
}

/** `accountId` null: the current connection stands in for a label made before accounts were kept (see below). */
export type AccountCredentials = { accountId: number | null; carrier: CarrierId; creds: CarrierCredentials };

/**
 * The credentials of the account a request or shipment was made with. `accountId` null (made before accounts were
 * kept): the current connection, if it is that carrier and environment. Null when that account is gone.
 */
export async function loadAccountCredentials(
  deps: LabelDeps,
  shopId: number,
  made: { accountId: number | null; carrier: CarrierId; environment: CarrierCredentials["environment"] },
): Promise<AccountCredentials | null> {
  if (made.accountId === null) {
    const current = await loadCredentials(deps, shopId);
    if (!current || current.carrier !== made.carrier || current.creds.environment !== made.environment) return null;
    return { accountId: current.accountId, carrier: current.carrier, creds: current.creds };
  }
  const [a] = await deps.db
    .select()
    .from(carrierAccounts)
    .where(and(eq(carrierAccounts.id, made.accountId), eq(carrierAccounts.shopId, shopId)));
  if (!a) return null;
  return { accountId: a.id, carrier: a.carrier, creds: { clientId: a.clientId, clientSecret: decryptSecret(a.clientSecretEncrypted, deps.encryptionKey), environment: a.environment } };
}

/** How long the carrier's service list of an account that is not the connected one is kept (a bulk queued on it asks once). */
export const ACCOUNT_SERVICES_TTL_MS = 10 * 60_000;
const accountServicesCache = new Map<string, { at: number; services: CarrierService[] }>();

/**
 * The service list of the account a request or shipment was made with: the connection's when that account is the
 * connected one, else the carrier's own list for that account (carrier_accounts keeps credentials, not services; the
 * connection's list is of the account connected now, whose codes may differ), kept briefly. [] when the carrier cannot
 * say now: the label is still bought, naming the carrier instead of the distributor.
 */
export async function servicesOfAccount(
  deps: LabelDeps,
  account: AccountCredentials,
  current: { services: CarrierService[]; accountId: number | null; carrier: CarrierId; creds: CarrierCredentials } | null,
  now = Date.now(),
): Promise<CarrierService[]> {
  const same =
    current &&
    current.carrier === account.carrier &&
    (account.accountId !== null && current.accountId !== null
      ? current.accountId === account.accountId
      : current.creds.environment === account.creds.environment && current.creds.clientId === account.creds.clientId);
  if (same) return current.services;
  const key = [account.carrier, account.creds.environment, account.creds.clientId].join("\u0000");
  const hit = accountServicesCache.get(key);
  if (hit && now - hit.at < ACCOUNT_SERVICES_TTL_MS) return hit.services;
  try {
    const services = await deps.carrierFor(account.carrier).listServices(account.creds);
    if (accountServicesCache.size >= 1000) accountServicesCache.delete(accountServicesCache.keys().next().value!);
    accountServicesCache.set(key, { at: now, services });
    return services;
  } catch {
    return [];
  }
}

export type ConnectInput = {
  carrier: CarrierId;
  environment: "staging" | "production";
  clientId: string;
  /** Empty: keep the stored secret (the form never shows it). */
  clientSecret: string;
  defaultService?: string | null;
  defaultPackageType?: PackageType;
  /** Where the carrier sends this account's label updates (registered once per account); absent: no webhooks, poll only. */
  parcelWebhookAddress?: ParcelWebhookAddress;
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
  const clientSecretEncrypted = encryptSecret(secret, deps.encryptionKey);
  const accountId = await deps.db.transaction(async (tx) => {
    // The account is kept for good (labels bought with it stay downloadable); the connection points at it.
    const account = { shopId, carrier: input.carrier, environment: input.environment, clientId: input.clientId, clientSecretEncrypted, updatedAt: new Date() };
    const [a] = await tx
      .insert(carrierAccounts)
      .values(account)
      .onConflictDoUpdate({ target: [carrierAccounts.shopId, carrierAccounts.carrier, carrierAccounts.environment, carrierAccounts.clientId], set: { clientSecretEncrypted, updatedAt: new Date() } })
      .returning({ id: carrierAccounts.id });
    const values = {
      shopId,
      carrier: input.carrier,
      environment: input.environment,
      clientId: input.clientId,
      clientSecretEncrypted,
      clientSecretLast4: secret.slice(-4),
      services: verified.services,
      defaultService,
      defaultPackageType: input.defaultPackageType ?? "package",
      accountId: a!.id,
      updatedAt: new Date(),
    };
    await tx
      .insert(carrierConnections)
      .values(values)
      .onConflictDoUpdate({ target: carrierConnections.shopId, set: { ...values, connectedAt: new Date() } });
    return a!.id;
  });
  // Label updates by webhook: a refusal is noted on the account and in Activiteit; the connection stands (the poll covers it).
  if (input.parcelWebhookAddress) await ensureParcelWebhook(deps, accountId, input.parcelWebhookAddress);
  return { ok: true, services: verified.services };
}

/** For pages: is the shop's carrier on staging (labels not usable, but write-back is real)? */
export async function carrierEnvironment(db: Db, shopId: number): Promise<"staging" | "production" | null> {
  const [c] = await db.select({ environment: carrierConnections.environment }).from(carrierConnections).where(eq(carrierConnections.shopId, shopId));
  return c?.environment ?? null;
}
