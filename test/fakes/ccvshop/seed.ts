// Demo orders for a Dutch shop: mostly paid + completed (status 1 or 2), with the shapes an adapter must survive —
// unpaid, not completed (no ordernumber/status), sent, cancelled, B2B, Belgium, an all-empty deliveryaddress (ships to
// billing), address_line_1/2 instead of street + housenumber, integer and decimal totals. Dates relative to now().
import type { FakeCcvShop } from "./fake";
import { isoSeconds } from "./signing";
import type { CcvBillingAddress, CcvOrderInput, CcvOrderRowInput } from "./types";

const HOUR = 3_600_000;

const P = {
  koffie: { product_id: 1101, product_name: "Koffiebonen Espresso 1 kg", product_number: "KOF-ESP-1000", sub_ean_number: "8712345000011", price: 24.95, weight: 1.05 },
  thee: { product_id: 1102, product_name: "Theedoos hout, 6 vakken", product_number: "THE-DOOS-6", price: 17.5, weight: 0.8 },
  stroopwafels: { product_id: 1103, product_name: "Stroopwafels (8 st.)", product_number: "STW-8", price: 3.95, weight: 0.3 },
  mok: { product_id: 1104, product_name: "Delfts blauw mok", product_number: "MOK-DB", sub_sku_number: "MOK-DB-350", price: 12.5, weight: 0.35 },
  fietstas: { product_id: 1105, product_name: "Fietstas waterdicht", product_number: "FTS-WD-20L", price: 49.95, weight: 1.2 },
  kaasschaaf: { product_id: 1106, product_name: "Kaasschaaf RVS", product_number: "KSS-RVS", price: 9.95, weight: 0.15 },
  plaid: { product_id: 1107, product_name: "Wollen plaid", product_number: "PLD-WOL", price: 295, weight: 1.4 },
} satisfies Record<string, CcvOrderRowInput>;

const row = (p: CcvOrderRowInput, count = 1): CcvOrderRowInput => ({ ...p, count });

type Person = Partial<CcvBillingAddress> & { first_name: string; last_name: string };
function billing(p: Person): Partial<CcvBillingAddress> {
  return {
    gender: p.gender ?? null,
    initials: p.initials ?? `${p.first_name[0]}.`,
    full_name: `${p.first_name} ${p.last_name}`,
    country: "Nederland",
    country_code: "NL",
    ...p,
  };
}

