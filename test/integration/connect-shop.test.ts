// "Connect a shop" (app/core/connect-shop.ts): the install of a platform that connects by handshake or form stores its
// credentials encrypted with ENCRYPTION_KEY, and shopAccess gives them back to the adapter; nothing readable stays in
// the row. Real PostgreSQL.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { connectShop } from "../../app/core/connect-shop";
import { shopAccess } from "../../app/core/shop-access";
import { markUninstalled } from "../../app/core/privacy.server";
import { getShop } from "../../app/core/shops.server";
import { isEncryptedSecret } from "../../app/crypto.server";
import { activity, shops } from "../../app/db/schema";
import { runtime } from "./helpers";
import type { Runtime } from "../../app/runtime.server";

const DOMAIN = "winkel-van-sanne.ccvshop.nl";
const TOKEN = "ccv-secret-token-1f2e3d4c5b6a";
let rt: Runtime;
const deps = () => ({ db: rt.db, encryptionKey: rt.encryptionKey });

beforeAll(async () => {
  rt = await runtime();
});
afterAll(async () => {
  await rt.stop();
});

async function rowText(shopId: number): Promise<string> {
  const [row] = await rt.db.select().from(shops).where(eq(shops.id, shopId));
  return JSON.stringify(row);
}

describe("connect a shop", () => {
  it("stores the credentials as AES-256-GCM ciphertext only; shopAccess gives them back", async () => {
    const credentials = { apiPublic: "pub-7788", apiSecret: TOKEN };
    const r = await connectShop(deps(), { platform: "ccvshop", domain: DOMAIN, name: "Winkel van Sanne", credentials });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const shop = r.value;
    expect(shop).toMatchObject({ platform: "ccvshop", domain: DOMAIN, uninstalledAt: null });
    expect(isEncryptedSecret(shop.credentialsEncrypted!)).toBe(true);
    // Not the token, not its base64, not the public key: nothing readable anywhere in the row.
    const text = await rowText(shop.id);
    for (const secret of [TOKEN, Buffer.from(TOKEN).toString("base64"), "pub-7788"]) expect(text).not.toContain(secret);

    const access = shopAccess((await getShop(rt.db, shop.id))!, rt.encryptionKey);
    expect(access).toEqual({ shopId: shop.id, platform: "ccvshop", domain: DOMAIN, credentials });
    const log = await rt.db.select().from(activity).where(and(eq(activity.shopId, shop.id), eq(activity.kind, "install")));
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ result: "ok", summary: "install" });
    expect(JSON.stringify(log)).not.toContain(TOKEN);
  });

  it("a reconnect replaces the credentials and revives an uninstalled shop (its old cookies stay dead)", async () => {
    const first = await connectShop(deps(), { platform: "mijnwebwinkel", domain: "sanne-shop", credentials: { token: "old-token-aaaa" } });
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    await markUninstalled(rt.db, "mijnwebwinkel", "sanne-shop");
    const uninstalled = (await getShop(rt.db, first.value.id))!;
    expect(uninstalled.uninstalledAt).not.toBeNull();
    expect(uninstalled.credentialsEncrypted).toBeNull(); // the token died with the uninstall

    const again = await connectShop(deps(), { platform: "mijnwebwinkel", domain: "sanne-shop", credentials: { token: "new-token-bbbb" } });
    expect(again.ok).toBe(true);
    if (!again.ok) return;
    expect(again.value.id).toBe(first.value.id); // the same shop, not a second row
    expect(again.value.uninstalledAt).toBeNull();
    expect(again.value.sessionVersion).toBeGreaterThan(uninstalled.sessionVersion);
    expect(shopAccess(again.value, rt.encryptionKey).credentials).toEqual({ token: "new-token-bbbb" });
    const text = await rowText(again.value.id);
    expect(text).not.toContain("old-token-aaaa");
    expect(text).not.toContain("new-token-bbbb");
    const count = await rt.db.select().from(shops).where(and(eq(shops.platform, "mijnwebwinkel"), eq(shops.domain, "sanne-shop")));
    expect(count).toHaveLength(1);
  });

  it("an installed shop connected again: the same credentials keep its sessions, new ones bump the session version", async () => {
    const domain = "rotating.myonline.store";
    const first = await connectShop(deps(), { platform: "mijnwebwinkel", domain, credentials: { shopUrl: domain, apiToken: "token-one-1111" } });
    if (!first.ok) throw new Error(first.reason);
    const same = await connectShop(deps(), { platform: "mijnwebwinkel", domain, credentials: { shopUrl: domain, apiToken: "token-one-1111" } });
    if (!same.ok) throw new Error(same.reason);
    expect(same.value.sessionVersion).toBe(first.value.sessionVersion);
    const rotated = await connectShop(deps(), { platform: "mijnwebwinkel", domain, credentials: { shopUrl: domain, apiToken: "token-two-2222" } });
    if (!rotated.ok) throw new Error(rotated.reason);
    expect(rotated.value.id).toBe(first.value.id);
    expect(rotated.value.sessionVersion).toBe(first.value.sessionVersion + 1);
    expect(shopAccess(rotated.value, rt.encryptionKey).credentials).toEqual({ shopUrl: domain, apiToken: "token-two-2222" });
  });

  it("with another ENCRYPTION_KEY, shopAccess fails with a message that holds no secret", async () => {
    const r = await connectShop(deps(), { platform: "ccvshop", domain: "other.ccvshop.nl", credentials: { apiSecret: TOKEN } });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const shop = (await getShop(rt.db, r.value.id))!;
    const otherKey = randomBytes(32).toString("base64");
    let message = "";
    try {
      shopAccess(shop, otherKey);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/cannot be decrypted with this ENCRYPTION_KEY/);
    for (const secret of [TOKEN, otherKey, rt.encryptionKey, shop.credentialsEncrypted!]) expect(message).not.toContain(secret);
  });

  it("refuses an empty domain or missing credentials, and stores nothing", async () => {
    const before = (await rt.db.select().from(shops)).length;
    for (const domain of ["", "   "]) {
      const r = await connectShop(deps(), { platform: "ccvshop", domain, credentials: { apiSecret: TOKEN } });
      expect(r).toEqual({ ok: false, reason: expect.stringMatching(/domain/) });
    }
    const none = await connectShop(deps(), { platform: "ccvshop", domain: "x.ccvshop.nl", credentials: undefined });
    expect(none.ok).toBe(false);
    expect((await rt.db.select().from(shops)).length).toBe(before);
  });
});
