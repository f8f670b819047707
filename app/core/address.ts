// Address understanding: shops hand Koppel an address as one or two free lines ("Keizersgracht 123-A",
// "10 Downing Street", "Hoofdstraat" + "12a"); carriers want street, house number and addition apart. Pure, no I/O.
//
// The rule throughout: a wrong split is worse than no split. When the house number is not certain, the line is
// handed on whole (kind "whole_line") and the carrier gets it as its address line 1, exactly as the customer typed it.

// ------------------------------------------------------------------------------------------------ country formats

/** How a country writes its street line: "Keizersgracht 123" (street_number) or "10 Downing Street" (number_street). */
export type AddressOrder = "street_number" | "number_street";

/**
 * Per destination country, the orders tried, first one first. A country in neither list gets no split at all (its
 * lines go whole). BE is street-first but French-speaking customers sometimes write "16 rue de la Loi"; Luxembourg's
 * postal standard is "12, rue de la Gare" but "rue de la Gare 12" is common too: both try the other order second
 * (each order's grammar is strict, so a line can hardly match the wrong one).
 */
export const ADDRESS_ORDERS: Readonly<Record<string, readonly AddressOrder[]>> = Object.freeze({
  ...Object.fromEntries(
    // Street, then number: the Benelux, German-speaking, Nordic, Iberian, Italian, Central and Eastern European lands.
    ["NL", "DE", "AT", "CH", "LI", "ES", "PT", "IT", "SM", "VA", "PL", "CZ", "SK", "SI", "HR", "HU", "DK", "SE", "NO", "FI", "IS", "EE", "LV", "LT", "GR", "RO"].map(
      (c) => [c, ["street_number"] as const],
    ),
  ),
  // Number, then street: the English-speaking world and France (with Monaco).
  ...Object.fromEntries(["GB", "IE", "US", "CA", "AU", "NZ", "FR", "MC"].map((c) => [c, ["number_street"] as const])),
  BE: ["street_number", "number_street"],
  LU: ["number_street", "street_number"],
});

export function addressOrdersOf(country: string): readonly AddressOrder[] {
  return ADDRESS_ORDERS[country.trim().toUpperCase()] ?? [];
}

// ------------------------------------------------------------------------------------------------ understandAddress

export type AddressLines = { address1: string | null | undefined; address2?: string | null; country: string };

/**
 * Why no split was made. `no_number`: the lines hold no digit (a named house, a rural address, "s/n");
 * `po_box`: a PO box, which has a number but no street; `ambiguous`: digits, but no split is certain;
 * `unknown_country`: Koppel does not know how this country writes its addresses; `empty`: nothing given.
 */
export type WholeLineReason = "empty" | "no_number" | "po_box" | "ambiguous" | "unknown_country";

export type UnderstoodAddress =
  | { kind: "split"; street: string; houseNumber: string; houseNumberAddition: string | null; addressLine2: string | null }
  | { kind: "whole_line"; addressLine1: string; addressLine2: string | null; reason: WholeLineReason };

type Split = { street: string; houseNumber: string; houseNumberAddition: string | null };
/** A parse either splits, or says why not (the most telling reason wins when several orders were tried). */
type Parsed = Split | { fail: "ambiguous" | "no_candidate" };

/**
 * The address lines of one address, understood: street, house number and addition when certain, else the line whole.
 *
 * - address1 alone: "Keizersgracht 123-A", "Meir 12 bus 3", "Hoofdstraat, 12", "Calle Mayor 5, 3º B" (street first);
 *   "10 Downing Street", "221B Baker Street", "12, rue de la Paix" (number first), "Flat 3, 12 High Street" (the flat
 *   moves to addressLine2). address2 stays addressLine2.
 * - the number alone in address2 (street-first countries): "Hoofdstraat" + "12a" → split, addressLine2 null.
 * - address1 empty, address2 given: address2 is the line.
 * - anything else: whole_line, address1 as addressLine1 (whitespace tidied), address2 as addressLine2.
 */
