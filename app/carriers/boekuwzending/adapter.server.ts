// Boekuwzending carrier adapter (shared/contracts/carrier-and-mijnwebwinkel.md section A).
// OAuth2 client credentials, JSON over HTTPS, answers parsed with zod, failures mapped to CarrierError.
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { z } from "zod";
import {
  CarrierError,
  isCarrierError,
  PACKAGE_TYPES,
  type Carrier,
  type CarrierAddress,
  type CarrierCredentials,
  type CarrierEnvironment,
  type CarrierLabel,
  type CarrierService,
  type CarrierRate,
  type CreatedShipment,
  type Distributor,
  type LabelWebhook,
  type ParcelUpdate,
  type Result,
  type RateRequest,
  type ServiceLimits,
  type ShipmentRequest,
} from "../../core/ports";
import { asDistributor } from "../../core/domain";
import { concatPdfs } from "../../core/label-pdf";
import { ErrorBody, LabelList, LabelUpdateEvent, RateList, Shipment, ShipmentCollection, SignedWebhook, TokenResponse, TrackAndTrace, TrackStatus } from "./schemas";
import { phpJsonEncode } from "./php-json";
import { topLevelMemberText } from "./json-span";
import { mapLabelStatus, parseCarrierDate } from "./parcel-status";

export const BOEKUWZENDING_BASE_URLS = {
  production: "https://api.boekuwzending.com",
  staging: "https://staging.api.boekuwzending.com",
} as const satisfies Record<CarrierEnvironment, string>;

export type BoekuwzendingOptions = {
  baseUrls?: { staging: string; production: string };
  fetch?: typeof fetch;
  /** Per HTTP call, including reading the body (default 20 s). */
  timeoutMs?: number;
  /** Clock for token expiry (ms since epoch). */
  now?: () => number;
};

/** Refresh a token this long before the carrier says it expires. */
const TOKEN_EXPIRY_MARGIN_MS = 60_000;
/** When the token answer has no expires_in. */
const DEFAULT_TOKEN_TTL_S = 3600;
/** Reconciliation: how far back to page through the newest shipments. */
const RECONCILE_PAGES = 5;
const RECONCILE_PAGE_SIZE = 50;
/** Shipment ids per GET /labels/download-shipments call (keeps the URL well under common 8 KiB limits). */
export const LABEL_DOWNLOAD_BATCH = 50;
const NL_POSTCODE = /^[1-9][0-9]{3} ?[A-Za-z]{2}$/;

/**
 * What Koppel asks of a destination address before calling Boekuwzending, per destination country.
 *
 * - `streetLine`: "street_and_number" wants street + house number apart; "street_and_number_or_line" also takes the
 *   street line whole (sent as `addressLine1`, contract A: the SDK made `number` optional in 2020-08 and `street`
 *   with it when it added `addressLine1` in 2020-12). Every Dutch address has a house number and PostNL checks it
 *   against the postcode, so a Dutch line without a certain number is refused here, not at the carrier.
 * - `postcode`: "required", or "optional" where the country has none or few use it (Ireland's Eircode; Hong Kong,
 *   Macau, the Emirates and Qatar have no postcodes). Which countries the API itself lets go without: unconfirmed.
 * - `postcodeFormat`: checked only where Koppel is sure of the format (NL).
 */
export type DestinationNeeds = {
  streetLine: "street_and_number" | "street_and_number_or_line";
  postcode: "required" | "optional";
  postcodeFormat?: RegExp;
};

export const DEFAULT_DESTINATION_NEEDS: DestinationNeeds = Object.freeze({ streetLine: "street_and_number_or_line", postcode: "required" });

const NO_POSTCODE: DestinationNeeds = Object.freeze({ streetLine: "street_and_number_or_line", postcode: "optional" });

export const DESTINATION_NEEDS: Readonly<Record<string, DestinationNeeds>> = Object.freeze({
  NL: { streetLine: "street_and_number", postcode: "required", postcodeFormat: NL_POSTCODE },
  IE: NO_POSTCODE,
  HK: NO_POSTCODE,
  MO: NO_POSTCODE,
  AE: NO_POSTCODE,
  QA: NO_POSTCODE,
});

