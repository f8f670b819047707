// The operator CLI for a CCV shop: `--platform ccvshop --shop <host>` finds the shop by its api_root's host and runs
// the same use cases (sync through the real adapter against the fake CCV Shop).
import { captureCliJson } from "./support/cli";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../app/cli/cli";
import { connectShop } from "../../app/core/connect-shop";
import { startFakeCcvShop, type RunningFakeCcvShop } from "../fakes/ccvshop";
import { runtime } from "./helpers";
import type { Runtime } from "../../app/runtime.server";

let rt: Runtime;
let ccv: RunningFakeCcvShop;

beforeAll(async () => {
  rt = await runtime();
  ccv = await startFakeCcvShop({ seed: "demo" });
  const connected = await connectShop(rt, {
    platform: "ccvshop",
    domain: ccv.host,
    credentials: { apiPublic: ccv.apiPublic, apiSecret: ccv.apiSecret, apiRoot: ccv.apiRoot, returnUrl: null, language: "nl" },
  });
  if (!connected.ok) throw new Error(connected.reason);
});
afterAll(async () => {
  await ccv?.close();
  await rt?.stop();
});

describe("npm run koppel -- --platform ccvshop", () => {
  it("sync imports the shop's paid, completed, open orders; orders and shipments list them by the shop's host", async () => {
    const sync = await captureCliJson(["sync", "--platform", "ccvshop", "--shop", ccv.host, "--json"]);
    expect(sync.code).toBe(0);
    const expected = ccv.fake
      .orders()
      .filter((o) => o.paid && o.is_completed && o.status !== null && ![5, 6, 7, 8].includes(o.status) && o.deliver_method !== "pickup")
      .map((o) => o.ordernumber_full)
      .sort();
    expect(expected.length).toBeGreaterThan(5);
    const list = await captureCliJson(["orders", "--platform", "ccvshop", "--shop", ccv.host, "--json"]);
    expect(list.code).toBe(0);
    expect(list.rows.map((r) => r.number).sort()).toEqual(expected);
    expect(list.rows.every((r) => r.status === "to_ship")).toBe(true);
    const shipments = await captureCliJson(["shipments", "--platform", "ccvshop", "--shop", ccv.host, "--json"]);
    expect(shipments).toEqual({ code: 0, rows: [] });
  });

  it("names the platform when the shop is not found", async () => {
    await expect(runCli(["orders", "--platform", "ccvshop", "--shop", "nope.ccvshop.nl"])).rejects.toThrow(/No ccvshop shop nope\.ccvshop\.nl/);
  });
});