export function understandAddress(input: AddressLines): UnderstoodAddress {
  let line1 = tidy(input.address1);
  let line2: string | null = tidy(input.address2) || null;
  if (!line1 && line2) [line1, line2] = [line2, null];
  const whole = (reason: WholeLineReason): UnderstoodAddress => ({ kind: "whole_line", addressLine1: line1, addressLine2: line2, reason });
  if (!line1) return whole("empty");
  if (PO_BOX.test(line1)) return whole("po_box");
  const orders = addressOrdersOf(input.country);
  if (!orders.length) return whole("unknown_country");

  let ambiguous = false;
  for (const order of orders) {
    if (order === "street_number") {
      const one = parseStreetFirst(line1);
      if (isSplit(one)) return { kind: "split", ...one, addressLine2: line2 };
      ambiguous ||= one.fail === "ambiguous";
      // The number on the second line: "Hoofdstraat" + "12a", "Meir" + "12 bus 3", "Plein 1944" + "12".
      if (line2 && numberLineAlone(line2)) {
        const both = parseStreetFirst(`${line1} ${line2}`, line1.split(" ").length);
        if (isSplit(both)) return { kind: "split", ...both, addressLine2: null };
      }
    } else {
      const one = parseNumberFirst(line1);
      if ("prefix" in one) {
        const { prefix, ...split } = one;
        return { kind: "split", ...split, addressLine2: prefix ? [prefix, line2].filter(Boolean).join(", ") : line2 };
      }
      ambiguous ||= one.fail === "ambiguous";
    }
  }
  // A number somewhere that could be the house number (a floor on the second line, "3 hoog", is none).
  const digits = /\d/.test(line1) || (line2 !== null && startsWithNumber(line2));
  return whole(ambiguous || digits ? "ambiguous" : "no_number");
}

function isSplit(p: Parsed): p is Split {
  return !("fail" in p);
}

/** Whitespace collapsed, commas as ", ", "12 - A" as "12-A", leading and trailing commas dropped. */
function tidy(s: string | null | undefined): string {
  return (s ?? "")
    .normalize("NFC")
    .replace(/\s+/g, " ")
    .replace(/ ?, ?/g, ", ")
    .replace(/(\d) ?([-/]) ?(?=[\p{L}\d])/gu, "$1$2")
    .replace(/[\s,]+$/, "")
    .trim()
    .replace(/^,\s*/, "");
}

/** PO boxes, in the languages Koppel ships to: a number, but no street to put it on. */
const PO_BOX =
  /^(?:postbus|antwoordnummer|postfach|postfack|postboks|postilokero|p\.?\s?o\.?\s?box|post office box|box|pob|gpo box|locked bag|private bag|bo[iî]te postale|b\.?\s?p\.?|cs|apartado(?: de correos)?|apdo\.?|casella postale|c\.p\.|skrytka pocztowa|pl)\s*\d/iu;

// ------------------------------------------------------------------------------------------------ street first

/** The house number token: 12, 12a, 112B, 12bis, 12-A, 10-III, 12/3, 12/3/15, 43-45. */
const NUMBER_TOKEN = /^(\d{1,5})(?:([\p{L}]{1,3})|[-/]([\p{L}\d]{1,6}(?:[-/][\p{L}\d]{1,6})*))?$/u;
/** Words that say "the number follows": Hauptstraße Nr. 5, Via Garibaldi n. 5, Calle Mayor nº 5. */
const NUMBER_PREFIX = /^(?:nr|no|n|n°|nº|num|núm|nro|número|numero|numéro|hausnummer|huisnummer)\.?$|^n[°º]$/iu;
/** Words of an addition that need a value after them: "bus 3", "m. 3", "lgh 1102", "int. 5", "Top 5". */
const VALUE_WORDS = new Set(
  "bus bte boîte boite box app appt apt apartment flat unit suite lgh m lok lokal int interno sc scala esc escalera pta puerta piso top stiege stg tür whg wohnung".split(" "),
);
/** Floor words (after a floor number): "3 hoog", "2e verdieping", "6ª planta", "2. OG". */
const FLOOR_WORDS = new Set("hoog verdieping etage étage stock og planta piso".split(" "));
/** Addition words that stand alone: 12 bis, 1001 hs, 5 bajo izq., 12 st. th. (Danish), 3. tv. */
const ADDITION_WORDS = new Set(
  "bis ter quater huis boven beneden bov ben hs bg izq izda izqda izquierda dcha dch drcha der derecha bajo bajos ático atico entlo entresuelo pral principal ctro centro tv th mf st kl sal".split(
    " ",
  ),
);
const ROMAN = /^(?=[ivx]+$)x{0,2}(?:ix|iv|v?i{0,3})$/i;
/** A year or a span of years in a street name: Plein 1944, Laan 1940-1945. */
const YEARS = /^(?:1[89]|20)\d\d(?:-(?:1[89]|20)\d\d)?$/;
/** One-word streets that also take a year as their name ("Plein 1944"): with a year-like number alone, no split. */
const YEAR_NAMED = new Set("plein laan straat weg kade markt park singel dreef hof dijk gracht platz straße strasse allee".split(" "));

