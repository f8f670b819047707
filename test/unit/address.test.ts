// Address understanding (issue 11, item 1): real-world street lines → street / number / addition, or the line whole.
// Conservative on purpose: a wrong split is worse than a whole line.
import { describe, expect, it } from "vitest";
import { addressOrdersOf, splitHouseNumber, splitStreetLine, understandAddress, type WholeLineReason } from "../../app/core/address";

type Row = {
  country: string;
  address1: string;
  address2?: string;
  /** [street, houseNumber, addition] */
  split?: [string, string, string | null];
  whole?: WholeLineReason;
  /** addressLine2 expected (default: address2 as given, or null). */
  line2?: string | null;
  note?: string;
};

const TABLE: Row[] = [
  // Netherlands
  { country: "NL", address1: "Keizersgracht 123", split: ["Keizersgracht", "123", null] },
  { country: "NL", address1: "Keizersgracht 123-A", split: ["Keizersgracht", "123", "A"] },
  { country: "NL", address1: "Keizersgracht 123 A", split: ["Keizersgracht", "123", "A"] },
  { country: "NL", address1: "Breestraat 112B", split: ["Breestraat", "112", "B"] },
  { country: "NL", address1: "2e Jan Steenstraat 10-III", split: ["2e Jan Steenstraat", "10", "III"] },
  { country: "NL", address1: "Laan van Meerdervoort 1001 hs", split: ["Laan van Meerdervoort", "1001", "hs"] },
  { country: "NL", address1: "Laan 1940-1945 12", split: ["Laan 1940-1945", "12", null] },
  { country: "NL", address1: "Plein 1944 12", split: ["Plein 1944", "12", null] },
  { country: "NL", address1: "Hoofdstraat, 12", split: ["Hoofdstraat", "12", null] },
  { country: "NL", address1: "Hoofdstraat", address2: "12a", split: ["Hoofdstraat", "12", "a"], line2: null },
  { country: "NL", address1: "Plein 1944", address2: "12", split: ["Plein 1944", "12", null], line2: null },
  { country: "NL", address1: "Kinkerstraat 12 3 hoog", split: ["Kinkerstraat", "12", "3 hoog"] },
  { country: "NL", address1: "Kinkerstraat 12 - 2", split: ["Kinkerstraat", "12", "2"] },
  { country: "NL", address1: "Kerkstraat12a", split: ["Kerkstraat", "12", "a"] },
  { country: "NL", address1: "Dorpsweg 5", address2: "Achterhuis", split: ["Dorpsweg", "5", null], line2: "Achterhuis" },
  { country: "NL", address1: "Hoofdstraat 12 3", whole: "ambiguous", note: "12-3 or 3? not certain" },
  { country: "NL", address1: "Plein 1944", whole: "ambiguous", note: "the year may be the street's name" },
  { country: "NL", address1: "Plein 40-45 3", whole: "ambiguous", note: "a number before the number that is no year" },
  { country: "NL", address1: "18 Septemberplein 5", whole: "ambiguous" },
  { country: "NL", address1: "Hoofdstraat", address2: "3 hoog", whole: "no_number", note: "a floor is no house number" },
  { country: "NL", address1: "Postbus 1234", whole: "po_box" },
  { country: "NL", address1: "Hoofdstraat", whole: "no_number" },
  { country: "NL", address1: "12 Hoofdstraat", whole: "ambiguous", note: "no number-first fallback in NL" },
  // Belgium
  { country: "BE", address1: "Meir 12 bus 3", split: ["Meir", "12", "bus 3"] },
  { country: "BE", address1: "Rue de la Loi 16 bte 3", split: ["Rue de la Loi", "16", "bte 3"] },
  { country: "BE", address1: "Kerkstraat 12/3", split: ["Kerkstraat", "12", "3"] },
  { country: "BE", address1: "Meir", address2: "12 bus 3", split: ["Meir", "12", "bus 3"], line2: null },
  { country: "BE", address1: "16 rue de la Loi", split: ["rue de la Loi", "16", null], note: "French order, tried second" },
  // Germany
  { country: "DE", address1: "Unter den Linden 77", split: ["Unter den Linden", "77", null] },
  { country: "DE", address1: "Straße des 17. Juni 135", split: ["Straße des 17. Juni", "135", null] },
  { country: "DE", address1: "Königsallee 92a", split: ["Königsallee", "92", "a"] },
  { country: "DE", address1: "Hauptstr. 5 b", split: ["Hauptstr.", "5", "b"] },
  { country: "DE", address1: "Friedrichstraße 43-45", split: ["Friedrichstraße", "43", "45"] },
  { country: "DE", address1: "Hauptstraße Nr. 5", split: ["Hauptstraße", "5", null] },
  { country: "DE", address1: "Berliner Str. 12 Hinterhaus", whole: "ambiguous" },
  { country: "DE", address1: "Postfach 10 12 34", whole: "po_box" },
  // Austria, Switzerland
  { country: "AT", address1: "Mariahilfer Straße 12/3/15", split: ["Mariahilfer Straße", "12", "3/15"] },
  { country: "AT", address1: "Stephansplatz 1", split: ["Stephansplatz", "1", null] },
  { country: "CH", address1: "Bahnhofstrasse 10", split: ["Bahnhofstrasse", "10", null] },
  { country: "CH", address1: "Rue du Rhône 48", split: ["Rue du Rhône", "48", null] },
  // Spain, Italy
  { country: "ES", address1: "Calle Mayor 5, 3º B", split: ["Calle Mayor", "5", "3º B"] },
  { country: "ES", address1: "Calle Mayor, 5, 3º B", split: ["Calle Mayor", "5", "3º B"] },
  { country: "ES", address1: "Avda. Diagonal 640, 6ª planta", split: ["Avda. Diagonal", "640", "6ª planta"] },
  { country: "ES", address1: "C/ Gran Vía 28", split: ["C/ Gran Vía", "28", null] },
  { country: "ES", address1: "Calle Mayor s/n", whole: "no_number", note: "sin número" },
  { country: "IT", address1: "Via Roma 10", split: ["Via Roma", "10", null] },
  { country: "IT", address1: "Via Roma, 10", split: ["Via Roma", "10", null] },
  { country: "IT", address1: "Via Garibaldi n. 5", split: ["Via Garibaldi", "5", null] },
  { country: "IT", address1: "Viale Europa 22/B", split: ["Viale Europa", "22", "B"] },
  { country: "IT", address1: "Via XX Settembre 14", split: ["Via XX Settembre", "14", null] },
  { country: "IT", address1: "Via Nazionale 5 int. 3", split: ["Via Nazionale", "5", "int. 3"] },
  { country: "IT", address1: "Via Nazionale 5, Roma", whole: "ambiguous", note: "a city is no addition" },
  // Poland, Czechia
  { country: "PL", address1: "ul. Marszałkowska 10/12", split: ["ul. Marszałkowska", "10", "12"] },
  { country: "PL", address1: "ul. Długa 5 m. 3", split: ["ul. Długa", "5", "m. 3"] },
  { country: "PL", address1: "al. Jerozolimskie 123A lok. 5", split: ["al. Jerozolimskie", "123", "A lok. 5"] },
  { country: "CZ", address1: "Václavské náměstí 846/1", split: ["Václavské náměstí", "846", "1"] },
  // Nordics
  { country: "DK", address1: "Vesterbrogade 12, 3. tv", split: ["Vesterbrogade", "12", "3. tv"] },
  { country: "DK", address1: "Nørrebrogade 20 st. th.", split: ["Nørrebrogade", "20", "st. th."] },
  { country: "SE", address1: "Drottninggatan 5 lgh 1102", split: ["Drottninggatan", "5", "lgh 1102"] },
  { country: "NO", address1: "Karl Johans gate 22B", split: ["Karl Johans gate", "22", "B"] },
  { country: "FI", address1: "Mannerheimintie 12 A 5", split: ["Mannerheimintie", "12", "A 5"] },
  // Luxembourg
  { country: "LU", address1: "12, rue de la Gare", split: ["rue de la Gare", "12", null] },
  { country: "LU", address1: "2, Place de Clairefontaine", split: ["Place de Clairefontaine", "2", null] },
  { country: "LU", address1: "rue de la Gare 12", split: ["rue de la Gare", "12", null], note: "street-first, tried second" },
  // France
  { country: "FR", address1: "12 rue de la Paix", split: ["rue de la Paix", "12", null] },
  { country: "FR", address1: "3, place de la Concorde", split: ["place de la Concorde", "3", null] },
  { country: "FR", address1: "12 bis rue Victor Hugo", split: ["rue Victor Hugo", "12", "bis"] },
  { country: "FR", address1: "12 B rue de Rivoli", whole: "ambiguous", note: "B: addition or street?" },
  { country: "FR", address1: "Lieu-dit Le Bourg", whole: "no_number" },
  { country: "FR", address1: "BP 123", whole: "po_box" },
  // United Kingdom, Ireland
  { country: "GB", address1: "10 Downing Street", split: ["Downing Street", "10", null] },
  { country: "GB", address1: "221B Baker Street", split: ["Baker Street", "221", "B"] },
  { country: "GB", address1: "Flat 3, 12 High Street", split: ["High Street", "12", null], line2: "Flat 3" },
  { country: "GB", address1: "Flat 3, 12 High Street", address2: "Kensington", split: ["High Street", "12", null], line2: "Flat 3, Kensington" },
  { country: "GB", address1: "Buckingham Palace", whole: "no_number" },
  { country: "GB", address1: "12-14 High Street", whole: "ambiguous", note: "a range" },
  { country: "GB", address1: "Unit 5, Riverside Industrial Estate", whole: "ambiguous" },
  { country: "GB", address1: "Baker Street 221B", whole: "ambiguous", note: "no street-first fallback in GB" },
  { country: "IE", address1: "12 O'Connell Street Upper", split: ["O'Connell Street Upper", "12", null] },
  { country: "IE", address1: "Apartment 4, 7 Pembroke Road", split: ["Pembroke Road", "7", null], line2: "Apartment 4" },
  { country: "IE", address1: "Ballymore", address2: "Co. Westmeath", whole: "no_number" },
  // United States, Canada, Australia
  { country: "US", address1: "1600 Amphitheatre Pkwy", split: ["Amphitheatre Pkwy", "1600", null] },
  { country: "US", address1: "350 5th Avenue", split: ["5th Avenue", "350", null] },
  { country: "US", address1: "1 Infinite Loop", address2: "Suite 200", split: ["Infinite Loop", "1", null], line2: "Suite 200" },
  { country: "US", address1: "123 Main St Apt 4B", whole: "ambiguous", note: "the unit's number in the street" },
  { country: "US", address1: "123 Main St, Suite 200", whole: "ambiguous" },
  { country: "US", address1: "P.O. Box 1234", whole: "po_box" },
  { country: "US", address1: "N6W23001 Bluemound Rd", whole: "ambiguous", note: "Wisconsin grid address" },
  { country: "US", address1: "One World Trade Center", whole: "no_number" },
  { country: "US", address1: "County Road 12", whole: "ambiguous" },
  { country: "CA", address1: "24 Sussex Drive", split: ["Sussex Drive", "24", null] },
  { country: "CA", address1: "1000 Rue Sainte-Catherine O", split: ["Rue Sainte-Catherine O", "1000", null] },
  { country: "CA", address1: "5-123 Main St", whole: "ambiguous", note: "unit 5 at number 123" },
  { country: "AU", address1: "3/12 Smith Street", whole: "ambiguous", note: "unit 3 at number 12" },
  // Elsewhere, and nothing
  { country: "HK", address1: "Flat 5, 12/F, 88 Queen's Road Central", whole: "unknown_country" },
  { country: "NL", address1: "", address2: "Hoofdstraat 12", split: ["Hoofdstraat", "12", null], line2: null, note: "address2 moves up" },
  { country: "NL", address1: "  ", whole: "empty" },
];

