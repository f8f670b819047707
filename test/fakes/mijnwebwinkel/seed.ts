// Demo orders for a Dutch Mijnwebwinkel store (15, numbered on from the store's next number, dates relative to now):
// mixed statuses (Nieuw, In behandeling, Wacht op betaling, Verzonden, Afgehandeld, Geannuleerd), two archived, two test
// orders ("T-…"), one without a delivery address, one B2B with a reference, one Belgian, house numbers with suffixes
// in `number` ("123A", "8-2", "45 bis"), and each drift live answers show: `number` as a string, `price.tax` as an
// object, `shipping[].country` as []. Payments: mostly captured (iDEAL), one open bank transfer (no pending,
// authorized or captured transaction), one authorized (Klarna), one refunded (the cancelled order).
import type { FakeMijnwebwinkel } from "./fake";
import type { MwwLineInput, MwwOrderInput, MwwOrderRecord } from "./orders";
import { STATUS } from "./store";
import type { MwwInvoiceAddress } from "./types";

const HOUR = 3_600_000;

const P = {
  koffie: { description: "Koffiebonen Espresso 1 kg", sku: "KOF-ESP-1000", articleId: 1101, unitPrice: 24.95, rate: 9, weight: 1050 },
  thee: { description: "Theedoos hout, 6 vakken", sku: "THE-DOOS-6", articleId: 1102, unitPrice: 17.5, rate: 21, weight: 800 },
  stroopwafels: { description: "Stroopwafels (8 st.)", sku: "STW-8", articleId: 1103, unitPrice: 3.95, rate: 9, weight: 300 },
  mok: { description: "Delfts blauw mok", sku: "MOK-DB-350", articleId: 1104, unitPrice: 12.5, rate: 21, weight: 350 },
  fietstas: { description: "Fietstas waterdicht 20 L", sku: "FTS-WD-20L", articleId: 1105, unitPrice: 49.95, rate: 21, weight: 1200 },
  kaasschaaf: { description: "Kaasschaaf RVS", sku: "KSS-RVS", articleId: 1106, unitPrice: 9.95, rate: 21, weight: 150 },
  plaid: { description: "Wollen plaid", sku: "PLD-WOL", articleId: 1107, unitPrice: 89, rate: 21, weight: 1400 },
} satisfies Record<string, MwwLineInput>;

const line = (p: MwwLineInput, quantity = 1): MwwLineInput => ({ ...p, quantity });
const person = (a: Partial<MwwInvoiceAddress> & { name: string; street: string; number: string; zipcode: string; city: string }): Partial<MwwInvoiceAddress> => a;

export type DemoRole =
  | "archived"
  | "test"
  | "noDelivery"
  | "b2b"
  | "numberAsString"
  | "taxAsObject"
  | "shippingCountryEmpty"
  | "openPayment"
  | "authorized"
  | "cancelled"
  | "shipped"
  | "inProgress"
  | "belgium"
  | "internalComment";

type DemoOrder = MwwOrderInput & { roles?: DemoRole[] };