/** The demo orders, newest last; `now` anchors create_date. */
export function demoOrders(now: number): CcvOrderInput[] {
  const at = (hoursAgo: number) => isoSeconds(now - hoursAgo * HOUR);
  return [
    {
      create_date: at(118),
      customer: { email: "sanne.dejong@example.nl", billingaddress: billing({ gender: "female", first_name: "Sanne", last_name: "de Jong", street: "Keizersgracht", housenumber: 123, housenumber_suffix: "A", zipcode: "1015 CJ", city: "Amsterdam", province: "Noord-Holland", mobile: "0612345001" }) },
      rows: [row(P.koffie, 2), row(P.stroopwafels, 3)],
    },
    {
      create_date: at(110),
      status: 2,
      customer: { email: "pieter.visser@example.nl", billingaddress: billing({ gender: "male", first_name: "Pieter", last_name: "Visser", street: "Oudegracht", housenumber: 45, housenumber_suffix: "bis", zipcode: "3511 AB", city: "Utrecht", province: "Utrecht", telephone: "0301234002" }) },
      rows: [row(P.fietstas)],
    },
    {
      create_date: at(97),
      customer: {
        email: "fatima.elamrani@example.nl",
        billingaddress: billing({ gender: "female", first_name: "Fatima", last_name: "El Amrani", street: "Diezerstraat", housenumber: 12, zipcode: "8011 RH", city: "Zwolle", province: "Overijssel", mobile: "0612345003" }),
        // A present for her mother: a real delivery address.
        deliveryaddress: { gender: "female", initials: "K.", full_name: "Khadija El Amrani", street: "Melkmarkt", housenumber: 8, housenumber_suffix: "2", zipcode: "8011 MC", city: "Zwolle", province: "Overijssel", country: "Nederland", country_code: "NL", mobile: "0612345033" },
      },
      rows: [row(P.thee), row(P.mok, 2)],
    },
    {
      create_date: at(90),
      paid: false,
      status: 4,
      paymethod: "Overboeking",
      paymethod_id: 3,
      customer: { email: "daan.mulder@example.nl", billingaddress: billing({ gender: "male", first_name: "Daan", last_name: "Mulder", street: "Grote Markt", housenumber: 7, zipcode: "9711 LV", city: "Groningen", province: "Groningen", mobile: "0612345004" }) },
      rows: [row(P.kaasschaaf), row(P.stroopwafels, 2)],
    },
    {
      create_date: at(80),
      customer: { email: "lotte.smit@example.nl", billingaddress: billing({ gender: "female", first_name: "Lotte", last_name: "Smit", street: "Stratumseind", housenumber: 30, zipcode: "5611 ET", city: "Eindhoven", province: "Noord-Brabant", mobile: "0612345005" }) },
      rows: [row(P.koffie)],
    },
    {
      create_date: at(72),
      total_shipping: 9.95,
      paymethod: "Bancontact",
      paymethod_id: 5,
      customer: {
        email: "wout.peeters@example.be",
        billingaddress: billing({ gender: "male", first_name: "Wout", last_name: "Peeters", street: "Meir", housenumber: 50, zipcode: "2000", city: "Antwerpen", province: "Antwerpen", country: "België", country_code: "BE", mobile: "+32470123456" }),
      },
      rows: [row(P.mok, 4), row(P.stroopwafels, 2)],
    },
    {
      create_date: at(64),
      status: 2,
      paymethod: "Op rekening",
      paymethod_id: 7,
      customer: {
        id: 70012,
        email: "inkoop@bakkerijvandijk.example.nl",
        customertype: "b2b",
        billingaddress: billing({ gender: "male", first_name: "Henk", last_name: "van Dijk", company: "Bakkerij Van Dijk B.V.", street: "Lange Elisabethstraat", housenumber: 10, zipcode: "3511 KD", city: "Utrecht", province: "Utrecht", telephone: "0301234007", fax: "0301234099" }),
        deliveryaddress: { initials: "H.", full_name: "Henk van Dijk", company: "Bakkerij Van Dijk B.V. (magazijn)", street: "Atoomweg", housenumber: 350, zipcode: "3542 AB", city: "Utrecht", province: "Utrecht", country: "Nederland", country_code: "NL", telephone: "0301234008", comment: "Laden en lossen achterzijde" },
      },
      rows: [row(P.koffie, 6), row(P.thee, 2), row(P.kaasschaaf, 3)],
    },
    {
      // Street in address_line_1/2, no street + housenumber.
      create_date: at(55),
      customer: { email: "bram.dekker@example.nl", billingaddress: billing({ gender: "male", first_name: "Bram", last_name: "Dekker", address_line_1: "Vismarkt 3-bis", address_line_2: "2e verdieping", zipcode: "9711 KR", city: "Groningen", province: "Groningen", mobile: "0612345008" }) },
      rows: [row(P.fietstas), row(P.stroopwafels)],
    },
    {
      // Customer still in checkout: no ordernumber, no status.
      create_date: at(40),
      is_completed: false,
      paid: false,
      customer: { email: "noor.hendriks@example.nl", billingaddress: billing({ gender: "female", first_name: "Noor", last_name: "Hendriks", street: "Biltstraat", housenumber: 101, zipcode: "3572 AN", city: "Utrecht", province: "Utrecht" }) },
      rows: [row(P.mok)],
    },
    {
      create_date: at(36),
      status: 5,
      track_and_trace_code: "3SKOPP000123456",
      track_and_trace_carrier: "PostNL",
      track_and_trace_deeplink: "https://jouw.postnl.nl/track-and-trace/3SKOPP000123456-NL-3011AA",
      customer: { email: "emma.vandenberg@example.nl", billingaddress: billing({ gender: "female", first_name: "Emma", last_name: "van den Berg", street: "Witte de Withstraat", housenumber: 22, housenumber_suffix: "C", zipcode: "3012 BP", city: "Rotterdam", province: "Zuid-Holland", mobile: "0612345010" }) },
      rows: [row(P.thee)],
    },
    {
      create_date: at(30),
      status: 8,
      paid: false,
      customer: { email: "ruben.bos@example.nl", billingaddress: billing({ gender: "male", first_name: "Ruben", last_name: "Bos", street: "Ganzenmarkt", housenumber: 5, zipcode: "3512 GD", city: "Utrecht", province: "Utrecht", mobile: "0612345011" }) },
      rows: [row(P.kaasschaaf)],
    },
    {
      // Integer totals, as CCV sends them: 2 × 295 and free shipping → total_price 590.
      create_date: at(22),
      total_shipping: 0,
      customer: { email: "joost.meijer@example.nl", billingaddress: billing({ gender: "male", first_name: "Joost", last_name: "Meijer", street: "Herengracht", housenumber: 401, zipcode: "1017 BP", city: "Amsterdam", province: "Noord-Holland", mobile: "0612345012" }) },
      rows: [row(P.plaid, 2)],
    },
    {
      create_date: at(15),
      paid: false,
      customer: { email: "iris.willems@example.nl", billingaddress: billing({ gender: "female", first_name: "Iris", last_name: "Willems", street: "Vrijthof", housenumber: 18, zipcode: "6211 LD", city: "Maastricht", province: "Limburg", mobile: "0612345013" }) },
      rows: [row(P.koffie), row(P.mok)],
    },
    {
      create_date: at(8),
      deliver_method: "pickup",
      total_shipping: 0,
      customer: { email: "thijs.kok@example.nl", billingaddress: billing({ gender: "male", first_name: "Thijs", last_name: "Kok", street: "Assendorperstraat", housenumber: 77, zipcode: "8012 DH", city: "Zwolle", province: "Overijssel", mobile: "0612345014" }) },
      rows: [row(P.stroopwafels, 5)],
    },
    {
      create_date: at(2),
      customer: {
        email: "anouk.jansen@example.nl",
        billingaddress: billing({ gender: "female", first_name: "Anouk", last_name: "Jansen", street: "Kruisstraat", housenumber: 9, housenumber_suffix: "B", zipcode: "5612 CH", city: "Eindhoven", province: "Noord-Brabant", mobile: "0612345015" }),
        deliveryaddress: { gender: "male", initials: "M.", full_name: "Mark Jansen", street: "Vestdijk", housenumber: 3, zipcode: "5611 CA", city: "Eindhoven", province: "Noord-Brabant", country: "Nederland", country_code: "NL" },
      },
      rows: [row(P.fietstas), row(P.koffie, 2), row(P.kaasschaaf)],
    },
  ];
}

/** Adds demoOrders(fake.now()) and returns them; the newest carries the order label "Express" (a shipping rule's tag). */
export function seedDemoOrders(fake: FakeCcvShop) {
  const orders = demoOrders(fake.now()).map((o) => fake.addOrder(o));
  fake.labelOrder(orders.at(-1)!.id, "Express");
  return orders;
}
