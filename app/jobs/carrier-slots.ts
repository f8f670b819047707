// The label jobs' carrier calls, at most `slots` at once per process however many label jobs run: a job's database
// work (reading the request, storing the shipment with its write-back job) then holds no carrier slot, so on a busy
// database the carrier still gets its calls back to back. The carrier's rate limit is unpublished: be polite.
import type { Carrier, CarrierId } from "../core/ports";

/** The methods that call the carrier to buy or find a label (the label job's calls). */
const LIMITED = new Set<string | symbol>(["createShipment", "findShipmentByIdempotencyKey"]);

export function withCarrierSlots(carrierFor: (id: CarrierId) => Carrier, slots: number): (id: CarrierId) => Carrier {
  let busy = 0;
  const waiting: (() => void)[] = [];
  async function inSlot<T>(call: () => Promise<T>): Promise<T> {
    if (busy >= slots) await new Promise<void>((resolve) => waiting.push(resolve));
    else busy++;
    try {
      return await call();
    } finally {
      // The slot goes straight to the next waiter (busy stays), or is freed.
      const next = waiting.shift();
      if (next) next();
      else busy--;
    }
  }
  // The carrier as the registry has it now (it is rebuilt when reconfigured), its label calls waiting for a slot.
  return (id) =>
    new Proxy(carrierFor(id), {
      get(target, key) {
        const value = Reflect.get(target, key, target) as unknown;
        if (typeof value !== "function") return value;
        const fn = value as (...args: unknown[]) => unknown;
        return LIMITED.has(key) ? (...args: unknown[]) => inSlot(() => Promise.resolve(fn.apply(target, args))) : fn.bind(target);
      },
    });
}
