// "Adres aanpassen": the merchant's own correction of an order's ship-to, as a form. One zod schema per locale, so each
// field carries one message in the merchant's language; the result is a ShipTo with street and house number apart, so
// the carrier gets exactly what the merchant typed (no guessing by understandAddress). An address without a house
// number ("Rose Cottage", "12-14 High Street") leaves Huisnummer empty: Straat is then the whole line, which the
// carrier receives as its address line 1 where it takes one (not for NL: every Dutch address has a number, so the form
// asks for it). Pure and shared by the route (server) and the form in the label dialog (browser): imports nothing
// server-only.
import { z } from "zod";
import type { ShipTo } from "../domain";
import type { CarrierAddress } from "../ports";
import { addressOrdersOf } from "../address";
import { normalisePostcode, SUPPORTED_COUNTRIES } from "../from-address";
import { t, type Locale, type MessageKey } from "../../i18n";
import { cleanText, textInput } from "../text-input";

export const SHIP_TO_FIELDS = [
  "name",
  "company",
  "street",
  "houseNumber",
  "houseNumberAddition",
  "address2",
  "postcode",
  "city",
  "country",
  "phone",
] as const;
export type ShipToField = (typeof SHIP_TO_FIELDS)[number];
export type ShipToValues = Record<ShipToField, string>;
export type ShipToErrors = Partial<Record<ShipToField, string>>;

/** The countries the form's Select lists first (the order's own country is added when it is another). */
export const SHIP_TO_COUNTRIES = SUPPORTED_COUNTRIES;

// Codes Intl knows that are no country (or no ISO 3166-1 code: "UK" is GB).
const NOT_A_COUNTRY = new Set(["UK", "EU", "EZ", "UN", "ZZ", "QO", "XA", "XB"]);
let regionNames: Intl.DisplayNames | null | undefined;

/** An ISO 3166-1 alpha-2 code Intl knows (NL, GB, US …); "XX", "UK" or "EU" are none. */
export function isCountryCode(code: string): boolean {
  if (!/^[A-Z]{2}$/.test(code) || NOT_A_COUNTRY.has(code)) return false;
  if (regionNames === undefined) {
    try {
      regionNames = new Intl.DisplayNames(["en"], { type: "region", fallback: "none" });
    } catch {
      regionNames = null;
    }
  }
  return regionNames ? regionNames.of(code) !== undefined : true;
}

/** The country's name in the merchant's language: Koppel's own word for the countries it lists, else Intl's. */
export function countryName(locale: Locale, code: string): string {
  const own = t(locale, `country.${code}`);
  if (own !== `country.${code}`) return own;
  try {
    return new Intl.DisplayNames([locale], { type: "region", fallback: "code" }).of(code) ?? code;
  } catch {
    return code;
  }
}

const FOUR_OR_FIVE_DIGITS = new Set(["BE", "AT", "DK", "LU", "DE", "FR", "ES", "IT"]);

