import { describe, expect, it } from "vitest";
import { fromAddressSchema, normalisePostcode, parseFromAddress } from "~/core/from-address";

const valid = {
  company: "Koppel Demo BV",
  contactName: "Sanne de Vries",
  street: "Keizersgracht",
  houseNumber: "12",
  houseNumberAddition: "",
  postcode: "1015 CJ",
  city: "Amsterdam",
  country: "NL",
  phone: "+31 20 123 4567",
  email: "Info@Koppel.example",
};

describe("fromAddressSchema", () => {
  it("accepts a valid Dutch address and normalises it", () => {
    const r = fromAddressSchema("nl").safeParse(valid);
    expect(r.success).toBe(true);
    expect(r.data).toEqual({
      company: "Koppel Demo BV",
      contactName: "Sanne de Vries",
      street: "Keizersgracht",
      houseNumber: "12",
      postcode: "1015 CJ",
      city: "Amsterdam",
      country: "NL",
      phone: "+31 20 123 4567",
      email: "info@koppel.example",
    });
  });

  it("gives exactly one Dutch message, on the postcode field, for a bad NL postcode", () => {
    const r = fromAddressSchema("nl").safeParse({ ...valid, postcode: "12345" });
    expect(r.success).toBe(false);
    const issues = r.error!.issues;
    expect(issues).toHaveLength(1);
    expect(issues[0]!.path).toEqual(["postcode"]);
    expect(issues[0]!.message).toBe("Vul een geldige Nederlandse postcode in, zoals 1234 AB");
  });

  it("reports the postcode even when other fields are wrong too, still one message per field", () => {
    const r = parseFromAddress("nl", { ...valid, postcode: "AB 1234", city: "" });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.postcode).toBe("Vul een geldige Nederlandse postcode in, zoals 1234 AB");
    expect(r.errors.city).toBe("Vul de plaats in");
    expect(Object.keys(r.errors).sort()).toEqual(["city", "postcode"]);
  });

  it('normalises "1234ab" to "1234 AB"', () => {
    const r = fromAddressSchema("nl").safeParse({ ...valid, postcode: "1234ab" });
    expect(r.success).toBe(true);
    expect(r.data!.postcode).toBe("1234 AB");
    expect(normalisePostcode("NL", " 1234  ab ")).toBe("1234 AB");
  });

  it("accepts a Belgian 4-digit postcode and rejects 5 digits", () => {
    const be = { ...valid, country: "BE", postcode: "1000", city: "Brussel" };
    expect(fromAddressSchema("nl").safeParse(be).success).toBe(true);
    const bad = fromAddressSchema("nl").safeParse({ ...be, postcode: "10000" });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => i.path.join("."))).toEqual(["postcode"]);
  });

  it("checks 5 digits for DE/FR/ES/IT", () => {
    expect(fromAddressSchema("nl").safeParse({ ...valid, country: "DE", postcode: "10115" }).success).toBe(true);
    expect(fromAddressSchema("nl").safeParse({ ...valid, country: "FR", postcode: "7500" }).success).toBe(false);
  });

  it("rejects an unknown country", () => {
    const r = parseFromAddress("nl", { ...valid, country: "XX" });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.country).toBe("Kies een land uit de lijst");
    expect(r.errors.postcode).toBeUndefined();
  });

  it("keeps a house number addition and rejects a house number with letters", () => {
    const ok = fromAddressSchema("nl").safeParse({ ...valid, houseNumberAddition: "bis" });
    expect(ok.data?.houseNumberAddition).toBe("bis");
    const r = parseFromAddress("nl", { ...valid, houseNumber: "12A" });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.houseNumber).toBe("Vul een huisnummer in met alleen cijfers, zoals 12");
  });

  it("speaks English for the English locale", () => {
    const r = fromAddressSchema("en").safeParse({ ...valid, postcode: "1234" });
    expect(r.success).toBe(false);
    expect(r.error!.issues).toHaveLength(1);
    expect(r.error!.issues[0]!.path).toEqual(["postcode"]);
    expect(r.error!.issues[0]!.message).toBe("Enter a valid Dutch postcode, such as 1234 AB");
  });

  it("requires company and a valid e-mail", () => {
    const r = parseFromAddress("nl", { ...valid, company: "  ", email: "nope" });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.company).toBe("Vul de bedrijfsnaam in");
    expect(r.errors.email).toMatch(/geldig e-mailadres/);
  });
});