describe("understandAddress", () => {
  it("the table covers at least 40 lines in at least 12 countries", () => {
    expect(TABLE.length).toBeGreaterThanOrEqual(40);
    expect(new Set(TABLE.map((r) => r.country)).size).toBeGreaterThanOrEqual(12);
  });

  it.each(TABLE.map((r) => [`${r.country} ${JSON.stringify(r.address1)}${r.address2 ? ` + ${JSON.stringify(r.address2)}` : ""}`, r] as const))(
    "%s",
    (_name, r) => {
      const got = understandAddress({ address1: r.address1, address2: r.address2 ?? null, country: r.country });
      const line2 = r.line2 !== undefined ? r.line2 : (r.address2 ?? null);
      if (r.split) {
        const [street, houseNumber, houseNumberAddition] = r.split;
        expect(got).toEqual({ kind: "split", street, houseNumber, houseNumberAddition, addressLine2: line2 });
      } else {
        expect(got).toMatchObject({ kind: "whole_line", reason: r.whole, addressLine2: line2 });
      }
    },
  );

  it("a whole line is the customer's line, whitespace tidied, never a guess", () => {
    expect(understandAddress({ address1: "  Buckingham   Palace ", address2: " The Mall ", country: "gb" })).toEqual({
      kind: "whole_line",
      addressLine1: "Buckingham Palace",
      addressLine2: "The Mall",
      reason: "no_number",
    });
    expect(understandAddress({ address1: "Hoofdstraat 12 3", country: "NL" })).toMatchObject({ addressLine1: "Hoofdstraat 12 3", addressLine2: null });
    expect(understandAddress({ address1: null, country: "NL" })).toMatchObject({ kind: "whole_line", addressLine1: "", reason: "empty" });
  });

  it("country codes are read case-insensitively; unknown countries get no split", () => {
    expect(understandAddress({ address1: "10 Downing Street", country: "gb" })).toMatchObject({ kind: "split", houseNumber: "10" });
    expect(addressOrdersOf(" be ")).toEqual(["street_number", "number_street"]);
    expect(understandAddress({ address1: "Hoofdstraat 12", country: "" })).toMatchObject({ kind: "whole_line", reason: "unknown_country" });
  });
});

describe("splitStreetLine / splitHouseNumber (the Shopify adapter's street-first split)", () => {
  it("share understandAddress's street-first grammar", () => {
    expect(splitStreetLine("Keizersgracht 123-A")).toEqual({ street: "Keizersgracht", houseNumber: "123", houseNumberAddition: "A" });
    expect(splitStreetLine("Meir 12 bus 3")).toEqual({ street: "Meir", houseNumber: "12", houseNumberAddition: "bus 3" });
    expect(splitStreetLine("Hoofdstraat, 12")).toEqual({ street: "Hoofdstraat", houseNumber: "12", houseNumberAddition: null });
    expect(splitStreetLine("Hoofdstraat 12 3")).toBeNull();
    expect(splitStreetLine("Postbus 1234")).toBeNull();
    expect(splitStreetLine("")).toBeNull();
    expect(splitHouseNumber("Kerkstraat 12", "DE")).toBeNull();
    expect(splitHouseNumber("rue de la Gare 12", "LU")).toEqual({ street: "rue de la Gare", houseNumber: "12", houseNumberAddition: null });
  });
});
