// The activity log: newest first, keyset pages without gaps or overlap, one shop only.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listActivity, logActivity } from "../../app/core/activity.server";
import { installShop } from "../../app/core/shops.server";
import { runtime } from "./helpers";
import type { Runtime } from "../../app/runtime.server";

let rt: Runtime;
beforeAll(async () => {
  rt = await runtime();
});
afterAll(async () => {
  await rt.stop();
});

describe("activity log", () => {
  it("pages newest first through every entry of the shop, and none of another shop", async () => {
    const a = await installShop(rt.db, "shopify", "activity-a.myshopify.com");
    const b = await installShop(rt.db, "shopify", "activity-b.myshopify.com");
    for (let i = 0; i < 120; i++) {
      await logActivity(rt.db, { shopId: a.id, kind: "import", source: "webhook", result: "ok", summary: "import.imported", orderNumber: `#${1000 + i}` });
      if (i % 10 === 0) await logActivity(rt.db, { shopId: b.id, kind: "import", source: "webhook", result: "ok", summary: "import.imported", orderNumber: `#B${i}` });
    }
    const seen: string[] = [];
    let beforeId: number | undefined;
    const sizes: number[] = [];
    for (;;) {
      const page = await listActivity(rt.db, a.id, { limit: 50, beforeId });
      sizes.push(page.length);
      seen.push(...page.map((e) => e.orderNumber!));
      if (page.length < 50) break;
      beforeId = page.at(-1)!.id;
    }
    expect(sizes).toEqual([50, 50, 20]);
    expect(seen).toEqual(Array.from({ length: 120 }, (_, i) => `#${1119 - i}`));
    expect(seen.some((n) => n.startsWith("#B"))).toBe(false);
  });
});
