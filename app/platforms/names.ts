// How Koppel names each platform to the merchant ("Mijnwebwinkel stuurt de klant geen e-mail"). Exhaustive.
import type { PlatformId } from "../core/ports";

const PLATFORM_NAMES: Record<PlatformId, string> = { shopify: "Shopify", ccvshop: "CCV Shop", mijnwebwinkel: "Mijnwebwinkel" };

export function platformDisplayName(id: PlatformId): string {
  return PLATFORM_NAMES[id] ?? id;
}
