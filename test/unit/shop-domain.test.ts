import { describe, expect, it } from "vitest";
import { isShopifyShopDomain } from "../../app/platforms/shopify/shop-domain";

describe("isShopifyShopDomain", () => {
  it("accepts {handle}.myshopify.com with lower-case letters, digits and hyphens", () => {
    for (const d of ["koppel-demo.myshopify.com", "a.myshopify.com", "shop123.myshopify.com", `${"a".repeat(63)}.myshopify.com`]) {
      expect(isShopifyShopDomain(d), d).toBe(true);
    }
  });
  it("refuses anything else", () => {
    for (const d of [
      "",
      "evil.example.com",
      "myshopify.com",
      ".myshopify.com",
      "-shop.myshopify.com",
      "Shop.myshopify.com",
      "my_shop.myshopify.com",
      "shop.myshopify.com.evil.com",
      "shop.myshopify.com/",
      "shop.myshopify.com:443",
      "a.b.myshopify.com",
      "shop.shopify.com",
      "shop.myshopify.io",
      "shop.myshopify.com\n",
      `${"a".repeat(64)}.myshopify.com`,
      `${"a".repeat(8192)}.myshopify.com`,
    ]) {
      expect(isShopifyShopDomain(d), JSON.stringify(d.slice(0, 40))).toBe(false);
    }
  });
});
