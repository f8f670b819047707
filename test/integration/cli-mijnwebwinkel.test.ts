// The operator CLI for a Mijnwebwinkel shop: `--platform mijnwebwinkel --shop <shop>.myonline.store` finds the shop by
// its Shop-URL and runs the same use cases (sync through the real adapter, from the production registry pointed at the
// fake MyOnlineStore Connect API with configureMijnwebwinkelApi).
import { captureCliJson } from "./support/cli";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../app/cli/cli";
import { connectShop } from "../../app/core/connect-shop";
import { configureMijnwebwinkelApi } from "../../app/platforms/registry.server";
import { isPaid, startFakeMijnwebwinkel, STATUS, type RunningFakeMijnwebwinkel } from "../fakes/mijnwebwinkel";
import { runtime } from "./helpers";
import type { Runtime } from "../../app/runtime.server";

const SHOP = "koffie-en-co.myonline.store";
/** The demo store's statuses meaning "to ship" (the adapter's default policy: Nieuw, In behandeling). */
const TO_SHIP: number[] = [STATUS.NIEUW, STATUS.IN_BEHANDELING];

let rt: Runtime;
let mww: RunningFakeMijnwebwinkel;

beforeAll(async () => {
  rt = await runtime();
  mww = await startFakeMijnwebwinkel({ stores: [{ token: "tok-koffie-en-co", name: "Koffie & Co" }], seed: "demo" });
  configureMijnwebwinkelApi({ apiUrl: mww.apiUrl, partnerToken: mww.partnerToken });
  const connected = await connectShop(rt, { platform: "mijnwebwinkel", domain: SHOP, name: "Koffie & Co", credentials: { shopUrl: SHOP, apiToken: mww.tokens[0]! } });
  if (!connected.ok) throw new Error(connected.reason);
});
afterAll(async () => {
  configureMijnwebwinkelApi(null);
  await mww?.close();
  await rt?.stop();
});

describe("npm run koppel -- --platform mijnwebwinkel", () => {
  it("sync imports the shop's open, paid orders, never a test order; orders and shipments list them by the Shop-URL", async () => {
    const sync = await captureCliJson(["sync", "--platform", "mijnwebwinkel", "--shop", SHOP, "--json"]);
    expect(sync.code).toBe(0);
    expect(sync.rows).toHaveLength(1);
    expect(sync.rows[0]).toMatchObject({ shop: SHOP, status: "done", failed: 0 });

    const records = mww.fake.store().records();
    // The demo store has test orders ("T-…") in the to-ship statuses: what the listing must leave out.
    const testOrders = records.filter((r) => r.test && TO_SHIP.includes(r.order.status));
    expect(testOrders.length).toBeGreaterThan(0);
    expect(testOrders.every((r) => String(r.order.number).startsWith("T-"))).toBe(true);
    const expected = records
      .filter((r) => !r.test && !r.order.archived && TO_SHIP.includes(r.order.status) && isPaid(r.payments))
      .map((r) => String(r.order.number))
      .sort();
    expect(expected.length).toBeGreaterThan(5);
    expect(sync.rows[0]).toMatchObject({ imported: expected.length });

    const list = await captureCliJson(["orders", "--platform", "mijnwebwinkel", "--shop", SHOP, "--json"]);
    expect(list.code).toBe(0);
    expect(list.rows.map((r) => r.number).sort()).toEqual(expected);
    expect(list.rows.every((r) => r.status === "to_ship")).toBe(true);
    expect(list.rows.some((r) => String(r.number).startsWith("T-"))).toBe(false);
    const all = await captureCliJson(["orders", "--platform", "mijnwebwinkel", "--shop", SHOP, "--json", "--all"]);
    expect(all.rows.some((r) => String(r.number).startsWith("T-"))).toBe(false);

    const shipments = await captureCliJson(["shipments", "--platform", "mijnwebwinkel", "--shop", SHOP, "--json"]);
    expect(shipments).toEqual({ code: 0, rows: [] });
  });

  it("names the platform when the shop is not found", async () => {
    await expect(runCli(["orders", "--platform", "mijnwebwinkel", "--shop", "nope.myonline.store"])).rejects.toThrow(/No mijnwebwinkel shop nope\.myonline\.store/);
  });
});
