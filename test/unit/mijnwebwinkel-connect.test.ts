// The Mijnwebwinkel connect form's parsing (app/platforms/mijnwebwinkel/connect.server.ts): Shop-URL and API token with
// one reason per field in the merchant's language, the from address by the setup step's rules, and the token compare.
import { describe, expect, it } from "vitest";
import { parseConnectForm, parseShopFields, sameToken } from "../../app/platforms/mijnwebwinkel/connect.server";

const ADDRESS = {
  company: "Koffie & Co",
  contactName: "Sanne de Vries",
  street: "Oudegracht",
  houseNumber: "112",
  postcode: "3511ax",
  city: "Utrecht",
  country: "NL",
  phone: "+31 30 123 4567",
  email: "Info@Koffie.example",
};

describe("Mijnwebwinkel connect form", () => {
  it("takes the Shop-URL with or without https:// and a slash, in any case; the token trimmed", () => {
    for (const shopUrl of ["koffie.myonline.store", "https://Koffie.myonline.store/", " http://koffie.myonline.store "]) {
      expect(parseShopFields("nl", { shopUrl, apiToken: "  tok-123  " })).toEqual({ ok: true, shopUrl: "koffie.myonline.store", apiToken: "tok-123" });
    }
  });

  it("refuses another host, an empty or spaced token — one reason per field, Dutch or English", () => {
    expect(parseShopFields("nl", { shopUrl: "koffie.nl", apiToken: "" })).toEqual({
      ok: false,
      errors: { shopUrl: "Vul de Shop-URL in zoals jouwwinkel.myonline.store.", apiToken: "Vul het API-token in (zonder spaties, hoogstens 200 tekens)." },
    });
    expect(parseShopFields("en", { shopUrl: "https://evil.example/koffie.myonline.store", apiToken: "a b" })).toEqual({
      ok: false,
      errors: { shopUrl: "Enter the Shop-URL like yourshop.myonline.store.", apiToken: "Enter the API token (no spaces, at most 200 characters)." },
    });
    expect(parseShopFields("nl", { apiToken: "x".repeat(201), shopUrl: "a.myonline.store" })).toMatchObject({ ok: false, errors: { apiToken: expect.any(String) } });
    expect(parseShopFields("nl", {})).toMatchObject({ ok: false, errors: { shopUrl: expect.any(String), apiToken: expect.any(String) } });
  });

  it("the whole form: the from address normalised as the setup step does; every field's reason at once; the token never in the values", () => {
    const ok = parseConnectForm("nl", { ...ADDRESS, shopUrl: "koffie.myonline.store", apiToken: "tok" });
    expect(ok).toMatchObject({ ok: true, shopUrl: "koffie.myonline.store", apiToken: "tok", address: { postcode: "3511 AX", email: "info@koffie.example" } });
    const bad = parseConnectForm("nl", { ...ADDRESS, postcode: "", shopUrl: "koffie", apiToken: "secret-token" });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(Object.keys(bad.errors).sort()).toEqual(["postcode", "shopUrl"]);
    expect(bad.values.shopUrl).toBe("koffie");
    expect(JSON.stringify(bad.values)).not.toContain("secret-token");
  });

  it("compares tokens exactly, whatever their lengths", () => {
    expect(sameToken("abc", "abc")).toBe(true);
    expect(sameToken("abc", "abd")).toBe(false);
    expect(sameToken("abc", "abcd")).toBe(false);
    expect(sameToken("", "")).toBe(true);
  });
});
