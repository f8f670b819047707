// The label dialog's per-group overrides with a parcel size (issue 13 item 4: "a rule or the dialog can set
// dimensions"): the form field as the routes read it, the dialog's three size fields as Koppel checks them, and the
// final options an override makes of the rule's choice (empty size = as the rule says).
import { describe, expect, it } from "vitest";
import { dimensionsFromFields, readGroupOverrides } from "../../app/core/rules/overrides";
import { finalOptions } from "../../app/core/rules/plan.server";
import type { RuleChoice } from "../../app/core/rules/rule";

const base = { service: null, packageType: null, colli: null };
const json = (v: unknown) => JSON.stringify(v);

describe("readGroupOverrides", () => {
  it("absent or empty: no overrides", () => {
    expect(readGroupOverrides(null)).toEqual({ ok: true, overrides: {} });
    expect(readGroupOverrides("")).toEqual({ ok: true, overrides: {} });
  });

  it("takes a size per group, or none (absent or null = as the rule says)", () => {
    const size = { lengthCm: 40, widthCm: 30, heightCm: 20 };
    expect(readGroupOverrides(json({ "postnl-standard": { ...base, dimensions: size }, "dpd-classic": { ...base, dimensions: null }, skip: base }))).toEqual({
      ok: true,
      overrides: { "postnl-standard": { ...base, dimensions: size }, "dpd-classic": { ...base, dimensions: null }, skip: base },
    });
    expect(readGroupOverrides(json({ g: { ...base, dimensions: { lengthCm: 1, widthCm: 1000, heightCm: 1 } } })).ok).toBe(true);
  });

  it("a size outside whole 1–1000 cm, or not all three, is refused as bad_dimensions naming the group", () => {
    for (const dimensions of [
      { lengthCm: 0, widthCm: 30, heightCm: 20 },
      { lengthCm: 1001, widthCm: 30, heightCm: 20 },
      { lengthCm: 40.5, widthCm: 30, heightCm: 20 },
      { lengthCm: "40", widthCm: 30, heightCm: 20 },
      { lengthCm: -1, widthCm: 30, heightCm: 20 },
      { lengthCm: 40, widthCm: 30 },
      { lengthCm: 40, widthCm: 30, heightCm: null },
      "40x30x20",
    ]) {
      expect(readGroupOverrides(json({ "postnl-standard": { ...base, dimensions } })), JSON.stringify(dimensions)).toEqual({ ok: false, reason: "bad_dimensions", group: "postnl-standard" });
    }
  });

  it("anything else unreadable stays 'invalid' (also when the size is bad too)", () => {
    expect(readGroupOverrides("{bad")).toEqual({ ok: false, reason: "invalid" });
    expect(readGroupOverrides(json({ g: { ...base, colli: 11 } }))).toEqual({ ok: false, reason: "invalid" });
    expect(readGroupOverrides(json({ g: { ...base, colli: 11, dimensions: { lengthCm: 0, widthCm: 1, heightCm: 1 } } }))).toEqual({ ok: false, reason: "invalid" });
    expect(readGroupOverrides(json({ g: { service: null, packageType: null } }))).toEqual({ ok: false, reason: "invalid" });
    expect(readGroupOverrides(json([1]))).toEqual({ ok: false, reason: "invalid" });
  });
});

describe("the dialog's size fields", () => {
  const f = (lengthCm: string, widthCm: string, heightCm: string) => dimensionsFromFields({ lengthCm, widthCm, heightCm });

  it("all three empty: as the rule says; all three whole cm: that size", () => {
    expect(f("", " ", "")).toEqual({ ok: true, dimensions: null });
    expect(f("40", " 30 ", "20")).toEqual({ ok: true, dimensions: { lengthCm: 40, widthCm: 30, heightCm: 20 } });
    expect(f("1", "1000", "0010")).toEqual({ ok: true, dimensions: { lengthCm: 1, widthCm: 1000, heightCm: 10 } });
  });

  it("says per field what is wrong: not whole cm 1–1000, or missing while another is filled in", () => {
    expect(f("40", "", "")).toEqual({ ok: false, errors: { widthCm: "missing", heightCm: "missing" } });
    for (const bad of ["0", "1001", "40,5", "40.5", "1e2", "-3", "40 cm", "veertig", "99999"]) {
      expect(f(bad, "30", "20"), bad).toEqual({ ok: false, errors: { lengthCm: "number" } });
    }
    expect(f("0", "", "20")).toEqual({ ok: false, errors: { lengthCm: "number", widthCm: "missing" } });
  });
});

describe("finalOptions with a size", () => {
  const defaults = { service: "postnl-standard", packageType: "package" as const };
  const ruled: RuleChoice = { kind: "label", service: "dpd-classic", packageType: "package", colli: 2, weightGrams: 3000, dimensions: { lengthCm: 40, widthCm: 30, heightCm: 20 }, rule: { id: 1, name: "België" } };
  const plain: RuleChoice = { ...ruled, dimensions: null, rule: null };
  const skip: RuleChoice = { kind: "skip", weightGrams: 300, rule: { id: 2, name: "Afhalen" } };
  const size = { lengthCm: 60, widthCm: 40, heightCm: 40 };

  it("the dialog's size replaces the rule's; empty keeps the rule's", () => {
    expect(finalOptions(ruled, { ...base, dimensions: size }, defaults)).toEqual({ service: "dpd-classic", packageType: "package", colli: 2, dimensions: size });
    expect(finalOptions(plain, { ...base, dimensions: size }, defaults)).toMatchObject({ dimensions: size });
    expect(finalOptions(ruled, { ...base, dimensions: null }, defaults)).toMatchObject({ dimensions: ruled.dimensions });
    expect(finalOptions(ruled, { ...base, colli: 1 }, defaults)).toEqual({ service: "dpd-classic", packageType: "package", colli: 1, dimensions: ruled.dimensions });
    expect(finalOptions(ruled, undefined, defaults)).toMatchObject({ dimensions: ruled.dimensions });
  });

  it("a 'no label' group labelled anyway takes the dialog's size", () => {
    expect(finalOptions(skip, { ...base, dimensions: size }, defaults)).toEqual({ service: "postnl-standard", packageType: "package", colli: 1, dimensions: size });
    expect(finalOptions(skip, base, defaults)).toMatchObject({ dimensions: null });
  });
});
