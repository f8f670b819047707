// CarrierError crosses bundles: build/server.js and the Remix build each carry their own copy of app/core/ports.ts, so
// an error thrown by the runtime's adapter is not an instance of the class a route imports. It is recognised by its
// discriminant (name + kind) instead.
import { describe, expect, it } from "vitest";
import { CarrierError, isCarrierError, type CarrierFailureKind } from "~/core/ports";
import { createBoekuwzendingCarrier } from "~/carriers/boekuwzending/adapter.server";

/** What the other bundle's copy of the class looks like: same name, same fields, another class. */
class OtherBundleCarrierError extends Error {
  constructor(
    readonly kind: CarrierFailureKind,
    message: string,
    readonly status: number | null = null,
  ) {
    super(message);
    this.name = "CarrierError";
  }
}

const CREDS = { clientId: "c", clientSecret: "s", environment: "staging" as const };

describe("isCarrierError", () => {
  it("recognises this module's CarrierError and one from another copy of the class", async () => {
    expect(isCarrierError(new CarrierError("rejected", "no"))).toBe(true);
    const foreign = new OtherBundleCarrierError("transient", "Boekuwzending had a server error 503 (label PDF)", 503);
    expect(foreign instanceof CarrierError).toBe(false);
    expect(isCarrierError(foreign)).toBe(true);
    // A second instance of the module itself (as a second bundle loads it).
    const secondBundle = "../../app/core/ports.ts?second-bundle";
    const copy = (await import(/* @vite-ignore */ secondBundle)) as typeof import("~/core/ports");
    const fromCopy = new copy.CarrierError("invalid_credentials", "bad secret");
    expect(copy.CarrierError).not.toBe(CarrierError);
    expect(fromCopy instanceof CarrierError).toBe(false);
    expect(isCarrierError(fromCopy)).toBe(true);
  });

  it("does not take other errors for carrier errors", () => {
    expect(isCarrierError(new Error("boom"))).toBe(false);
    expect(isCarrierError(Object.assign(new Error("x"), { name: "CarrierError", kind: "exploded" }))).toBe(false);
    expect(isCarrierError(Object.assign(new Error("x"), { kind: "rejected" }))).toBe(false);
    expect(isCarrierError({ name: "CarrierError", kind: "rejected" })).toBe(false);
    expect(isCarrierError(null)).toBe(false);
    expect(isCarrierError("CarrierError")).toBe(false);
  });

  it("the adapter passes a carrier error from another copy through as is (not as 'unreachable'), and verify reports it", async () => {
    const foreign = new OtherBundleCarrierError("invalid_credentials", "Client authentication failed", 401);
    const bz = createBoekuwzendingCarrier({
      baseUrls: { staging: "http://127.0.0.1:9", production: "http://127.0.0.1:9" },
      fetch: async () => {
        throw foreign;
      },
    });
    await expect(bz.listServices(CREDS)).rejects.toBe(foreign);
    expect(await bz.verify(CREDS)).toEqual({ ok: false, reason: "Client authentication failed", kind: "invalid_credentials" });
  });
});