/** The demo orders, oldest first; `now` anchors their dates. */
export function demoOrders(now: number): DemoOrder[] {
  const at = (hoursAgo: number) => now - hoursAgo * HOUR;
  return [
    {
      roles: ["archived"],
      at: at(240),
      status: STATUS.AFGEHANDELD,
      statusChangedAt: at(200),
      archived: true,
      email: "sanne.dejong@example.nl",
      invoice: person({ gender: "V", name: "Sanne de Jong", phone: "0612345001", street: "Keizersgracht", number: "123A", zipcode: "1015 CJ", city: "Amsterdam" }),
      lines: [line(P.koffie, 2), line(P.stroopwafels, 3)],
    },
    {
      roles: ["archived", "shipped"],
      at: at(200),
      status: STATUS.VERZONDEN,
      statusChangedAt: at(170),
      archived: true,
      email: "ruben.devries@example.nl",
      invoice: person({ gender: "M", name: "Ruben de Vries", phone: "0612345002", street: "Nieuwestad", number: "51", zipcode: "8911 CK", city: "Leeuwarden" }),
      lines: [line(P.thee)],
    },
    {
      roles: ["shipped"],
      at: at(120),
      status: STATUS.VERZONDEN,
      statusChangedAt: at(96),
      email: "pieter.visser@example.nl",
      invoice: person({ gender: "M", name: "Pieter Visser", phone: "0301234003", street: "Oudegracht", number: "45 bis", zipcode: "3511 AB", city: "Utrecht" }),
      lines: [line(P.fietstas)],
    },
    {
      roles: ["inProgress"],
      at: at(100),
      status: STATUS.IN_BEHANDELING,
      statusChangedAt: at(90),
      email: "fatima.elamrani@example.nl",
      comments: { customer: "Het is een cadeau, graag zonder factuur in het pakket." },
      invoice: person({ gender: "V", name: "Fatima El Amrani", phone: "0612345004", street: "Diezerstraat", number: "12", zipcode: "8011 RH", city: "Zwolle" }),
      // A present for her mother: a real delivery address.
      delivery: { gender: "V", name: "Khadija El Amrani", phone: "0612345044", street: "Melkmarkt", number: "8-2", zipcode: "8011 MC", city: "Zwolle", country_code: "NL" },
      lines: [line(P.thee), line(P.mok, 2)],
    },
    {
      roles: ["openPayment", "internalComment"],
      at: at(80),
      status: STATUS.WACHT_OP_BETALING,
      statusChangedAt: at(80),
      email: "daan.mulder@example.nl",
      comments: { internal: "Klant belde: betaalt vrijdag per overboeking." },
      invoice: person({ gender: "M", name: "Daan Mulder", phone: "0612345005", street: "Grote Markt", number: "7", zipcode: "9711 LV", city: "Groningen" }),
      lines: [line(P.kaasschaaf), line(P.stroopwafels, 2)],
      payment: "open",
    },
    {
      roles: ["test"],
      at: at(72),
      test: true,
      email: "winkelier@example.nl",
      comments: { customer: "Testbestelling" },
      invoice: person({ gender: "V", name: "Test Bestelling", phone: "0612345006", street: "Teststraat", number: "1", zipcode: "1000 AA", city: "Amsterdam" }),
      lines: [line(P.mok)],
    },
    {
      roles: ["noDelivery"],
      at: at(60),
      email: "lotte.smit@example.nl",
      invoice: person({ gender: "V", name: "Lotte Smit", phone: "0612345007", street: "Stratumseind", number: "30", zipcode: "5611 ET", city: "Eindhoven" }),
      delivery: null,
      lines: [line(P.koffie)],
    },
    {
      roles: ["b2b", "inProgress"],
      at: at(50),
      status: STATUS.IN_BEHANDELING,
      statusChangedAt: at(30),
      businessModel: "B2B",
      reference: "INK-2026-0412",
      email: "inkoop@bakkerijbosman.example.nl",
      invoice: person({
        gender: "M",
        name: "Henk Bosman",
        company: "Bakkerij Bosman B.V.",
        phone: "0231234008",
        street: "Grote Houtstraat",
        number: "88",
        zipcode: "2011 SR",
        city: "Haarlem",
        taxnumber: "NL812345678B01",
        bankaccount: "NL91ABNA0417164300",
      }),
      delivery: { gender: "M", name: "Henk Bosman", company: "Bakkerij Bosman B.V. (magazijn)", phone: "0231234088", street: "Waarderweg", number: "40", zipcode: "2031 BP", city: "Haarlem", country_code: "NL" },
      lines: [line(P.koffie, 6), line(P.thee, 2), line(P.kaasschaaf, 3)],
      payment: [{ gateway: "basic", method: "banktransfer", mutations: ["capture"] }],
    },
    {
      roles: ["numberAsString", "authorized"],
      at: at(40),
      drift: { numberAsString: true },
      email: "joost.vandenberg@example.nl",
      invoice: person({ gender: "M", name: "Joost van den Berg", phone: "0612345009", street: "Laan van Meerdervoort", number: "210", zipcode: "2517 BH", city: "Den Haag" }),
      lines: [line(P.plaid)],
      payment: "authorized",
    },
    {
      roles: ["taxAsObject"],
      at: at(30),
      drift: { taxAsObject: true },
      email: "emma.bakker@example.nl",
      // Only 21% lines (and shipping), so a single TaxPrice object is the whole VAT.
      invoice: person({ gender: "V", name: "Emma Bakker", phone: "0612345010", street: "Witte de Withstraat", number: "22C", zipcode: "3012 BP", city: "Rotterdam" }),
      lines: [line(P.mok, 2), line(P.kaasschaaf)],
    },
    {
      roles: ["shippingCountryEmpty", "belgium"],
      at: at(24),
      drift: { shippingCountryEmpty: true },
      shippingCost: 9.95,
      email: "wout.peeters@example.be",
      invoice: person({ gender: "M", name: "Wout Peeters", phone: "+32470123456", street: "Meir", number: "50", zipcode: "2000", city: "Antwerpen", country_code: "BE" }),
      lines: [line(P.mok, 4), line(P.stroopwafels, 2)],
      payment: [{ gateway: "mollie", method: "bancontact", mutations: ["capture"] }],
    },
    {
      roles: ["cancelled"],
      at: at(20),
      status: STATUS.GEANNULEERD,
      statusChangedAt: at(18),
      email: "noah.jansen@example.nl",
      invoice: person({ gender: "M", name: "Noah Jansen", phone: "0612345012", street: "Burchtstraat", number: "3", zipcode: "6511 RA", city: "Nijmegen" }),
      lines: [line(P.fietstas)],
      payment: "refunded",
    },
    {
      roles: ["test", "inProgress"],
      at: at(16),
      test: true,
      status: STATUS.IN_BEHANDELING,
      statusChangedAt: at(15),
      email: "winkelier@example.nl",
      invoice: person({ gender: "V", name: "Test Bestelling", phone: "0612345006", street: "Teststraat", number: "1", zipcode: "1000 AA", city: "Amsterdam" }),
      lines: [line(P.koffie), line(P.thee)],
    },
    {
      at: at(10),
      email: "anouk.hendriks@example.nl",
      // 9% and 21% lines: price.tax has two entries.
      invoice: person({ gender: "V", name: "Anouk Hendriks", phone: "0612345014", street: "Vrijthof", number: "18", zipcode: "6211 LD", city: "Maastricht" }),
      lines: [line(P.stroopwafels, 5), line(P.mok)],
    },
    {
      at: at(3),
      email: "sophie.willems@example.nl",
      comments: { customer: "Graag bij de buren afgeven als ik niet thuis ben." },
      invoice: person({ gender: "V", name: "Sophie Willems", phone: "0612345015", street: "Ginnekenweg", number: "112-B", zipcode: "4818 JJ", city: "Breda" }),
      lines: [line(P.fietstas), line(P.koffie, 2)],
    },
  ];
}

export type DemoSeed = { orders: MwwOrderRecord[]; roles: Record<DemoRole, number[]> };

/** Adds demoOrders(fake.now()) to the store behind `token` (default: the first store); `roles` maps to order numbers. */
export function seedDemoOrders(fake: FakeMijnwebwinkel, token?: string): DemoSeed {
  const store = fake.store(token);
  const roles = {} as Record<DemoRole, number[]>;
  const orders = demoOrders(fake.now()).map(({ roles: tags = [], ...input }) => {
    const record = store.addOrder(input);
    for (const tag of tags) (roles[tag] ??= []).push(record.seq);
    return record;
  });
  return { orders, roles };
}
