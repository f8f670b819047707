// Shipping rules (issue 13): a table of orders × rules → the service, format and colli chosen. First enabled match
// wins, disabled rules are skipped, the default (the connection's service and format, one label) catches the rest.
import { describe, expect, it } from "vitest";
import { chooseShipment, colliFor, ruleWeightGrams } from "../../app/core/rules/choose";
import { RuleInput, type RuleDraft, type RuleDefaults, type RuleOrder, type ShippingRule } from "../../app/core/rules/rule";

const DEFAULTS: RuleDefaults = { service: "postnl-standard", packageType: "package", defaultItemWeightGrams: 250 };

let nextId = 1;
function rule(input: Partial<RuleDraft> & Pick<RuleDraft, "action">, position = nextId): ShippingRule {
  const parsed = RuleInput.parse({ name: `rule ${nextId}`, ...input });
  return { id: nextId++, position, ...parsed };
}

function order(o: Partial<RuleOrder> = {}): RuleOrder {
  return { country: "NL", weightGrams: 1000, itemCount: 1, totalPrice: "25.00", tags: [], lines: [{ sku: "MOK-01" }], shippingMethod: "Standaard verzending", ...o };
}

const pickup = rule({ name: "Afhalen", conditions: { shippingMethodContains: "afhalen" }, action: { kind: "skip" } });
const express = rule({ name: "Express", conditions: { tags: ["Express"] }, action: { kind: "label", service: "dhl-parcel", colli: { mode: "fixed", count: 1 } } });
const glass = rule({ name: "Glas", conditions: { skuContains: "glas" }, action: { kind: "label", service: "dhl-parcel", packageType: "package" } });
const mailbox = rule({
  name: "NL licht",
  conditions: { countries: ["NL"], weightMaxGrams: 2000 },
  action: { kind: "label", service: "postnl-mailbox", packageType: "envelop", colli: { mode: "fixed", count: 1 } },
});
const heavy = rule({ name: "Zwaar", conditions: { weightMinGrams: 10_001 }, action: { kind: "label", colli: { mode: "perKg", kg: 10 } } });
const belgium = rule({ name: "België", conditions: { countries: ["BE"] }, action: { kind: "label", service: "dpd-classic" } });
const disabled = rule({ name: "Uit", enabled: false, conditions: {}, action: { kind: "label", service: "never" } }, 0);
const bigOrder = rule({ name: "Groot", conditions: { itemsMin: 5, totalMin: 100 }, action: { kind: "label", colli: { mode: "fixed", count: 2 } } });
// Positions follow creation order: pickup, express, glass, mailbox, heavy, belgium, bigOrder (disabled at 0).
const RULES = [disabled, pickup, express, glass, mailbox, heavy, belgium, bigOrder];

