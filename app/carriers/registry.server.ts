// Picks the adapter for a carrier. Exhaustive: adding a carrier to CarrierId fails to compile until it is handled here.
// Reads no process.env: the demo and tests point the carrier at a fake with configureCarrierBaseUrls().
import type { Carrier, CarrierId } from "../core/ports";
import { createBoekuwzendingCarrier, type BoekuwzendingOptions } from "./boekuwzending/adapter.server";

export type CarrierBaseUrls = { staging: string; production: string };

// Kept on globalThis: the server's own modules and the Remix build are two module instances in one process, and
// both must see the demo's fake carrier.
type RegistryState = { options: BoekuwzendingOptions; adapter?: ReturnType<typeof createBoekuwzendingCarrier> };
declare global {
  var __koppelCarrierRegistry: RegistryState | undefined;
}
const state: RegistryState = (globalThis.__koppelCarrierRegistry ??= { options: {} });

/** Point Boekuwzending at other base URLs (the fake), or back to the real ones with `null`. Drops cached tokens. */
export function configureCarrierBaseUrls(urls: CarrierBaseUrls | null): void {
  state.options = { ...state.options, baseUrls: urls ?? undefined };
  state.adapter = undefined;
}

/** Further adapter options (fetch, timeoutMs, now), for tests. `configureCarrier({})` restores the defaults. */
export function configureCarrier(options: BoekuwzendingOptions): void {
  state.options = { ...options };
  state.adapter = undefined;
}

export function boekuwzendingAdapter() {
  return (state.adapter ??= createBoekuwzendingCarrier(state.options));
}

export function carrierFor(id: CarrierId): Carrier {
  switch (id) {
    case "boekuwzending":
      return boekuwzendingAdapter();
    default: {
      const unreachable: never = id;
      throw new Error(`Unknown carrier ${String(unreachable)}`);
    }
  }
}