export function destinationNeeds(country: string): DestinationNeeds {
  return DESTINATION_NEEDS[country.trim().toUpperCase()] ?? DEFAULT_DESTINATION_NEEDS;
}

/** Distributors by service-code prefix / description word. Real codes are per account. */
const DISTRIBUTOR_MATCHES: { match: RegExp; name: Distributor }[] = [
  { match: /^postnl|\bpostnl\b/i, name: "PostNL" },
  { match: /^dpd|\bdpd\b/i, name: "DPD" },
  { match: /^dhl|\bdhl\b/i, name: "DHL" },
  { match: /^ups|\bups\b/i, name: "UPS" },
  { match: /^gls|\bgls\b/i, name: "GLS" },
  { match: /^fedex|\bfedex\b/i, name: "FedEx" },
  { match: /^tnt|\btnt\b/i, name: "TNT" },
  { match: /^bpost|\bbpost\b/i, name: "bpost" },
];

export function distributorOf(code: string, description: string | null | undefined): Distributor | null {
  const d = DISTRIBUTOR_MATCHES.find((x) => x.match.test(code)) ?? DISTRIBUTOR_MATCHES.find((x) => x.match.test(description ?? ""));
  return d?.name ?? null;
}

/**
 * Mailbox parcels ("brievenbuspakje"): at most 2 kg per parcel (PostNL, https://www.postnl.nl/versturen/brievenbuspakje/).
 * Boekuwzending's service codes are per account, so a mailbox service is recognised by its code or description.
 */
export const MAILBOX_MAX_WEIGHT_GRAMS = 2000;
const MAILBOX = /brievenbus|mailbox|letterbox/i;

export function serviceLimitsOf(code: string, description: string | null | undefined): ServiceLimits {
  return { maxParcelWeightGrams: MAILBOX.test(code) || MAILBOX.test(description ?? "") ? MAILBOX_MAX_WEIGHT_GRAMS : null };
}

/** A rate's price as the API may send it: a number, a decimal string, or an object with amount/value. */
export function ratePrice(price: unknown): number | null {
  if (typeof price === "number" && Number.isFinite(price)) return price;
  if (typeof price === "string" && price.trim() !== "" && Number.isFinite(Number(price))) return Number(price);
  if (price && typeof price === "object") {
    const o = price as Record<string, unknown>;
    return ratePrice(o.amount ?? o.value ?? o.price ?? null);
  }
  return null;
}

/** "1234ab" → "1234 AB"; other countries untouched (trimmed). */
export function normalizePostcode(postcode: string, country: string): string {
  const p = postcode.trim();
  if (country.toUpperCase() === "NL" && NL_POSTCODE.test(p)) return `${p.slice(0, 4)} ${p.slice(-2).toUpperCase()}`;
  return p;
}

export function boekuwzendingTrackingUrl(waybill: string, postcode: string): string {
  return `https://mijn.boekuwzending.com/track-en-trace/${encodeURIComponent(waybill)}/${encodeURIComponent(postcode.replace(/\s+/g, "").toUpperCase())}`;
}

/** Readable text for the merchant from an error body (violations first, then detail/description/title). */
export function readableCarrierError(body: unknown, fallback: string): string {
  const parsed = ErrorBody.safeParse(body);
  if (!parsed.success) return typeof body === "string" && body.trim() && body.length < 500 && !/<html/i.test(body) ? body.trim() : fallback;
  const b = parsed.data;
  const violations = (b.violations ?? [])
    .map((v) => {
      const msg = v.message ?? v.title ?? "";
      return v.propertyPath ? `${v.propertyPath}: ${msg}` : msg;
    })
    .filter((s) => s.trim() !== "");
  if (violations.length > 0) return violations.join("; ");
  for (const candidate of [b.detail, b["hydra:description"], b.error_description, b.message, b.title, b["hydra:title"], b.error]) {
    if (typeof candidate === "string" && candidate.trim() !== "") return candidate.trim().replace(/\n+/g, "; ");
  }
  return fallback;
}