describe("orders × rules", () => {
  const table: { name: string; order: RuleOrder; expected: { kind: "label"; service: string; packageType: string; colli: number; rule: string | null } | { kind: "skip"; rule: string } }[] = [
    { name: "300 g to NL → mailbox", order: order({ weightGrams: 300 }), expected: { kind: "label", service: "postnl-mailbox", packageType: "envelop", colli: 1, rule: "NL licht" } },
    { name: "exactly 2 kg to NL → mailbox (inclusive)", order: order({ weightGrams: 2000 }), expected: { kind: "label", service: "postnl-mailbox", packageType: "envelop", colli: 1, rule: "NL licht" } },
    { name: "3 kg to NL → default", order: order({ weightGrams: 3000 }), expected: { kind: "label", service: "postnl-standard", packageType: "package", colli: 1, rule: null } },
    { name: "12 kg → two boxes (one per started 10 kg)", order: order({ weightGrams: 12_000 }), expected: { kind: "label", service: "postnl-standard", packageType: "package", colli: 2, rule: "Zwaar" } },
    { name: "35 kg → four boxes", order: order({ weightGrams: 35_000, country: "BE" }), expected: { kind: "label", service: "postnl-standard", packageType: "package", colli: 4, rule: "Zwaar" } },
    { name: "Belgium 3 kg → DPD", order: order({ country: "BE", weightGrams: 3000 }), expected: { kind: "label", service: "dpd-classic", packageType: "package", colli: 1, rule: "België" } },
    { name: "Belgium 300 g → DPD (mailbox is NL only)", order: order({ country: "be", weightGrams: 300 }), expected: { kind: "label", service: "dpd-classic", packageType: "package", colli: 1, rule: "België" } },
    { name: "tag express (other case) wins over mailbox: earlier rule", order: order({ weightGrams: 300, tags: ["express"] }), expected: { kind: "label", service: "dhl-parcel", packageType: "package", colli: 1, rule: "Express" } },
    { name: "pick-up → no label, before everything", order: order({ shippingMethod: "Afhalen in de winkel", tags: ["express"] }), expected: { kind: "skip", rule: "Afhalen" } },
    { name: "SKU contains glas", order: order({ weightGrams: 500, lines: [{ sku: "MOK-01" }, { sku: "WIJNGLAS-6" }] }), expected: { kind: "label", service: "dhl-parcel", packageType: "package", colli: 1, rule: "Glas" } },
    { name: "no weight: items × default item weight (4 × 250 g → mailbox)", order: order({ weightGrams: 0, itemCount: 4 }), expected: { kind: "label", service: "postnl-mailbox", packageType: "envelop", colli: 1, rule: "NL licht" } },
    { name: "no weight, 12 items × 250 g = 3 kg → default", order: order({ weightGrams: 0, itemCount: 12 }), expected: { kind: "label", service: "postnl-standard", packageType: "package", colli: 1, rule: null } },
    { name: "many items and high total, outside NL light → Groot", order: order({ country: "DE", weightGrams: 4000, itemCount: 6, totalPrice: "150.00" }), expected: { kind: "label", service: "postnl-standard", packageType: "package", colli: 2, rule: "Groot" } },
    { name: "many items but low total → default", order: order({ country: "DE", weightGrams: 4000, itemCount: 6, totalPrice: "50.00" }), expected: { kind: "label", service: "postnl-standard", packageType: "package", colli: 1, rule: null } },
    { name: "no total → a total condition does not match", order: order({ country: "DE", weightGrams: 4000, itemCount: 6, totalPrice: null }), expected: { kind: "label", service: "postnl-standard", packageType: "package", colli: 1, rule: null } },
    { name: "no address → country rules do not match", order: order({ country: null, weightGrams: 300 }), expected: { kind: "label", service: "postnl-standard", packageType: "package", colli: 1, rule: null } },
  ];
  for (const row of table) {
    it(row.name, () => {
      const got = chooseShipment(RULES, row.order, DEFAULTS);
      if (row.expected.kind === "skip") expect(got).toMatchObject({ kind: "skip", rule: { name: row.expected.rule } });
      else {
        const { rule: name, ...rest } = row.expected;
        expect(got).toMatchObject(rest);
        expect(got.rule?.name ?? null).toBe(name);
      }
    });
  }

  it("first match wins by position, not by list order", () => {
    const a = rule({ name: "A", conditions: {}, action: { kind: "label", service: "a" } }, 5);
    const b = rule({ name: "B", conditions: {}, action: { kind: "label", service: "b" } }, 1);
    expect(chooseShipment([a, b], order(), DEFAULTS)).toMatchObject({ service: "b", rule: { name: "B" } });
  });

  it("a disabled rule is skipped, even when it is first and matches everything", () => {
    expect(chooseShipment([disabled], order(), DEFAULTS)).toMatchObject({ service: "postnl-standard", rule: null });
  });

  it("no rules → today's defaults, one label", () => {
    expect(chooseShipment([], order({ weightGrams: 9000 }), DEFAULTS)).toEqual({ kind: "label", service: "postnl-standard", packageType: "package", colli: 1, weightGrams: 9000, dimensions: null, rule: null });
  });
});

describe("pieces", () => {
  it("colli per N kg: started kilos, at least 1, at most 10", () => {
    expect(colliFor({ mode: "perKg", kg: 10 }, 0)).toBe(1);
    expect(colliFor({ mode: "perKg", kg: 10 }, 10_000)).toBe(1);
    expect(colliFor({ mode: "perKg", kg: 10 }, 10_001)).toBe(2);
    expect(colliFor({ mode: "perKg", kg: 5 }, 200_000)).toBe(10);
    expect(colliFor({ mode: "fixed", count: 3 }, 0)).toBe(3);
  });
  it("weight: the order's, else items × default", () => {
    expect(ruleWeightGrams({ weightGrams: 700, itemCount: 3 }, DEFAULTS)).toBe(700);
    expect(ruleWeightGrams({ weightGrams: 0, itemCount: 3 }, DEFAULTS)).toBe(750);
    expect(ruleWeightGrams({ weightGrams: 0, itemCount: 3 }, { defaultItemWeightGrams: 0 })).toBe(0);
  });
  it("a rule is checked on the way in: bad countries, colli and formats are refused", () => {
    expect(RuleInput.safeParse({ name: "x", conditions: { countries: ["Nederland"] }, action: { kind: "skip" } }).success).toBe(false);
    expect(RuleInput.safeParse({ name: "x", action: { kind: "label", colli: { mode: "fixed", count: 11 } } }).success).toBe(false);
    expect(RuleInput.safeParse({ name: "x", action: { kind: "label", packageType: "doos" } }).success).toBe(false);
    expect(RuleInput.safeParse({ name: "", action: { kind: "skip" } }).success).toBe(false);
    expect(RuleInput.parse({ name: "x", conditions: { countries: ["nl"] }, action: { kind: "label" } })).toMatchObject({ conditions: { countries: ["NL"] }, action: { colli: { mode: "fixed", count: 1 } } });
  });
});

describe("dimensions", () => {
  it("a rule's parcel size goes with its choice; all three or none", () => {
    const boxed = rule({ name: "Doos", action: { kind: "label", dimensions: { lengthCm: 30, widthCm: 20, heightCm: 10 } } });
    expect(chooseShipment([boxed], order(), DEFAULTS)).toMatchObject({ dimensions: { lengthCm: 30, widthCm: 20, heightCm: 10 } });
    expect(chooseShipment([], order(), DEFAULTS)).toMatchObject({ dimensions: null });
    expect(RuleInput.safeParse({ name: "x", action: { kind: "label", dimensions: { lengthCm: 30, widthCm: 20 } } }).success).toBe(false);
  });
});
