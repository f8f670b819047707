// Generated hostile order webhooks for the fuzz test: a seeded PRNG (mulberry32), so a failing seed reproduces
// (KOPPEL_FUZZ_SEED=<seed>). Each case says what Shopify's sender would be owed: 413 over the body limit (checked
// before the signature), 401 for a bad signature, else 200 — whatever the body holds (a body that does not parse, or
// an order that does not validate, is kept with its reason and answered 200).
import { FakeShopify, dutchOrder, orderWebhookPayload, webhookHmac, type FakeOrder, type OrderInput } from "../../fakes/shopify";
import { signedDelivery, type Delivery } from "./webhooks";

export const BODY_LIMIT = 5 * 1024 * 1024;
const ORDER_TOPICS = ["orders/create", "orders/paid", "orders/updated", "orders/cancelled", "orders/fulfilled"] as const;

export type Rng = {
  next(): number;
  int(lo: number, hi: number): number;
  pick<T>(xs: readonly T[]): T;
  chance(p: number): boolean;
};

export function rng(seed: number): Rng {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (xs) => xs[Math.floor(next() * xs.length)]!,
    chance: (p) => next() < p,
  };
}

/** A JSON number written exactly as given (ids above 2^53, 1e308): JSON.stringify cannot write these. */
class RawNumber {
  constructor(readonly text: string) {}
}