/** The correction form (strings from FormData) → the corrected ShipTo. */
export function shipToCorrectionSchema(locale: Locale) {
  const msg = (key: MessageKey) => ({ error: t(locale, key) });
  const required = (key: MessageKey, max = 100) => textInput(msg(key)).trim().min(1, msg(key)).max(max, msg(key));
  const optional = (key: MessageKey, max = 100) =>
    textInput(msg(key))
      .trim()
      .max(max, msg(key))
      .optional()
      .transform((v) => v || null);

  return z
    .object({
      name: required("shipTo.error.name"),
      company: optional("shipTo.error.company"),
      street: required("shipTo.error.street").refine((v) => /\p{L}/u.test(v), msg("shipTo.error.street")),
      // Empty: the address has no house number (or none a carrier could take apart), Straat is the whole line.
      houseNumber: textInput(msg("shipTo.error.houseNumber"))
        .trim()
        .regex(/^(?:\d{1,6})?$/, msg("shipTo.error.houseNumber"))
        .optional()
        .transform((v) => v || null),
      houseNumberAddition: textInput(msg("shipTo.error.houseNumberAddition"))
        .trim()
        .max(10, msg("shipTo.error.houseNumberAddition"))
        .regex(/^[\p{L}\d\s\-/]*$/u, msg("shipTo.error.houseNumberAddition"))
        .optional()
        .transform((v) => v || null),
      address2: optional("shipTo.error.address2"),
      // Checked against the country below, so a bad postcode gives one message on this field.
      postcode: textInput(msg("shipTo.error.postcode")).trim().max(12, msg("shipTo.error.postcode")),
      city: required("shipTo.error.city"),
      country: textInput(msg("shipTo.error.country"))
        .trim()
        .toUpperCase()
        .refine(isCountryCode, msg("shipTo.error.country")),
      phone: textInput(msg("shipTo.error.phone"))
        .trim()
        .optional()
        .refine((v) => !v || (/^\+?[\d\s\-().]{6,20}$/.test(v) && v.replace(/\D/g, "").length >= 6), msg("shipTo.error.phone"))
        .transform((v) => v || null),
    })
    .superRefine(
      (value, ctx) => {
        // Runs even when other fields failed (when: below), so the merchant sees every problem at once.
        const country = typeof value.country === "string" ? value.country.trim().toUpperCase() : "";
        const postcode = typeof value.postcode === "string" ? value.postcode.trim() : "";
        const issue = (key: MessageKey) => ctx.addIssue({ code: "custom", path: ["postcode"], message: t(locale, key) });
        // No number: fine where the line may go whole, never in NL; and an addition needs the number it belongs to.
        const number = typeof value.houseNumber === "string" ? value.houseNumber.trim() : "";
        const addition = typeof value.houseNumberAddition === "string" ? value.houseNumberAddition.trim() : "";
        if (!number && (country === "NL" || addition))
          ctx.addIssue({ code: "custom", path: ["houseNumber"], message: t(locale, country === "NL" ? "shipTo.error.houseNumberNL" : "shipTo.error.houseNumberForAddition") });
        if (country === "NL" || FOUR_OR_FIVE_DIGITS.has(country)) {
          if (!postcode) issue("shipTo.error.postcode");
          else if (normalisePostcode(country, postcode) === null) issue(country === "NL" ? "fromAddress.error.postcode.NL" : postcodeFormatKey(country));
        } else if (postcode && !/^[\p{L}\d][\p{L}\d \-]{1,11}$/u.test(postcode)) issue("shipTo.error.postcode");
      },
      { when: (payload) => typeof payload.value === "object" && payload.value !== null },
    )
    .transform((v): ShipTo => {
      const known = v.country === "NL" || FOUR_OR_FIVE_DIGITS.has(v.country);
      const postcode = known ? normalisePostcode(v.country, v.postcode)! : v.postcode.replace(/\s+/g, " ").toUpperCase();
      // Without a number the street field is the whole line (street and number stay unset: the carrier gets the line).
      const number = v.houseNumber;
      return {
        name: v.name,
        company: v.company,
        address1: number ? streetLine(v.country, v.street, number, v.houseNumberAddition) : v.street,
        address2: v.address2,
        street: number ? v.street : null,
        houseNumber: number,
        houseNumberAddition: number ? v.houseNumberAddition : null,
        postcode,
        city: v.city,
        country: v.country,
        phone: v.phone,
      };
    });
}

function postcodeFormatKey(country: string): MessageKey {
  return ["BE", "AT", "DK", "LU"].includes(country) ? "fromAddress.error.postcode.4" : "fromAddress.error.postcode.5";
}

/** The street line as the country writes it: "Hoofdstraat 12a" (street first), "10 Downing Street" (number first). */
export function streetLine(country: string, street: string, houseNumber: string, addition: string | null): string {
  const glue = !addition ? "" : /^\p{L}{1,3}$/u.test(addition) ? "" : /^\d+$/.test(addition) ? "-" : " ";
  const number = addition ? `${houseNumber}${glue}${addition}` : houseNumber;
  return addressOrdersOf(country)[0] === "number_street" ? `${number} ${street}` : `${street} ${number}`;
}

export type ShipToCorrectionParse = { ok: true; shipTo: ShipTo } | { ok: false; errors: ShipToErrors; values: ShipToValues };

/** Parses the form; on failure the first message per field and the values to show again. */
export function parseShipToCorrection(locale: Locale, input: Record<string, unknown>): ShipToCorrectionParse {
  const values = shipToStringValues(input);
  const parsed = shipToCorrectionSchema(locale).safeParse(values);
  if (parsed.success) return { ok: true, shipTo: parsed.data };
  const errors: ShipToErrors = {};
  for (const issue of parsed.error.issues) {
    const field = issue.path[0];
    if (typeof field === "string" && (SHIP_TO_FIELDS as readonly string[]).includes(field)) errors[field as ShipToField] ??= issue.message;
  }
  return { ok: false, errors, values };
}

