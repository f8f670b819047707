// Realistic Dutch and Belgian orders for tests and the demo shop.
import type { FinancialStatus, LineSeed, OrderInput } from "./types";

const NL_FIRST = ["Sanne", "Daan", "Lotte", "Bram", "Femke", "Jeroen", "Anouk", "Thijs", "Eva", "Ruben", "Lieke", "Sem", "Noor", "Joost", "Maartje"];
const NL_LAST = ["de Vries", "Jansen", "van den Berg", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "van Dijk", "Hendriks"];
const BE_FIRST = ["Lien", "Wout", "Elke", "Pieter", "Ine", "Stijn", "Griet", "Arne"];
const BE_LAST = ["Peeters", "Janssens", "Maes", "Jacobs", "Willems", "Claes", "Goossens", "Wouters"];

type Addr = { address1: string; address2?: string | null; zip: string; city: string; province: string | null; provinceCode: string | null };
const NL_ADDRESSES: Addr[] = [
  { address1: "Keizersgracht 123", zip: "1015 CJ", city: "Amsterdam", province: "Noord-Holland", provinceCode: "NH" },
  { address1: "Oudegracht 45-A", zip: "3511 AB", city: "Utrecht", province: "Utrecht", provinceCode: "UT" },
  { address1: "Witte de Withstraat 12", zip: "3012 BP", city: "Rotterdam", province: "Zuid-Holland", provinceCode: "ZH" },
  { address1: "Lange Voorhout 8", zip: "2514 ED", city: "Den Haag", province: "Zuid-Holland", provinceCode: "ZH" },
  { address1: "Stratumseind 30", zip: "5611 ET", city: "Eindhoven", province: "Noord-Brabant", provinceCode: "NB" },
  { address1: "Vismarkt 3", address2: "2e verdieping", zip: "9712 CA", city: "Groningen", province: "Groningen", provinceCode: "GR" },
  { address1: "Lange Hezelstraat 77", zip: "6511 CB", city: "Nijmegen", province: "Gelderland", provinceCode: "GE" },
  { address1: "Laan van Meerdervoort 1001 hs", zip: "2564 AW", city: "Den Haag", province: "Zuid-Holland", provinceCode: "ZH" },
  { address1: "Breestraat 112B", zip: "2311 CW", city: "Leiden", province: "Zuid-Holland", provinceCode: "ZH" },
  { address1: "2e Jan Steenstraat 10-III", zip: "1073 VP", city: "Amsterdam", province: "Noord-Holland", provinceCode: "NH" },
];
const BE_ADDRESSES: Addr[] = [
  { address1: "Meir 12 bus 3", zip: "2000", city: "Antwerpen", province: null, provinceCode: null },
  { address1: "Veldstraat 55", zip: "9000", city: "Gent", province: null, provinceCode: null },
  { address1: "Steenstraat 20", zip: "8000", city: "Brugge", province: null, provinceCode: null },
  { address1: "Bondgenotenlaan 88", zip: "3000", city: "Leuven", province: null, provinceCode: null },
  { address1: "Nieuwstraat 101", zip: "1000", city: "Brussel", province: null, provinceCode: null },
];

export const PRODUCTS: Required<Omit<LineSeed, "quantity">>[] = [
  { sku: "KOF-ESP-1000", title: "Koffiebonen Espresso", variantTitle: "1 kg", grams: 1000, requiresShipping: true, price: "24.95" },
  { sku: "THD-LIN-01", title: "Theedoek linnen", variantTitle: "Oker", grams: 150, requiresShipping: true, price: "12.50" },
  { sku: "STR-BLK-450", title: "Stroopwafels in blik", variantTitle: null, grams: 450, requiresShipping: true, price: "8.95" },
  { sku: "MOK-KER-350", title: "Keramieken mok", variantTitle: "Zeegroen", grams: 380, requiresShipping: true, price: "14.95" },
  { sku: "PLD-WOL-130", title: "Wollen plaid", variantTitle: "130 x 170 cm", grams: 1200, requiresShipping: true, price: "59.00" },
  { sku: "FTS-WTD-20", title: "Fietstas waterdicht", variantTitle: "20 liter", grams: 900, requiresShipping: true, price: "44.95" },
  { sku: "KSS-RVS-01", title: "Kaasschaaf RVS", variantTitle: null, grams: 120, requiresShipping: true, price: "9.95" },
];
export const GIFT_CARD: Required<Omit<LineSeed, "quantity">> = {
  sku: null as unknown as string,
  title: "Cadeaubon",
  variantTitle: "€ 25",
  grams: 0,
  requiresShipping: false,
  price: "25.00",
};

