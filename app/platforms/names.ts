// How Koppel names each platform to the merchant ("Mijnwebwinkel stuurt de klant geen e-mail"). Exhaustive.
import type { PlatformId } from "../core/ports";

const PLATFORM_NAMES: Record<PlatformId, string> = { shopify: "Shopify", ccvshop: "CCV Shop", mijnwebwinkel: "Mijnwebwinkel" };

export function platformDisplayName(id: PlatformId): string {
  return PLATFORM_NAMES[id] ?? id;
}

// Where the install step runs: inside the shop's own admin (Shopify's embedded app: the admin shows the shop, the page
// is "Standaard afzendadres"), or on Koppel's "Mijn account" page, which names the shop read-only. Exhaustive.
const SETUP_INSIDE_ADMIN: Record<PlatformId, boolean> = { shopify: true, ccvshop: false, mijnwebwinkel: false };

export function setupInsideAdmin(id: PlatformId): boolean {
  return SETUP_INSIDE_ADMIN[id];
}