/** The carrier's refusals of a corrected address (missingAddressFields), as messages on the form's fields. */
export function carrierFieldErrors(locale: Locale, missing: readonly string[]): ShipToErrors {
  const errors: ShipToErrors = {};
  for (const f of missing) {
    const field: ShipToField | null =
      f === "name" || f === "street" || f === "houseNumber" || f === "postcode" || f === "city" || f === "country" ? f : f === "address" ? "street" : null;
    if (field) errors[field] ??= t(locale, "shipTo.error.carrier", { field: t(locale, `labels.field.${f}`) });
  }
  return errors;
}

/**
 * The form's first values: the correction itself when there is one; else the imported address as the carrier would
 * read it (street and number when the split is certain, else the whole line in Straat for the merchant to split).
 */
export function shipToFormValues(shipTo: ShipTo | null, asCarrier: Partial<CarrierAddress> | null, corrected: boolean): ShipToValues {
  const base = shipTo ?? ({ name: "", address1: "", postcode: "", city: "", country: "NL" } as ShipTo);
  const s = (v: string | null | undefined) => cleanText(v ?? "").trim();
  const split = corrected || !asCarrier ? null : asCarrier;
  return {
    name: s(base.name),
    company: s(base.company),
    // A correction without a number keeps its whole line in address1 (street unset).
    street: corrected ? s(base.street) || s(base.address1) : s(split?.street) || s(split?.addressLine1) || s(base.address1),
    houseNumber: corrected ? s(base.houseNumber) : s(split?.houseNumber),
    houseNumberAddition: corrected ? s(base.houseNumberAddition) : s(split?.houseNumberAddition),
    address2: corrected ? s(base.address2) : split ? s(split.addressLine2) : s(base.address2),
    postcode: s(base.postcode),
    city: s(base.city),
    country: s(base.country).toUpperCase() || "NL",
    phone: s(base.phone),
  };
}

function shipToStringValues(src: Record<string, unknown>): ShipToValues {
  const out = {} as ShipToValues;
  for (const f of SHIP_TO_FIELDS) {
    const v = src[f];
    out[f] = typeof v === "string" ? cleanText(v) : "";
  }
  return out;
}

/** An address the way the dialog shows it: as the carrier will receive it. */
export type CarrierAddressView = {
  name: string;
  company: string | null;
  street: string | null;
  houseNumber: string | null;
  houseNumberAddition: string | null;
  /** The whole line, when no split is certain (then street and houseNumber are null). */
  addressLine1: string | null;
  addressLine2: string | null;
  postcode: string;
  city: string;
  country: string;
};

export type ShipToView = {
  orderId: number;
  number: string;
  /** The effective ship-to as the shop's carrier will receive it (null: the order has no ship-to). */
  address: CarrierAddressView | null;
  /** What the shop's carrier would refuse about it (labels.field.* keys); [] without a carrier connection. */
  missing: string[];
  corrected: boolean;
  correctedAt: string | null;
  /** The shop's own address when it was corrected (shown beneath, for comparison). */
  imported: CarrierAddressView | null;
  /** The form's first values. */
  values: ShipToValues;
};

/** The address as lines for the dialog: name, company, the street line (split or whole), line 2, postcode + city, country. */
export function addressLines(a: CarrierAddressView, country: (code: string) => string): string[] {
  const street = a.street && a.houseNumber ? streetLine(a.country, a.street, a.houseNumber, a.houseNumberAddition) : (a.addressLine1 ?? "");
  return [a.name, a.company ?? "", street, a.addressLine2 ?? "", [a.postcode, a.city].filter(Boolean).join(" "), a.country ? country(a.country) : ""].filter(
    (l) => l.trim() !== "",
  );
}

/** The carrier's refused fields in words ("huisnummer, postcode") and how many: for labels.incompleteBadge and friends. */
export function missingFieldsParams(t: (key: string) => string, missing: readonly string[]): { fields: string; count: number } {
  return { fields: missing.map((f) => t(`labels.field.${f}`)).join(", "), count: missing.length };
}