let counter = 0;
const pick = <T>(list: readonly T[], i: number): T => list[((i % list.length) + list.length) % list.length]!;

function slug(s: string) {
  return s
    .toLowerCase()
    .normalize("NFD")
    .replace(/[^a-z]/g, "");
}

/**
 * A realistic Dutch (default) or Belgian order. Deterministic for a given `seed`.
 * Any OrderInput field can be overridden; `shippingAddress` overrides merge into the generated address.
 */
export function dutchOrder(overrides: OrderInput & { seed?: number; country?: "NL" | "BE" } = {}): OrderInput {
  const { seed = counter++, country = "NL", shippingAddress, ...rest } = overrides;
  const be = country === "BE";
  const firstName = pick(be ? BE_FIRST : NL_FIRST, seed);
  const lastName = pick(be ? BE_LAST : NL_LAST, seed * 7 + 3);
  const addr = pick(be ? BE_ADDRESSES : NL_ADDRESSES, seed * 3 + 1);
  const phone = be
    ? `+32 47${seed % 10} ${String(10 + (seed % 89)).padStart(2, "0")} ${String(20 + (seed % 79)).padStart(2, "0")} ${String(30 + (seed % 69)).padStart(2, "0")}`
    : `+31 6 ${String(1000 + ((seed * 137) % 9000))} ${String(1000 + ((seed * 911) % 9000))}`;
  const lineCount = 1 + (seed % 3);
  const lineItems: LineSeed[] = [];
  for (let i = 0; i < lineCount; i++) {
    const p = pick(PRODUCTS, seed + i * 2);
    if (!lineItems.some((l) => l.sku === p.sku)) lineItems.push({ ...p, quantity: 1 + ((seed + i) % 2) });
  }
  return {
    email: `${slug(firstName)}.${slug(lastName)}@example.${be ? "be" : "nl"}`,
    financialStatus: "PAID",
    currency: "EUR",
    customer: { firstName, lastName },
    shippingAddress: {
      firstName,
      lastName,
      name: `${firstName} ${lastName}`,
      company: null,
      address1: addr.address1,
      address2: addr.address2 ?? null,
      zip: addr.zip,
      city: addr.city,
      province: addr.province,
      provinceCode: addr.provinceCode,
      country: be ? "Belgium" : "Netherlands",
      countryCode: be ? "BE" : "NL",
      phone,
      ...(shippingAddress ?? {}),
    },
    lineItems,
    ...rest,
  };
}

export const DEMO_SHOP = "koppel-demo.myshopify.com";

/**
 * ~25 orders for the demo shop, created over the 10 days before `now`: mostly paid, 3 pending (unpaid),
 * 1 cancelled, 1 with a company name, 1 already fulfilled, a few Belgian, one with a gift card next to parcels.
 */
export function demoOrders(now: Date = new Date()): OrderInput[] {
  const out: OrderInput[] = [];
  const total = 25;
  for (let i = 0; i < total; i++) {
    const created = new Date(now.getTime() - (10 * 24 * 3600_000 * (total - i)) / (total + 1));
    const updated = new Date(created.getTime() + 15 * 60_000);
    let financialStatus: FinancialStatus = "PAID";
    if (i === 4 || i === 16 || i === 23) financialStatus = "PENDING";
    const o = dutchOrder({
      seed: i + 1,
      country: i % 4 === 2 ? "BE" : "NL",
      createdAt: created,
      updatedAt: updated,
      financialStatus,
    });
    if (i === 7) {
      o.cancelledAt = new Date(created.getTime() + 3600_000);
      o.updatedAt = o.cancelledAt;
      o.financialStatus = "REFUNDED";
      o.closed = true;
    }
    if (i === 10) {
      o.shippingAddress = { ...o.shippingAddress, company: "Bakkerij Van der Linden B.V." };
    }
    if (i === 13) {
      o.fulfillmentStatus = "FULFILLED";
      o.updatedAt = new Date(created.getTime() + 26 * 3600_000);
    }
    if (i === 18) {
      o.lineItems = [...(o.lineItems ?? []), { ...GIFT_CARD, sku: null, quantity: 1 }];
    }
    out.push(o);
  }
  return out;
}
