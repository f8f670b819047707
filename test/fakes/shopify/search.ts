// Shopify's search syntax for the `orders(query:)` argument (https://shopify.dev/docs/api/usage/search-syntax),
// the part Koppel needs: `field:value`, `field:>value` (>=, <, <=), quoted values, implicit AND, OR, `-`/NOT negation.
import type { FakeOrder } from "./types";

type Op = ":" | ">" | ">=" | "<" | "<=";
export type SearchTerm = { field: string | null; op: Op; value: string; negate: boolean };
/** OR of ANDs. */
export type SearchQuery = SearchTerm[][];

const TOKEN = /(-)?(?:([a-z_]+):(>=|<=|>|<)?)?(?:'([^']*)'|"([^"]*)"|(\S+))/gi;

export function parseSearch(query: string | null | undefined): SearchQuery {
  if (!query || !query.trim()) return [];
  const groups: SearchTerm[][] = [[]];
  let negateNext = false;
  for (const m of query.matchAll(TOKEN)) {
    const raw = m[6];
    if (!m[2] && raw === "AND") continue;
    if (!m[2] && raw === "OR") {
      groups.push([]);
      continue;
    }
    if (!m[2] && raw === "NOT") {
      negateNext = true;
      continue;
    }
    const value = m[4] ?? m[5] ?? raw ?? "";
    groups[groups.length - 1]!.push({
      field: m[2]?.toLowerCase() ?? null,
      op: (m[3] as Op | undefined) ?? ":",
      value,
      negate: Boolean(m[1]) || negateNext,
    });
    negateNext = false;
  }
  return groups.filter((g) => g.length > 0);
}

function compare(a: number, b: number, op: Op): boolean {
  switch (op) {
    case ">":
      return a > b;
    case ">=":
      return a >= b;
    case "<":
      return a < b;
    case "<=":
      return a <= b;
    default:
      return a === b;
  }
}

function dateTerm(iso: string, term: SearchTerm): boolean {
  const actual = Date.parse(iso);
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(term.value);
  const wanted = Date.parse(dateOnly ? `${term.value}T00:00:00Z` : term.value);
  if (Number.isNaN(wanted)) return true; // Shopify ignores a filter it cannot parse (and warns)
  if (term.op === ":" && dateOnly) return iso.slice(0, 10) === term.value;
  return compare(actual, wanted, term.op);
}

const FULFILLMENT_ALIASES: Record<string, string[]> = {
  shipped: ["FULFILLED"],
  fulfilled: ["FULFILLED"],
  partial: ["PARTIALLY_FULFILLED"],
  unshipped: ["UNFULFILLED"],
  unfulfilled: ["UNFULFILLED", "PARTIALLY_FULFILLED"],
  on_hold: ["ON_HOLD"],
  scheduled: ["SCHEDULED"],
};

function matchTerm(o: FakeOrder, t: SearchTerm): boolean {
  const v = t.value.toLowerCase();
  switch (t.field) {
    case "updated_at":
      return dateTerm(o.updatedAt, t);
    case "created_at":
    case "processed_at":
      return dateTerm(o.createdAt, t);
    case "financial_status":
      return v === "any" || o.financialStatus.toLowerCase() === v;
    case "fulfillment_status":
      return v === "any" || (FULFILLMENT_ALIASES[v] ?? []).includes(o.fulfillmentStatus);
    case "status":
      if (v === "any") return true;
      if (v === "cancelled") return o.cancelledAt !== null;
      if (v === "closed") return o.closed;
      if (v === "open") return !o.closed && o.cancelledAt === null;
      return false;
    case "test":
      return String(o.test) === v;
    case "name":
      return o.name.toLowerCase() === v || o.name.toLowerCase() === `#${v}`;
    case "id":
      return compare(o.id, Number(t.value), t.op);
    case "email":
      return (o.email ?? "").toLowerCase() === v;
    case null: {
      const hay = [o.name, o.email, o.customer?.firstName, o.customer?.lastName, o.shippingAddress?.name]
        .filter(Boolean)
        .join(" ")
        .toLowerCase();
      return hay.includes(v);
    }
    default:
      return true; // unknown fields are ignored by Shopify (with a search warning)
  }
}

export function matchesSearch(o: FakeOrder, q: SearchQuery): boolean {
  if (q.length === 0) return true;
  return q.some((group) => group.every((t) => matchTerm(o, t) !== t.negate));
}
