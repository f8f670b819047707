// Address rules every platform shares: Dutch and Belgian shops keep street and house number in one line, carriers
// want them apart.

/**
 * Split an address line ("Keizersgracht 123-A", "Meir 12 bus 3", "Laan van Meerdervoort 1001 hs") into street, house
 * number and addition. Null when the line does not look like "street number [addition]".
 */
export function splitStreetLine(address1: string): { street: string; houseNumber: string; houseNumberAddition: string | null } | null {
  const line = address1.trim().replace(/\s+/g, " ");
  const m =
    /^(?<street>.+?) (?<num>\d{1,5}) ?[-/]? ?(?<add>(?:bus|bte|boîte) ?\S{1,6})$/iu.exec(line) ??
    /^(?<street>.+) (?<num>\d{1,5})(?: ?[-/]? ?(?<add>[\p{L}\d]{1,6}))?$/u.exec(line);
  const g = m?.groups;
  if (!g?.street || !g.num || !/\p{L}/u.test(g.street)) return null;
  return { street: g.street.replace(/[,\s]+$/, ""), houseNumber: g.num, houseNumberAddition: g.add ?? null };
}

const HOUSE_NUMBER_COUNTRIES = new Set(["NL", "BE", "LU"]);

/** splitStreetLine for the countries whose addresses are written "street number" (NL, BE, LU); null elsewhere. */
export function splitHouseNumber(address1: string, countryCode: string) {
  return HOUSE_NUMBER_COUNTRIES.has(countryCode.toUpperCase()) ? splitStreetLine(address1) : null;
}