/** JSON text of `v`, with RawNumber literals as written. */
export function toJson(v: unknown): string {
  if (v instanceof RawNumber) return v.text;
  if (Array.isArray(v)) return `[${v.map(toJson).join(",")}]`;
  if (v && typeof v === "object") return `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}:${toJson(x)}`).join(",")}}`;
  return JSON.stringify(v) ?? "null";
}

const HOSTILE_STRINGS = [
  "Jan\u0000de Vries",
  "\u0000",
  "lone \ud800 high",
  "lone \udfff low",
  "\udc00\ud800 reversed pair",
  "ctrl \u0001\u0002\u001b[31m\u007f",
  "\u202eshr\u200bev\ufeff",
  "📦 Pakketje 𝒦𝑜𝓅𝓅𝑒𝓁",
  "<script>alert(1)</script><img src=x onerror=alert(1)>",
  "'; drop table orders; --",
  "${7*7} {{7*7}} %s%s%n",
  "\\u0000 \\ud800 (escaped text, not characters)",
  "",
  " ",
];

const HUGE_NUMBERS = [
  "820982911946154508", // Shopify's own test notification: above 2^53
  "9007199254740993",
  "18446744073709551616",
  "1e308",
  "-1e308",
  "1e400",
  "3000000000",
  "-1",
  "0",
  "-0",
  "1.5",
  "2147483648",
  "123456789012345678901234567890",
];

function hostileString(r: Rng): string {
  if (r.chance(0.25)) {
    // a long string (within the body limit): random letters, so compression does not shrink it
    const n = r.pick([3_000, 10_000, 100_000, 1_000_000]);
    let s = "";
    while (s.length < n) s += Math.floor(r.next() * 1e16).toString(36);
    return s.slice(0, n);
  }
  const base = r.pick(HOSTILE_STRINGS);
  return r.chance(0.5) ? `${r.pick(["Sanne", "Utrecht", "#1001", "a@b.nl"])} ${base}` : base;
}

function randomValue(r: Rng, depth = 0): unknown {
  const k = r.int(0, depth > 4 ? 5 : 8);
  switch (k) {
    case 0:
      return null;
    case 1:
      return r.chance(0.5);
    case 2:
      return new RawNumber(r.pick(HUGE_NUMBERS));
    case 3:
      return r.int(-1000, 1000);
    case 4:
    case 5:
      return r.chance(0.5) ? hostileString(r) : r.pick(["paid", "PAID", "pending", "2026-13-45T99:99:99Z", "NL", "EUR", "gid://shopify/Order/x"]);
    case 6:
    case 7:
      return Array.from({ length: r.int(0, 4) }, () => randomValue(r, depth + 1));
    default: {
      const o: Record<string, unknown> = {};
      // defineProperty: a plain assignment to "__proto__" would set the prototype instead of writing the key
      for (let i = r.int(0, 5); i > 0; i--) {
        const key = r.pick(["id", "name", "line_items", "customer", "quantity", "__proto__", "constructor", "x"]);
        Object.defineProperty(o, key, { value: randomValue(r, depth + 1), enumerable: true, writable: true, configurable: true });
      }
      return o;
    }
  }
}

type Node = { parent: Record<string, unknown> | unknown[]; key: string | number };

/** Every (container, key) in a payload, for mutations at random places. */
function nodesOf(v: unknown, out: Node[] = []): Node[] {
  if (Array.isArray(v)) {
    v.forEach((x, i) => {
      out.push({ parent: v, key: i });
      nodesOf(x, out);
    });
  } else if (v && typeof v === "object" && !(v instanceof RawNumber)) {
    for (const [k, x] of Object.entries(v)) {
      out.push({ parent: v as Record<string, unknown>, key: k });
      nodesOf(x, out);
    }
  }
  return out;
}

function set(n: Node, value: unknown) {
  (n.parent as Record<string | number, unknown>)[n.key] = value;
}

function remove(n: Node) {
  if (Array.isArray(n.parent)) n.parent.splice(n.key as number, 1);
  else delete n.parent[n.key as string];
}

function deepNesting(r: Rng, levels: number): string {
  const inner = r.chance(0.5) ? ["[".repeat(levels), "]".repeat(levels)] : ['{"a":'.repeat(levels) + "1", "}".repeat(levels)];
  if (r.chance(0.5)) return inner.join("");
  // inside an otherwise ordinary order
  return `{"id":${r.int(1, 1e9)},"name":"#deep","financial_status":"paid","line_items":${inner.join("")}}`;
}

export type FuzzKind =
  | "valid"
  | "hostile-text"
  | "huge-number"
  | "missing-fields"
  | "wrong-types"
  | "random-structure"
  | "deep-nesting"
  | "not-json"
  | "bad-hmac"
  | "over-limit"
  | "repeat";

export type FuzzCase = Delivery & {
  index: number;
  kind: FuzzKind;
  expected: 200 | 401 | 413;
  /** Set for an unmodified paid order (it is in the fake shop too): it must end up imported, to ship. */
  validOrderId?: string;
  /** The fake shop's order this case's text came from (the periodic sync reads it too). */
  fakeOrder?: FakeOrder;
};

/**
 * `n` cases for `shop`. Orders whose text is hostile, and the valid ones, are created in `fake` (the shop's
 * Shopify), as Shopify holds the orders it sends webhooks for; the rest exist only as webhook bodies.
 */
export function fuzzCases(opts: { seed: number; n: number; shop: string; secret: string; fake: FakeShopify }): FuzzCase[] {
  const r = rng(opts.seed);
  const { shop, secret, fake } = opts;
  const scratch = new FakeShopify();
  scratch.addShop(shop);
  let nextScratchId = 9_100_000_000;
  const cases: FuzzCase[] = [];

  /** A webhook-only payload (not in the fake shop), with an id of its own range. */
  const scratchPayload = (seed: number): Record<string, unknown> => {
    const p = orderWebhookPayload(scratch.upsertOrder(shop, dutchOrder({ seed, financialStatus: "PAID" }))) as unknown as Record<string, unknown>;
    const id = nextScratchId++;
    return { ...p, id, admin_graphql_api_id: `gid://shopify/Order/${id}` };
  };
  const signed = (i: number, body: string, headers?: Record<string, string | null>) =>
    signedDelivery({ shop, topic: r.pick(ORDER_TOPICS), secret, rawBody: body, webhookId: `fuzz-${opts.seed}-${i}`, headers });

  for (let i = 0; i < opts.n; i++) {
    const roll = r.next();
    const seed = 80_000 + i;
    let c: FuzzCase;
    if (roll < 0.2) {
      const order = fake.upsertOrder(shop, dutchOrder({ seed, financialStatus: "PAID" }));
      c = { ...signed(i, JSON.stringify(orderWebhookPayload(order))), index: i, kind: "valid", expected: 200, validOrderId: String(order.id), fakeOrder: order };
    } else if (roll < 0.33) {
      // Hostile text in the order itself (Shopify stores what the customer typed): the sync reads it too.
      const base = dutchOrder({ seed, financialStatus: "PAID" });
      const text = () => hostileString(r);
      const input: OrderInput = { ...base };
      const which = r.int(0, 4);
      if (which === 0) input.customer = { firstName: text(), lastName: text() };
      if (which === 1) input.shippingAddress = { ...base.shippingAddress, name: text(), address1: text(), city: text() };
      if (which === 2) input.lineItems = (base.lineItems ?? []).map((l) => ({ ...l, title: text(), sku: text() }));
      if (which === 3) input.email = `${text()}@example.nl`;
      if (which === 4) input.shippingAddress = { ...base.shippingAddress, zip: text(), company: text() };
      const order = fake.upsertOrder(shop, input);
      c = { ...signed(i, JSON.stringify(orderWebhookPayload(order))), index: i, kind: "hostile-text", expected: 200, fakeOrder: order };
    } else if (roll < 0.43) {
      const p = scratchPayload(seed);
      const targets = [
        () => (p.id = new RawNumber(r.pick(HUGE_NUMBERS))),
        () => (p.order_number = new RawNumber(r.pick(HUGE_NUMBERS))),
        () => (p.total_price = r.chance(0.5) ? new RawNumber(r.pick(HUGE_NUMBERS)) : r.pick(HUGE_NUMBERS)),
        () => (p.total_weight = new RawNumber(r.pick(HUGE_NUMBERS))),
        () => ((p.line_items as Record<string, unknown>[])[0]!.quantity = new RawNumber(r.pick(HUGE_NUMBERS))),
        () => ((p.line_items as Record<string, unknown>[])[0]!.grams = new RawNumber(r.pick(HUGE_NUMBERS))),
        () => ((p.line_items as Record<string, unknown>[])[0]!.id = new RawNumber(r.pick(HUGE_NUMBERS))),
      ];
      for (let k = r.int(1, 3); k > 0; k--) r.pick(targets)();
      c = { ...signed(i, toJson(p)), index: i, kind: "huge-number", expected: 200 };
    } else if (roll < 0.51) {
      const p = scratchPayload(seed);
      for (let k = r.int(1, 6); k > 0; k--) {
        const nodes = nodesOf(p);
        if (nodes.length) remove(r.pick(nodes));
      }
      c = { ...signed(i, toJson(p)), index: i, kind: "missing-fields", expected: 200 };
    } else if (roll < 0.61) {
      const p = scratchPayload(seed);
      for (let k = r.int(1, 5); k > 0; k--) set(r.pick(nodesOf(p)), randomValue(r));
      c = { ...signed(i, toJson(p)), index: i, kind: "wrong-types", expected: 200 };
    } else if (roll < 0.68) {
      c = { ...signed(i, toJson(randomValue(r))), index: i, kind: "random-structure", expected: 200 };
    } else if (roll < 0.7) {
      c = { ...signed(i, deepNesting(r, 10_000)), index: i, kind: "deep-nesting", expected: 200 };
    } else if (roll < 0.76) {
      const json = JSON.stringify(scratchPayload(seed));
      const body = r.pick([
        json.slice(0, r.int(1, json.length - 1)),
        `${json}garbage`,
        `\ufeff${json}`,
        json.replace(/"/g, "'"),
        "<?xml version=\"1.0\"?><order><id>1</id></order>",
        "<html><body>502 Bad Gateway</body></html>",
        "NaN",
        "[1,2,,]",
        "{\"id\": 1,}",
        "undefined",
        Array.from({ length: r.int(1, 200) }, () => String.fromCharCode(r.int(1, 0xd7ff))).join(""),
      ]);
      c = { ...signed(i, body), index: i, kind: "not-json", expected: 200 };
    } else if (roll < 0.84) {
      const body = r.chance(0.5) ? JSON.stringify(scratchPayload(seed)) : toJson(randomValue(r));
      const good = webhookHmac(body, secret);
      const hmac = r.pick([
        webhookHmac(body, `${secret}x`),
        webhookHmac(`${body} `, secret),
        good.slice(0, -4),
        good.toLowerCase() === good ? `A${good.slice(1)}` : good.toLowerCase(),
        "not base64 !!",
        null,
      ]);
      c = { ...signed(i, body, { "X-Shopify-Hmac-Sha256": hmac }), index: i, kind: "bad-hmac", expected: 401 };
    } else if (roll < 0.855) {
      // Over the limit: refused before anything checks the signature, signed or not.
      const p = scratchPayload(seed);
      p.note = "x".repeat(BODY_LIMIT + r.int(1, 3 * 1024 * 1024));
      const body = JSON.stringify(p);
      c = { ...signed(i, body, r.chance(0.3) ? { "X-Shopify-Hmac-Sha256": "forged" } : undefined), index: i, kind: "over-limit", expected: 413 };
    } else if (cases.length && roll < 0.9) {
      // Shopify repeating an earlier delivery byte for byte (same webhook id).
      const earlier = r.pick(cases.filter((x) => x.kind !== "over-limit" && x.kind !== "repeat"));
      c = { ...earlier, index: i, kind: "repeat", validOrderId: undefined, fakeOrder: undefined };
    } else {
      const order = fake.upsertOrder(shop, dutchOrder({ seed, financialStatus: "PAID" }));
      c = { ...signed(i, JSON.stringify(orderWebhookPayload(order))), index: i, kind: "valid", expected: 200, validOrderId: String(order.id), fakeOrder: order };
    }
    // The limit comes first: a body over it is refused whatever it holds (hostile text can push an order over it).
    if (Buffer.byteLength(c.body) > BODY_LIMIT) c = { ...c, expected: 413, validOrderId: undefined };
    cases.push(c);
  }
  return cases;
}
