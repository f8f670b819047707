// The operator CLI for a Mijnwebwinkel shop: `--platform mijnwebwinkel --shop <shop>.myonline.store` finds the shop by
// its Shop-URL and runs the same use cases (sync through the real adapter, from the production registry pointed at the
// fake MyOnlineStore Connect API with configureMijnwebwinkelApi; `label` through the fake carrier and the write-back's
// PATCH to Verzonden).
import { captureCliJson } from "./support/cli";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../app/cli/cli";
import { connectShop } from "../../app/core/connect-shop";
import { configureMijnwebwinkelApi } from "../../app/platforms/registry.server";
import { isPaid, startFakeMijnwebwinkel, STATUS, type RunningFakeMijnwebwinkel } from "../fakes/mijnwebwinkel";
import { runtime } from "./helpers";
import { labelDeps, type Runtime } from "../../app/runtime.server";
import { configureCarrierBaseUrls } from "../../app/carriers/registry.server";
import { connectCarrier } from "../../app/core/labels/connection.server";
import { saveFromAddress } from "../../app/core/shops.server";
import { registerWorkers } from "../../app/jobs/workers.server";
import { startFakeCarrier } from "../fakes/carrier";
import { fromAddressFixture } from "../fixtures/from-address";
import { CARRIER_ACCOUNT } from "./support/label-world";

const SHOP = "koffie-en-co.myonline.store";
/** The demo store's statuses meaning "to ship" (the adapter's default policy: Nieuw, In behandeling). */
const TO_SHIP: number[] = [STATUS.NIEUW, STATUS.IN_BEHANDELING];

let rt: Runtime;
let mww: RunningFakeMijnwebwinkel;
let carrier: Awaited<ReturnType<typeof startFakeCarrier>>;
let shopId: number;

beforeAll(async () => {
  rt = await runtime();
  mww = await startFakeMijnwebwinkel({ stores: [{ token: "tok-koffie-en-co", name: "Koffie & Co" }], seed: "demo" });
  configureMijnwebwinkelApi({ apiUrl: mww.apiUrl, partnerToken: mww.partnerToken });
  const connected = await connectShop(rt, { platform: "mijnwebwinkel", domain: SHOP, name: "Koffie & Co", credentials: { shopUrl: SHOP, apiToken: mww.tokens[0]! } });
  if (!connected.ok) throw new Error(connected.reason);
  shopId = connected.value.id;
});
afterAll(async () => {
  configureMijnwebwinkelApi(null);
  configureCarrierBaseUrls(null);
  await carrier?.close();
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

  it("label makes the order's label and marks it shipped in Mijnwebwinkel (one PATCH with the track & trace); again shows that label", async () => {
    carrier = await startFakeCarrier({ accounts: [CARRIER_ACCOUNT] });
    configureCarrierBaseUrls({ staging: carrier.baseUrl, production: carrier.baseUrl });
    await saveFromAddress(rt.db, shopId, fromAddressFixture());
    const connected = await connectCarrier(labelDeps(rt), shopId, { carrier: "boekuwzending", environment: "staging", ...CARRIER_ACCOUNT });
    if (!connected.ok) throw new Error(connected.reason);
    // What `npm run koppel -- label` gets in its own process: workers. Here they join the test's runtime.
    await registerWorkers(rt.boss, rt, { pollingIntervalSeconds: 0.5 });

    const label = await captureCliJson(["label", "--platform", "mijnwebwinkel", "--shop", SHOP, "--order", "1007", "--json"]);
    expect(label.code, JSON.stringify(label.rows)).toBe(0);
    const printed = label.rows.at(-1)!;
    expect(printed).toMatchObject({ order: "1007", state: "created", writebackState: "done", joinedExisting: false, timedOut: false });
    const code = String(printed.trackingNumber);
    expect(String(printed.trackingUrl)).toContain(code);
    // Mijnwebwinkel: the order at Verzonden, the code and link appended to the internal comment, by one PATCH.
    const patches = mww.fake.patches.filter((p) => p.number === "1007" && p.status === 200);
    expect(patches).toHaveLength(1);
    expect(patches[0]!.body).toMatchObject({ status: STATUS.VERZONDEN, comments: { internal: expect.stringContaining(`track & trace ${code}: ${printed.trackingUrl}`) } });
    expect(mww.fake.order(1007)).toMatchObject({ status: STATUS.VERZONDEN });

    // Again: idempotent, the label that exists; no second shipment, no second PATCH.
    const again = await captureCliJson(["label", "--platform", "mijnwebwinkel", "--shop", SHOP, "--order", "1007", "--json"]);
    expect(again.code).toBe(0);
    expect(again.rows.at(-1)).toMatchObject({ joinedExisting: true, trackingNumber: code });
    expect(mww.fake.patches.filter((p) => p.number === "1007")).toHaveLength(1);

    const shipments = await captureCliJson(["shipments", "--platform", "mijnwebwinkel", "--shop", SHOP, "--json"]);
    expect(shipments.rows).toEqual([expect.objectContaining({ orderNumber: "1007", waybill: code, writtenBack: true, environment: "staging" })]);
    const list = await captureCliJson(["orders", "--platform", "mijnwebwinkel", "--shop", SHOP, "--json", "--all"]);
    expect(list.rows.find((r) => r.number === "1007")).toMatchObject({ status: "shipped" });
  });

  it("names the platform when the shop is not found", async () => {
    await expect(runCli(["orders", "--platform", "mijnwebwinkel", "--shop", "nope.myonline.store"])).rejects.toThrow(/No mijnwebwinkel shop nope\.myonline\.store/);
  });
});