function additionToken(token: string): boolean {
  const t = token.toLowerCase().replace(/\.$/, "");
  if (!t) return false;
  return (
    /^\d{1,4}$/.test(t) ||
    /^\d{1,4}[\p{L}ºª°]{1,3}$/u.test(t) ||
    /^\d{1,4}[-/][\p{L}\d]{1,4}$/u.test(t) ||
    /^\p{L}{1,2}$/u.test(t) ||
    (t.length > 0 && ROMAN.test(t)) ||
    VALUE_WORDS.has(t) ||
    FLOOR_WORDS.has(t) ||
    ADDITION_WORDS.has(t)
  );
}

/**
 * What may follow the house number: nothing, or up to four short addition tokens ("A", "bus 3", "3 hoog",
 * "A lok. 5", "A 5"), or after a comma a Spanish or Danish floor and door ("3º B", "3. tv"). A bare number after a
 * space is no addition ("Hoofdstraat 12 3" stays whole: which number is the house?), unless a floor word follows.
 */
function validTail(tail: string[], afterComma: boolean): boolean {
  if (tail.length === 0) return true;
  if (tail.length > 4 || tail.join(" ").length > 20) return false;
  if (!tail.every(additionToken)) return false;
  const first = tail[0]!;
  if (!afterComma && /^\d+$/.test(first) && !(tail[1] && FLOOR_WORDS.has(tail[1].toLowerCase().replace(/\.$/, "")))) return false;
  if (VALUE_WORDS.has(tail[tail.length - 1]!.toLowerCase().replace(/\.$/, ""))) return false;
  return true;
}

/** A line that holds only a house number (the second line of "Hoofdstraat" + "12a"), no floor: "3 hoog" is no number. */
function numberLineAlone(line: string): boolean {
  const tokens = line.split(" ");
  const start = NUMBER_PREFIX.test(tokens[0]!) ? 1 : 0;
  const head = tokens[start]?.replace(/,$/, "");
  if (!head || !NUMBER_TOKEN.test(head)) return false;
  const tail = tokens.slice(start + 1);
  return validTail(tail, tokens[start]!.endsWith(",")) && !tail.some((t) => FLOOR_WORDS.has(t.toLowerCase().replace(/\.$/, "")));
}

function startsWithNumber(line: string): boolean {
  const tokens = line.split(" ");
  const start = NUMBER_PREFIX.test(tokens[0]!) ? 1 : 0;
  return /^\d/.test(tokens[start] ?? "") && !tokens.some((t) => FLOOR_WORDS.has(t.toLowerCase().replace(/\.$/, "")));
}

/**
 * "street number [addition]": the first token (after the street) that reads as a house number and is followed only by
 * an addition. `minIndex`: the number must come from that token on (the second line, when the lines were joined).
 */
function parseStreetFirst(line: string, minIndex = 1): Parsed {
  // "Kerkstraat12a": a long word glued to a number at the end of the line.
  const tokens = line.replace(/(\p{L}{4,}\.?)(\d{1,5}\p{L}{0,2})$/u, "$1 $2").split(" ");
  for (let i = Math.max(1, minIndex); i < tokens.length; i++) {
    const raw = tokens[i]!;
    const afterComma = raw.endsWith(",");
    const m = NUMBER_TOKEN.exec(afterComma ? raw.slice(0, -1) : raw);
    if (!m) continue;
    const tail = tokens.slice(i + 1);
    if (!validTail(tail, afterComma)) continue;

    const streetTokens = tokens.slice(0, i);
    if (streetTokens.length > 1 && NUMBER_PREFIX.test(streetTokens[streetTokens.length - 1]!)) streetTokens.pop();
    const street = streetTokens.join(" ").replace(/,$/, "");
    const last = streetTokens[streetTokens.length - 1]!.replace(/[,.]$/, "");
    const houseNumber = m[1]!;
    if ((street.match(/\p{L}/gu) ?? []).length < 2) return { fail: "ambiguous" };
    // A comma inside the street ("Kasteel De Haar, Kasteellaan 1"): a building or locality, not certain.
    if (street.includes(",")) return { fail: "ambiguous" };
    // A street starting with a plain number ("12 Hoofdstraat 5", "18 Septemberplein 5"): which is the house?
    if (/^\d+$/.test(streetTokens[0]!.replace(/,$/, ""))) return { fail: "ambiguous" };
    // Another number right before this one ("Hoofdstraat 12 3", "Plein 40-45 3"), unless it is a year in the name.
    if (/^\d/.test(last) && !YEARS.test(last)) return { fail: "ambiguous" };
    // "Plein 1944", "Laan 1940-1945": the year may be the street's name, not its house number.
    if (streetTokens.length === 1 && YEAR_NAMED.has(street.toLowerCase()) && YEARS.test(`${houseNumber}${m[3] ? `-${m[3]}` : ""}`))
      return { fail: "ambiguous" };
    if (PO_BOX.test(`${street} ${houseNumber}`)) return { fail: "ambiguous" };

    const addition = [m[2] ?? m[3], ...tail].filter(Boolean).join(" ");
    return { street, houseNumber, houseNumberAddition: addition || null };
  }
  return { fail: /\d/.test(line) ? "ambiguous" : "no_candidate" };
}

