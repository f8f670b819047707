// The carrier's price before the click (issue 13 item 3): one rate request per planned order through the carrier port,
// cached briefly per (account, destination, weight, service, format, colli, parcel size) so opening the dialog again,
// or many orders to the same postcode and weight, ask once. A failed rate request is the order's `error`: the dialog
// says so and still allows the label.
import type { Carrier, CarrierCredentials, CarrierRate, RateRequest } from "../ports";
import { isCarrierError } from "../ports";

export const RATE_CACHE_TTL_MS = 10 * 60_000;
const RATE_CACHE_MAX = 5_000;
/** Rate requests in flight at once for one dialog. */
const RATE_CONCURRENCY = 6;

export type OrderPrice = { ok: true; price: number; tax: number | null; currency: string } | { ok: false; error: string };

type Cached = { at: number; rate: CarrierRate | null };
const cache = new Map<string, Cached>();

export function clearRateCache(): void {
  cache.clear();
}

function keyOf(creds: CarrierCredentials, r: RateRequest): string {
  const to = r.shipTo;
  const size = r.dimensions ? `${r.dimensions.lengthCm}x${r.dimensions.widthCm}x${r.dimensions.heightCm}` : "";
  return [creds.environment, creds.clientId, to.country, (to.postcode ?? "").replace(/\s+/g, "").toUpperCase(), r.weightGrams ?? 0, r.service, r.packageType, r.colli, size].join("\u0000");
}

/** One shipment's price, from the cache when asked within the TTL. Throws the carrier's error. */
export async function rateOf(carrier: Carrier, creds: CarrierCredentials, request: RateRequest, now = Date.now()): Promise<CarrierRate | null> {
  const key = keyOf(creds, request);
  const hit = cache.get(key);
  if (hit && now - hit.at < RATE_CACHE_TTL_MS) return hit.rate;
  const rate = await carrier.rate(creds, request);
  if (cache.size >= RATE_CACHE_MAX) cache.delete(cache.keys().next().value!);
  cache.set(key, { at: now, rate });
  return rate;
}

/** Prices of many shipments (a few at a time); each fails only itself. */
export async function pricesOf(carrier: Carrier, creds: CarrierCredentials, requests: { id: number; request: RateRequest }[]): Promise<Map<number, OrderPrice>> {
  const out = new Map<number, OrderPrice>();
  let next = 0;
  const worker = async () => {
    while (next < requests.length) {
      const { id, request } = requests[next++]!;
      try {
        const rate = await rateOf(carrier, creds, request);
        out.set(id, rate ? { ok: true, price: rate.price, tax: rate.tax, currency: rate.currency } : { ok: false, error: "no rate for this service" });
      } catch (e) {
        out.set(id, { ok: false, error: isCarrierError(e) ? e.message : String((e as Error)?.message ?? e) });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(RATE_CONCURRENCY, requests.length) }, worker));
  return out;
}
