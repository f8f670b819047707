import { describe, expect, it } from "vitest";
import { withCarrierSlots } from "../../app/jobs/carrier-slots";
import type { Carrier } from "../../app/core/ports";

/** A carrier whose label calls finish when the test says so. */
function heldCarrier() {
  let inFlight = 0;
  let most = 0;
  const release: (() => void)[] = [];
  const held = () =>
    new Promise<never>((_, reject) => {
      inFlight++;
      most = Math.max(most, inFlight);
      release.push(() => {
        inFlight--;
        reject(new Error("done"));
      });
    });
  const carrier = {
    id: "boekuwzending",
    displayName: "Boekuwzending",
    createShipment: held,
    findShipmentByIdempotencyKey: held,
    trackingUrl: (waybill: string) => `https://track/${waybill}`,
  } as unknown as Carrier;
  return { carrier, release, stats: () => ({ inFlight, most }) };
}

const flush = () => new Promise<void>((r) => setImmediate(r));

describe("withCarrierSlots", () => {
  it("lets at most `slots` label calls reach the carrier at once, the rest in turn; other calls pass", async () => {
    const h = heldCarrier();
    const carrierFor = withCarrierSlots(() => h.carrier, 2);
    const calls = [1, 2, 3, 4, 5].map((i) =>
      (i % 2 ? carrierFor("boekuwzending").createShipment : carrierFor("boekuwzending").findShipmentByIdempotencyKey)(
        {} as never,
        {} as never,
      ).catch((e: Error) => e.message),
    );
    await flush();
    expect(h.stats()).toEqual({ inFlight: 2, most: 2 });
    expect(carrierFor("boekuwzending").trackingUrl("3S1", "1015CJ")).toBe("https://track/3S1");
    expect(carrierFor("boekuwzending").displayName).toBe("Boekuwzending");
    for (let done = 0; done < 5; done++) {
      h.release.shift()!();
      await flush();
    }
    expect(await Promise.all(calls)).toEqual(Array(5).fill("done"));
    expect(h.stats()).toEqual({ inFlight: 0, most: 2 });
  });
});