function retryAfterMs(header: string | null, now: number): number | null {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/** The event Koppel registers for (contract A, Webhooks: label-create, label-update, shipment-create, shipment-update). */
export const LABEL_UPDATE_EVENT = "label-update";
/** The `integration` sent with POST /webhooks (its meaning is unconfirmed; the portal names integrations). */
export const WEBHOOK_INTEGRATION = "koppel";

/**
 * How Boekuwzending signs a webhook (the plugins' envelope, contract A): hex HMAC-SHA256 over PHP's json_encode of
 * `data`, keyed with the client id and secret concatenated.
 */
export function labelWebhookHmac(creds: Pick<CarrierCredentials, "clientId" | "clientSecret">, data: unknown): string {
  return labelWebhookHmacOfBytes(creds, phpJsonEncode(data));
}

/** The same over the exact text of `data` (json_encode's output is UTF-8; a valid UTF-8 body round-trips exactly). */
export function labelWebhookHmacOfBytes(creds: Pick<CarrierCredentials, "clientId" | "clientSecret">, dataText: string): string {
  return createHmac("sha256", `${creds.clientId}${creds.clientSecret}`).update(dataText, "utf8").digest("hex");
}

/** Constant-time comparison of two hex signatures (a length difference alone is not secret). */
function hmacEquals(expected: string, given: string): boolean {
  const a = Buffer.from(expected, "utf8");
  const b = Buffer.from(given, "utf8");
  return a.length === b.length && timingSafeEqual(a, b);
}

/** `{status, code, description, date}` items → Koppel updates, oldest first; unknown statuses and dates dropped. */
function parcelUpdates(items: unknown[], label: { labelId: string | null; waybill: string | null }, fallbackAt: Date | null): ParcelUpdate[] {
  const out: ParcelUpdate[] = [];
  for (const item of items) {
    const parsed = TrackStatus.safeParse(item);
    if (!parsed.success) continue;
    const mapped = mapLabelStatus(parsed.data.status);
    const at = parseCarrierDate(parsed.data.date) ?? fallbackAt;
    if (!mapped || !at) continue;
    out.push({
      ...label,
      status: mapped.status,
      final: mapped.final,
      carrierStatus: parsed.data.status,
      carrierCode: parsed.data.code ?? null,
      description: parsed.data.description?.trim() || null,
      at,
    });
  }
  const seen = new Set<string>();
  return out
    .sort((a, b) => a.at.getTime() - b.at.getTime())
    .filter((u) => {
      const key = `${u.carrierStatus}\u0000${u.at.toISOString()}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}

type CachedToken = { token: string; expiresAt: number; secretHash: string };
type Json = unknown;

export function createBoekuwzendingCarrier(opts: BoekuwzendingOptions = {}) {
  const baseUrls = opts.baseUrls ?? BOEKUWZENDING_BASE_URLS;
  const doFetch = opts.fetch ?? ((input, init) => fetch(input, init));
  const timeoutMs = opts.timeoutMs ?? 20_000;
  const now = opts.now ?? Date.now;
  const tokens = new Map<string, CachedToken>();
  const inflight = new Map<string, Promise<CachedToken>>();

  const base = (env: CarrierEnvironment) => baseUrls[env].replace(/\/+$/, "");
  const cacheKey = (c: CarrierCredentials) => `${c.environment}\u0000${c.clientId}`;
  const secretHash = (c: CarrierCredentials) => createHash("sha256").update(c.clientSecret).digest("base64url");

  /** fetch with timeout; network failures and timeouts become transient CarrierErrors. */
  async function send(url: string, init: RequestInit, what: string): Promise<{ res: Response; body: Uint8Array }> {
    try {
      const res = await doFetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
      const body = new Uint8Array(await res.arrayBuffer());
      return { res, body };
    } catch (err) {
      if (isCarrierError(err)) throw err;
      const name = (err as { name?: string } | null)?.name;
      if (name === "TimeoutError" || name === "AbortError") {
        throw new CarrierError("transient", `Boekuwzending did not answer within ${Math.round(timeoutMs / 1000)} s (${what})`);
      }
      throw new CarrierError("transient", `Boekuwzending is unreachable (${what}): ${(err as Error)?.message ?? String(err)}`);
    }
  }

  function parseJsonBody(body: Uint8Array): Json {
    const text = new TextDecoder().decode(body);
    if (text.trim() === "") return null;
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }

  async function fetchToken(creds: CarrierCredentials): Promise<CachedToken> {
    const form = new URLSearchParams({ grant_type: "client_credentials", client_id: creds.clientId, client_secret: creds.clientSecret });
    const { res, body } = await send(
      `${base(creds.environment)}/token`,
      { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" }, body: form.toString() },
      "token",
    );
    const json = parseJsonBody(body);
    if (res.status === 400 || res.status === 401 || res.status === 403) {
      throw new CarrierError(
        "invalid_credentials",
        readableCarrierError(json, "Boekuwzending rejected the client id or secret"),
        res.status,
        null,
        json,
      );
    }
    if (!res.ok) throw statusError(res, json, "token");
    const parsed = TokenResponse.safeParse(json);
    if (!parsed.success) throw new CarrierError("transient", "Boekuwzending sent an unexpected token answer", res.status, null, null);
    const ttlMs = (parsed.data.expires_in ?? DEFAULT_TOKEN_TTL_S) * 1000;
    return {
      token: parsed.data.access_token,
      expiresAt: now() + Math.max(ttlMs / 2, ttlMs - TOKEN_EXPIRY_MARGIN_MS),
      secretHash: secretHash(creds),
    };
  }

  async function token(creds: CarrierCredentials, fresh = false): Promise<string> {
    const key = cacheKey(creds);
    const hash = secretHash(creds);
    const cached = tokens.get(key);
    if (!fresh && cached && cached.secretHash === hash && cached.expiresAt > now()) return cached.token;
    tokens.delete(key);
    const pendingKey = `${key}\u0000${hash}`;
    let pending = inflight.get(pendingKey);
    if (!pending) {
      pending = fetchToken(creds).finally(() => inflight.delete(pendingKey));
      inflight.set(pendingKey, pending);
    }
    const t = await pending;
    tokens.set(key, t);
    return t.token;
  }

  function statusError(res: Response, json: Json, what: string): CarrierError {
    const s = res.status;
    if (s === 429) {
      return new CarrierError(
        "transient",
        `Boekuwzending is busy (too many requests, ${what})`,
        s,
        retryAfterMs(res.headers.get("retry-after"), now()),
        json,
      );
    }
    if (s >= 500) return new CarrierError("transient", `Boekuwzending had a server error ${s} (${what})`, s, retryAfterMs(res.headers.get("retry-after"), now()), json);
    if (s === 401 || s === 403) {
      return new CarrierError("invalid_credentials", readableCarrierError(json, `Boekuwzending refused access (${s})`), s, null, json);
    }
    if (s === 404) return new CarrierError("rejected", readableCarrierError(json, `Boekuwzending does not know this ${what}`), s, null, json);
    return new CarrierError("rejected", readableCarrierError(json, `Boekuwzending rejected the request (${s})`), s, null, json);
  }

  /** An authenticated API call; one retry with a fresh token on 401. Returns the raw body of a 2xx answer. */
  async function api(
    creds: CarrierCredentials,
    method: "GET" | "POST",
    path: string,
    what: string,
    init: { json?: unknown; accept?: string } = {},
  ): Promise<{ res: Response; body: Uint8Array }> {
    for (let attempt = 0; ; attempt++) {
      const bearer = await token(creds, attempt > 0);
      const headers: Record<string, string> = { authorization: `Bearer ${bearer}`, accept: init.accept ?? "application/json" };
      if (init.json !== undefined) headers["content-type"] = "application/json";
      const out = await send(`${base(creds.environment)}${path}`, { method, headers, body: init.json === undefined ? undefined : JSON.stringify(init.json) }, what);
      if (out.res.status === 401 && attempt === 0) {
        tokens.delete(cacheKey(creds));
        continue;
      }
      if (!out.res.ok) throw statusError(out.res, parseJsonBody(out.body), what);
      return out;
    }
  }

  async function apiJson<S extends z.ZodType>(
    creds: CarrierCredentials,
    method: "GET" | "POST",
    path: string,
    what: string,
    schema: S,
    jsonBody?: unknown,
  ): Promise<{ value: z.output<S>; raw: Json }> {
    const { res, body } = await api(creds, method, path, what, { json: jsonBody });
    const raw = parseJsonBody(body);
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      // A 2xx we cannot read: the call may have had an effect, so callers reconcile rather than give up.
      throw new CarrierError("transient", `Boekuwzending sent an unexpected answer (${what})`, res.status, null, null);
    }
    return { value: parsed.data, raw };
  }

  async function pdfCall(creds: CarrierCredentials, path: string, what: string): Promise<Uint8Array> {
    const { res, body } = await api(creds, "GET", path, what, { accept: "application/pdf" });
    const head = new TextDecoder().decode(body.subarray(0, 5));
    if (head !== "%PDF-") {
      const json = parseJsonBody(body);
      // A JSON error inside a 2xx is a refusal; anything else is garbage we may retry.
      if (json && typeof json === "object") throw new CarrierError("rejected", readableCarrierError(json, `Boekuwzending sent no PDF (${what})`), res.status, null, json);
      throw new CarrierError("transient", `Boekuwzending sent no PDF (${what})`, res.status);
    }
    return body;
  }

  function party(a: CarrierAddress) {
    const country = a.country.trim().toUpperCase();
    const contact: Record<string, string> = { name: a.name.trim() };
    if (a.company?.trim()) contact.company = a.company.trim();
    if (a.email?.trim()) contact.emailAddress = a.email.trim();
    if (a.phone?.trim()) contact.phoneNumber = a.phone.trim();
    const street = a.street?.trim() ?? "";
    const number = a.houseNumber?.trim() ?? "";
    const line1 = a.addressLine1?.trim() ?? "";
    const address: Record<string, string | boolean> = { city: a.city.trim(), country, privateAddress: a.privateAddress ?? !a.company?.trim() };
    // Street and number apart when both are known; else the line whole as addressLine1 (never both: the label would
    // print the street twice).
    if ((street && number) || !line1) {
      address.street = street;
      address.number = number;
      if (a.houseNumberAddition?.trim()) address.numberAddition = a.houseNumberAddition.trim();
    } else {
      address.addressLine1 = line1;
    }
    const postcode = normalizePostcode(a.postcode ?? "", country);
    if (postcode || destinationNeeds(country).postcode === "required") address.postcode = postcode;
    if (a.addressLine2?.trim()) address.addressLine2 = a.addressLine2.trim();
    return { contact, address };
  }

  /** The colli as one item line: `quantity` parcels of the order's weight divided over them (kg, per parcel). */
  function items(r: RateRequest) {
    const item: { quantity: number; type: string; weight?: number; description?: string; dimensions?: { length: number; width: number; height: number } } = {
      quantity: r.colli,
      type: r.packageType,
    };
    if (r.dimensions) item.dimensions = { length: r.dimensions.lengthCm, width: r.dimensions.widthCm, height: r.dimensions.heightCm };
    if (r.weightGrams && r.weightGrams > 0) item.weight = Math.max(0.001, Math.round(r.weightGrams / r.colli) / 1000);
    if (r.description?.trim()) item.description = r.description.trim();
    return [item];
  }

  function shipmentBody(r: ShipmentRequest) {
    return {
      shipFrom: party(r.shipFrom),
      shipTo: party(r.shipTo),
      items: items(r),
      service: r.service,
      transportType: "road_transport",
      invoiceReference: r.reference,
      dispatch: { reference: r.idempotencyKey },
    };
  }

  async function toCreated(creds: CarrierCredentials, s: Shipment, raw: Json): Promise<CreatedShipment> {
    const labels = s.labels ?? (await apiJson(creds, "GET", `/shipments/${encodeURIComponent(s.id)}/labels`, "labels", LabelList)).value;
    const postcode = s.shipTo?.address?.postcode ?? "";
    return {
      carrierShipmentId: s.id,
      sequence: s.sequence ?? null,
      status: s.status ?? null,
      labels: labels.map(
        (l): CarrierLabel => ({
          id: l.id,
          // A label without waybill yet is kept with an empty one (not seen so far).
          waybill: l.waybill ?? "",
          trackingUrl: l.trackAndTraceLink ?? (l.waybill && postcode ? boekuwzendingTrackingUrl(l.waybill, postcode) : ""),
        }),
      ),
      raw,
    };
  }

  async function listServices(creds: CarrierCredentials): Promise<CarrierService[]> {
    // The contract has no plain service list: POST /rate-request with a representative NL→NL 1 kg parcel lists the
    // services this account may use.
    const sample = {
      shipFrom: { contact: { name: "Koppel" }, address: { street: "Damrak", number: "1", postcode: "1012 LG", city: "Amsterdam", country: "NL", privateAddress: false } },
      shipTo: { contact: { name: "Koppel" }, address: { street: "Coolsingel", number: "40", postcode: "3011 AD", city: "Rotterdam", country: "NL", privateAddress: true } },
      items: [{ quantity: 1, type: "package", weight: 1 }],
      transportType: "road_transport",
    };
    const { value } = await apiJson(creds, "POST", "/rate-request", "services", RateList, sample);
    const seen = new Set<string>();
    const services: CarrierService[] = [];
    for (const rate of value) {
      const { code } = rate.service;
      if (seen.has(code)) continue;
      seen.add(code);
      const description = rate.service.description?.trim() || code;
      services.push({ code, description, distributor: distributorOf(code, description) });
    }
    return services;
  }

  async function shipmentsPage(creds: CarrierCredentials, query: Record<string, string>): Promise<{ items: Shipment[]; raws: Json[] } | null> {
    const qs = new URLSearchParams(query).toString();
    try {
      const { value, raw } = await apiJson(creds, "GET", `/shipments?${qs}`, "shipment list", ShipmentCollection);
      const rawItems = Array.isArray(raw) ? raw : ((raw as Record<string, unknown>)["hydra:member"] ?? (raw as Record<string, unknown>).member ?? (raw as Record<string, unknown>).items);
      return { items: value, raws: Array.isArray(rawItems) ? rawItems : value };
    } catch (err) {
      // A filter the API does not know may be refused: let the caller fall back to paging.
      if (isCarrierError(err) && err.kind === "rejected" && "invoiceReference" in query) return null;
      throw err;
    }
  }

  async function matchIn(
    creds: CarrierCredentials,
    page: { items: Shipment[]; raws: Json[] },
    key: string,
    reference: string,
  ): Promise<CreatedShipment | null> {
    for (const [i, s] of page.items.entries()) {
      if (s.dispatch?.reference === key) return toCreated(creds, s, page.raws[i]);
      // The collection may leave out dispatch: read the full shipment when the order number matches.
      if (s.dispatch == null && s.invoiceReference === reference) {
        const full = await apiJson(creds, "GET", `/shipments/${encodeURIComponent(s.id)}`, "shipment", Shipment);
        if (full.value.dispatch?.reference === key) return toCreated(creds, full.value, full.raw);
      }
    }
    return null;
  }

  const carrier = {
    id: "boekuwzending",
    displayName: "Boekuwzending",

    async verify(creds: CarrierCredentials) {
      try {
        await token(creds, true);
        return { ok: true as const, services: await listServices(creds) };
      } catch (err) {
        // Bad credentials give the carrier's own words; an outage says so (the merchant can simply try again).
        if (isCarrierError(err)) return { ok: false as const, reason: err.message, kind: err.kind };
        throw err;
      }
    },

    listServices,

    packageTypes: () => PACKAGE_TYPES,

    missingAddressFields(address: Partial<CarrierAddress>): string[] {
      const missing: string[] = [];
      const empty = (v: string | null | undefined) => !v || v.trim() === "";
      const country = address.country?.trim().toUpperCase() ?? "";
      const needs = destinationNeeds(country);
      if (empty(address.name)) missing.push("name");
      const split = !empty(address.street) && !empty(address.houseNumber);
      if (!split && empty(address.addressLine1)) {
        if (empty(address.street)) missing.push("street");
        if (empty(address.houseNumber)) missing.push("houseNumber");
      } else if (!split && needs.streetLine === "street_and_number") {
        // The line is there, its house number is not (or not certain).
        missing.push("houseNumber");
      }
      const postcode = address.postcode?.trim() ?? "";
      if (postcode ? needs.postcodeFormat && !needs.postcodeFormat.test(postcode) : needs.postcode === "required") missing.push("postcode");
      if (empty(address.city)) missing.push("city");
      if (!/^[A-Z]{2}$/.test(country)) missing.push("country");
      return missing;
    },

    async rate(creds: CarrierCredentials, request: RateRequest): Promise<CarrierRate | null> {
      // POST /rate-request takes the shipment and answers the price of every service it could go with (contract A).
      const body = { shipFrom: party(request.shipFrom), shipTo: party(request.shipTo), items: items(request), service: request.service, transportType: "road_transport" };
      const { value } = await apiJson(creds, "POST", "/rate-request", "rate", RateList, body);
      const hit = value.find((r) => r.service.code === request.service);
      const price = hit ? ratePrice(hit.price) : null;
      if (!hit || price === null) return null;
      return { service: request.service, price, tax: ratePrice(hit.tax), currency: "EUR" };
    },

    serviceLimits(service: CarrierService | null, code: string): ServiceLimits {
      return serviceLimitsOf(service?.code ?? code, service?.description);
    },

    async createShipment(creds: CarrierCredentials, request: ShipmentRequest): Promise<CreatedShipment> {
      const { value, raw } = await apiJson(creds, "POST", "/shipments", "shipment", Shipment, shipmentBody(request));
      return toCreated(creds, value, raw);
    },

    async findShipmentByIdempotencyKey(creds: CarrierCredentials, request: Pick<ShipmentRequest, "idempotencyKey" | "reference">) {
      const { idempotencyKey: key, reference } = request;
      // Filtering by invoiceReference is unconfirmed: an API that ignores it just returns the newest shipments.
      const filtered = await shipmentsPage(creds, { invoiceReference: reference, _page: "1", _items_per_page: String(RECONCILE_PAGE_SIZE) });
      if (filtered) {
        const hit = await matchIn(creds, filtered, key, reference);
        if (hit) return hit;
      }
      for (let p = 1; p <= RECONCILE_PAGES; p++) {
        const page = await shipmentsPage(creds, { _page: String(p), _items_per_page: String(RECONCILE_PAGE_SIZE) });
        if (!page) break;
        const hit = await matchIn(creds, page, key, reference);
        if (hit) return hit;
        if (page.items.length < RECONCILE_PAGE_SIZE) break;
      }
      return null;
    },

    downloadLabels(creds: CarrierCredentials, carrierShipmentId: string) {
      return pdfCall(creds, `/shipments/${encodeURIComponent(carrierShipmentId)}/labels/download`, "label PDF");
    },

    async downloadLabelsOfShipments(creds: CarrierCredentials, carrierShipmentIds: string[]) {
      if (carrierShipmentIds.length === 0) throw new CarrierError("rejected", "No shipments to print");
      const parts: Uint8Array[] = [];
      for (let i = 0; i < carrierShipmentIds.length; i += LABEL_DOWNLOAD_BATCH) {
        // PHP-style array, as the SDK sends it.
        const batch = carrierShipmentIds.slice(i, i + LABEL_DOWNLOAD_BATCH);
        const qs = batch.map((id, j) => `${encodeURIComponent(`shipments[${j}]`)}=${encodeURIComponent(id)}`).join("&");
        parts.push(await pdfCall(creds, `/labels/download-shipments?${qs}`, "label PDF"));
      }
      try {
        return await concatPdfs(parts);
      } catch {
        throw new CarrierError("transient", "Boekuwzending sent a label PDF that cannot be read");
      }
    },

    trackingUrl: boekuwzendingTrackingUrl,

    verifyLabelWebhook(creds: CarrierCredentials, rawBody: string): Result<LabelWebhook> {
      let body: unknown;
      try {
        body = JSON.parse(rawBody);
      } catch {
        return { ok: false, reason: "not JSON" };
      }
      const envelope = SignedWebhook.safeParse(body);
      // The portal's documented envelope carries no signature: without one there is nothing to verify, so it is refused.
      if (!envelope.success) return { ok: false, reason: "unsigned (no meta.hmac)" };
      // Over the bytes of `data` as sent (PHP signs json_encode($data) and embeds those very bytes); the re-encoding of
      // the parsed data is the fallback, for a sender or proxy that re-serialised the envelope. Either matching is enough.
      const given = envelope.data.meta.hmac.trim().toLowerCase();
      const rawData = topLevelMemberText(rawBody, "data");
      const matches = (rawData !== null && hmacEquals(labelWebhookHmacOfBytes(creds, rawData), given)) || reencodedMatches(creds, envelope.data.data, given);
      if (!matches) return { ok: false, reason: "HMAC mismatch" };
      const event = LabelUpdateEvent.safeParse(envelope.data.data);
      if (!event.success) {
        // Genuine, but not a label update Koppel can read: taken (and kept) without updates, never refused into retries.
        const data = envelope.data.data;
        const eventId = typeof data.id === "string" || typeof data.id === "number" ? String(data.id) : createHash("sha256").update(rawBody).digest("hex");
        return { ok: true, value: { eventId, event: typeof data.event === "string" ? data.event : "unknown", waybill: null, reference: null, updates: [] } };
      }
      const { id, payload } = event.data;
      const label = { labelId: payload.label ?? null, waybill: payload.waybill?.trim() || null };
      const eventAt = parseCarrierDate(event.data.date);
      // `details` is the history; `active` the status now (it may repeat the newest detail: deduplicated).
      const items = [...(payload.details ?? []), ...(payload.active ? [payload.active] : [])];
      return { ok: true, value: { eventId: id, event: event.data.event, waybill: label.waybill, reference: payload.reference ?? null, updates: parcelUpdates(items, label, eventAt) } };
    },

    async trackAndTrace(creds: CarrierCredentials, labelId: string): Promise<ParcelUpdate[]> {
      const { value } = await apiJson(creds, "GET", `/track-and-trace/${encodeURIComponent(labelId)}`, "track & trace", TrackAndTrace);
      if (value.error !== undefined && value.error !== null && value.error !== false) {
        throw new CarrierError("rejected", readableCarrierError(value, "Boekuwzending has no track & trace for this label"), 200, null, value);
      }
      const items = [...(value.details ?? []), ...(value.active ? [value.active] : [])];
      return parcelUpdates(items, { labelId, waybill: null }, null);
    },

    async registerLabelWebhook(creds: CarrierCredentials, url: string): Promise<void> {
      await api(creds, "POST", "/webhooks", "webhook", { json: { url, integration: WEBHOOK_INTEGRATION, event: LABEL_UPDATE_EVENT } });
    },

    distributorOf(service: CarrierService | null): Distributor | null {
      if (!service) return null;
      return asDistributor(service.distributor) ?? distributorOf(service.code, service.description);
    },

    /** Test/ops helper: forget cached tokens. */
    clearTokenCache() {
      tokens.clear();
    },
  } satisfies Carrier & { clearTokenCache(): void };

  return carrier;
}

export type BoekuwzendingCarrier = ReturnType<typeof createBoekuwzendingCarrier>;

/**
 * The fallback check over the re-encoded data. Re-encoding recurses, so data nested deeper than the stack allows (only
 * a forged body would be) cannot be re-encoded: that is a mismatch, never a thrown error (a 500 for anyone who knows
 * the address).
 */
function reencodedMatches(creds: CarrierCredentials, data: unknown, given: string): boolean {
  try {
    return hmacEquals(labelWebhookHmac(creds, data as Parameters<typeof labelWebhookHmac>[1]), given);
  } catch {
    return false;
  }
}
