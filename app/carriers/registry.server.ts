// Picks the adapter for a carrier. Exhaustive: adding a carrier to CarrierId fails to compile until it is handled here.
// Reads no process.env: the demo and tests point the carrier at a fake with configureCarrierBaseUrls().
import type { Carrier, CarrierId } from "../core/ports";
import { createBoekuwzendingCarrier, type BoekuwzendingOptions } from "./boekuwzending/adapter.server";

export type CarrierBaseUrls = { staging: string; production: string };

let boekuwzendingOptions: BoekuwzendingOptions = {};
let boekuwzending: ReturnType<typeof createBoekuwzendingCarrier> | undefined;

/** Point Boekuwzending at other base URLs (the fake), or back to the real ones with `null`. Drops cached tokens. */
export function configureCarrierBaseUrls(urls: CarrierBaseUrls | null): void {
  boekuwzendingOptions = { ...boekuwzendingOptions, baseUrls: urls ?? undefined };
  boekuwzending = undefined;
}

/** Further adapter options (fetch, timeoutMs, now), for tests. `configureCarrier({})` restores the defaults. */
export function configureCarrier(options: BoekuwzendingOptions): void {
  boekuwzendingOptions = { ...options };
  boekuwzending = undefined;
}

export function boekuwzendingAdapter() {
  return (boekuwzending ??= createBoekuwzendingCarrier(boekuwzendingOptions));
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
