// The operator CLI against real PostgreSQL: same use cases as the app, --json prints one object per line.
import { captureCli } from "./support/cli";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../app/cli/cli";
import { installShop } from "../../app/core/shops.server";
import { importOrder } from "../../app/core/import-order.server";
import { createShopifyPlatform } from "../../app/platforms/shopify/adapter.server";
import { FakeShopify, dutchOrder, orderWebhookPayload } from "../fakes/shopify";
import { runtime } from "./helpers";
import type { Runtime } from "../../app/runtime.server";

const SHOP = "cli-test.myshopify.com";
let rt: Runtime;

beforeAll(async () => {
  rt = await runtime();
  const shop = await installShop(rt.db, "shopify", SHOP);
  const fake = new FakeShopify();
  fake.addShop(SHOP);
  const platform = createShopifyPlatform({ transport: async () => ({ status: 500, headers: new Headers(), body: null }) });
  for (const status of ["PAID", "PAID", "PENDING"] as const) {
    const parsed = platform.parseOrderWebhook(orderWebhookPayload(fake.upsertOrder(SHOP, dutchOrder({ financialStatus: status }))));
    if (!parsed.ok) throw new Error(parsed.reason);
    await importOrder(rt.db, { shopId: shop.id, paidStatuses: ["paid"], order: parsed.value, source: "webhook" });
  }
});
afterAll(async () => {
  await rt.stop();
});

describe("npm run koppel", () => {
  it("shops --json prints one object per shop", async () => {
    const { code, lines } = await captureCli(["shops", "--json"]);
    expect(code).toBe(0);
    const rows = lines.map((l) => JSON.parse(l));
    expect(rows).toEqual([expect.objectContaining({ domain: SHOP, platform: "shopify", orders: 2, fromAddressSet: false })]);
  });

  it("orders --shop lists the orders to ship", async () => {
    const { code, lines } = await captureCli(["orders", "--shop", SHOP, "--json"]);
    expect(code).toBe(0);
    const rows = lines.map((l) => JSON.parse(l));
    expect(rows).toHaveLength(2);
    expect(rows.every((r) => r.status === "to_ship" && /^#\d+$/.test(r.number))).toBe(true);
  });

  it("refuses an unknown shop with a clear message", async () => {
    await expect(runCli(["orders", "--shop", "nope.myshopify.com"])).rejects.toThrow(/No shopify shop nope\.myshopify\.com/);
  });

  it("jobs --json lists pg-boss jobs; --failed only those that failed for good", async () => {
    const pending = await rt.boss.send("process-delivery", { deliveryId: 999998 }, { startAfter: 3600 });
    const doomed = await rt.boss.send("process-delivery", { deliveryId: 999999 }, { retryLimit: 0 });
    const [job] = await rt.boss.fetch("process-delivery");
    expect(job!.id).toBe(doomed);
    await rt.boss.fail("process-delivery", job!.id, { message: "boom" });

    const all = (await captureCli(["jobs", "--json"])).lines.map((l) => JSON.parse(l));
    expect(all.find((j) => j.id === pending)).toMatchObject({ queue: "process-delivery", state: "created" });
    expect(all.find((j) => j.id === doomed)).toMatchObject({ state: "failed" });

    const failed = (await captureCli(["jobs", "--failed", "--json"])).lines.map((l) => JSON.parse(l));
    expect(failed.map((j) => j.id)).toEqual([doomed]);
    expect(failed[0].output).toMatchObject({ message: "boom" });
  });
});