/**
 * "street number [addition]" for one line; null when not certain. The street-first grammar of understandAddress, for
 * callers that know the country writes street first (the Shopify adapter splits NL, BE and LU addresses with it).
 */
export function splitStreetLine(address1: string): Split | null {
  const line = tidy(address1);
  if (!line || PO_BOX.test(line)) return null;
  const parsed = parseStreetFirst(line);
  return isSplit(parsed) ? parsed : null;
}

const HOUSE_NUMBER_COUNTRIES = new Set(["NL", "BE", "LU"]);

/** splitStreetLine for the countries whose addresses are written "street number" (NL, BE, LU); null elsewhere. */
export function splitHouseNumber(address1: string, countryCode: string) {
  return HOUSE_NUMBER_COUNTRIES.has(countryCode.toUpperCase()) ? splitStreetLine(address1) : null;
}

// ------------------------------------------------------------------------------------------------ number first

/** A sub-premise before the street line ("Flat 3, 12 High Street"): it goes to addressLine2. */
const SUB_PREMISE = /^((?:flat|apartment|apt|unit|suite|ste|room|studio|appartement|appt)\.? ?[\p{L}\d]{1,5}), (.+)$/iu;
/** English ordinals in a street name: 350 5th Avenue. */
const ORDINAL = /^\d{1,3}(?:st|nd|rd|th)$/i;

/**
 * "number [addition] street": 10 Downing Street, 221B Baker Street, 12 bis rue de la Paix, 12, rue de la Paix.
 * Strict: no ranges, slashes or unit-number pairs ("12-14 High Street", "3/12 Smith Street", "5-123 Main St"), no other
 * number in the street ("123 Main St Apt 4", "County Road 12"), no comma in the street: those go whole.
 */
function parseNumberFirst(line: string): (Split & { prefix: string | null }) | { fail: "ambiguous" | "no_candidate" } {
  const sub = SUB_PREMISE.exec(line);
  const prefix = sub ? sub[1]! : null;
  const tokens = (sub ? sub[2]! : line).split(" ");
  const first = tokens[0]!.replace(/,$/, "");
  if (!/^\d/.test(first)) return { fail: /\d/.test(line) ? "ambiguous" : "no_candidate" };
  // 221B, 12A, 12bis; not "2e" (a French ordinal: "2e étage").
  const m = /^(\d{1,5})(bis|ter|quater|[a-df-z])?$/iu.exec(first);
  if (!m) return { fail: "ambiguous" };
  let rest = tokens.slice(1);
  let addition = m[2] ?? null;
  if (!addition && !tokens[0]!.endsWith(",") && rest[0] && /^(?:bis|ter|quater),?$/i.test(rest[0])) {
    addition = rest[0].replace(/,$/, "");
    rest = rest.slice(1);
  }
  const street = rest.join(" ");
  if (!rest.length || (street.match(/\p{L}/gu) ?? []).length < 2) return { fail: "ambiguous" };
  // "12 B rue de Rivoli": is B an addition or part of the street? Not certain.
  if (/^\p{L}$/u.test(rest[0]!)) return { fail: "ambiguous" };
  if (street.includes(",") || street.includes("#")) return { fail: "ambiguous" };
  if (rest.some((t) => /\d/.test(t) && !ORDINAL.test(t))) return { fail: "ambiguous" };
  return { street, houseNumber: m[1]!, houseNumberAddition: addition, prefix };
}
