// The "Standaard afzendadres" form: one zod schema per locale, so every field carries one message in the merchant's
// language. Shared by the route (server) and the form component (country list), so it imports nothing server-only.
import { z } from "zod";
import type { FromAddress } from "./domain";
import { t, type Locale, type MessageKey } from "../i18n";
import { cleanText, textInput } from "./text-input";

/** Countries Koppel ships from, in the order the country Select shows them. */
export const SUPPORTED_COUNTRIES = ["NL", "BE", "DE", "FR", "LU", "AT", "DK", "ES", "IT", "PL", "GB", "IE", "PT", "SE", "CZ"] as const;
export type SupportedCountry = (typeof SUPPORTED_COUNTRIES)[number];

export const FROM_ADDRESS_FIELDS = [
  "company",
  "contactName",
  "street",
  "houseNumber",
  "houseNumberAddition",
  "postcode",
  "city",
  "country",
  "phone",
  "email",
] as const satisfies readonly (keyof FromAddress)[];
export type FromAddressField = (typeof FROM_ADDRESS_FIELDS)[number];

/** Every field fromAddressSchema requires (all but the house number addition): the form marks them "required". */
export const REQUIRED_FROM_ADDRESS_FIELDS: readonly FromAddressField[] = FROM_ADDRESS_FIELDS.filter((f) => f !== "houseNumberAddition");

export function isSupportedCountry(value: unknown): value is SupportedCountry {
  return typeof value === "string" && (SUPPORTED_COUNTRIES as readonly string[]).includes(value);
}

const FOUR_DIGITS = new Set(["BE", "AT", "DK", "LU"]);
const FIVE_DIGITS = new Set(["DE", "FR", "ES", "IT"]);
const NL_POSTCODE = /^([1-9]\d{3})\s*([A-Za-z]{2})$/;

/** The postcode as Koppel stores it ("1234ab" → "1234 AB" in NL), or null when it does not fit the country. */
export function normalisePostcode(country: string, raw: string): string | null {
  const value = raw.trim().replace(/\s+/g, " ");
  if (!value) return null;
  if (country === "NL") {
    const m = NL_POSTCODE.exec(value);
    return m ? `${m[1]} ${m[2]!.toUpperCase()}` : null;
  }
  if (FOUR_DIGITS.has(country)) {
    const digits = country === "LU" ? value.replace(/^L-?\s*/i, "") : value;
    return /^\d{4}$/.test(digits) ? digits : null;
  }
  if (FIVE_DIGITS.has(country)) return /^\d{5}$/.test(value) ? value : null;
  return value.toUpperCase();
}

function postcodeErrorKey(country: string, raw: string): MessageKey {
  if (!raw.trim()) return "fromAddress.error.postcode.required";
  if (country === "NL") return "fromAddress.error.postcode.NL";
  if (FOUR_DIGITS.has(country)) return "fromAddress.error.postcode.4";
  if (FIVE_DIGITS.has(country)) return "fromAddress.error.postcode.5";
  return "fromAddress.error.postcode.required";
}

/** Parses the form (strings from FormData); output is a normalised FromAddress. */
export function fromAddressSchema(locale: Locale) {
  const msg = (key: MessageKey) => ({ error: t(locale, key) });
  const text = (key: MessageKey, max = 100) =>
    textInput(msg(key)).trim().min(1, msg(key)).max(max, msg(key));

  return z
    .object({
      company: text("fromAddress.error.company"),
      contactName: text("fromAddress.error.contactName"),
      street: text("fromAddress.error.street"),
      houseNumber: textInput(msg("fromAddress.error.houseNumber")).trim().regex(/^\d{1,6}$/, msg("fromAddress.error.houseNumber")),
      houseNumberAddition: textInput(msg("fromAddress.error.houseNumberAddition"))
        .trim()
        .max(10, msg("fromAddress.error.houseNumberAddition"))
        .regex(/^[\p{L}\d\s\-/]*$/u, msg("fromAddress.error.houseNumberAddition"))
        .optional()
        .transform((v) => (v ? v : undefined)),
      // Checked against the country below, so that a bad postcode gives exactly one message on this field.
      postcode: textInput(msg("fromAddress.error.postcode.required")),
      city: text("fromAddress.error.city"),
      country: z.enum(SUPPORTED_COUNTRIES, msg("fromAddress.error.country")),
      phone: textInput(msg("fromAddress.error.phone"))
        .trim()
        .regex(/^\+?[\d\s\-().]{6,20}$/, msg("fromAddress.error.phone"))
        .refine((v) => v.replace(/\D/g, "").length >= 6, msg("fromAddress.error.phone")),
      email: textInput(msg("fromAddress.error.email")).trim().pipe(z.email(msg("fromAddress.error.email"))),
    })
    .superRefine((value, ctx) => {
      // Runs even when other fields failed (when: below), so the merchant sees every problem at once.
      const country = (value as { country?: unknown }).country;
      const postcode = (value as { postcode?: unknown }).postcode;
      if (typeof postcode !== "string") return; // the field's own type error already says so
      if (!isSupportedCountry(country)) {
        if (!postcode.trim()) ctx.addIssue({ code: "custom", path: ["postcode"], message: t(locale, "fromAddress.error.postcode.required") });
        return;
      }
      if (normalisePostcode(country, postcode) === null) {
        ctx.addIssue({ code: "custom", path: ["postcode"], message: t(locale, postcodeErrorKey(country, postcode)) });
      }
    }, { when: (payload) => typeof payload.value === "object" && payload.value !== null })
    .transform((v): FromAddress => ({
      company: v.company,
      contactName: v.contactName,
      street: v.street,
      houseNumber: v.houseNumber,
      ...(v.houseNumberAddition ? { houseNumberAddition: v.houseNumberAddition } : {}),
      postcode: normalisePostcode(v.country, v.postcode)!,
      city: v.city,
      country: v.country,
      phone: v.phone,
      email: v.email.toLowerCase(),
    }));
}

export type FromAddressErrors = Partial<Record<FromAddressField, string>>;
export type FromAddressValues = Record<FromAddressField, string>;

export type FromAddressParse =
  | { ok: true; address: FromAddress }
  | { ok: false; errors: FromAddressErrors; values: FromAddressValues };

/** Parses form input; on failure, the first message per field (one per field) and the values to show again. */
export function parseFromAddress(locale: Locale, input: Record<string, unknown>): FromAddressParse {
  const values = stringValues(input);
  const parsed = fromAddressSchema(locale).safeParse(values);
  if (parsed.success) return { ok: true, address: parsed.data };
  const errors: FromAddressErrors = {};
  for (const issue of parsed.error.issues) {
    const field = issue.path[0];
    if (typeof field === "string" && (FROM_ADDRESS_FIELDS as readonly string[]).includes(field)) {
      errors[field as FromAddressField] ??= issue.message;
    }
  }
  return { ok: false, errors, values };
}

/** The form's string values from raw input (FormData entries) or a stored address; missing fields become "". */
export function fromAddressFormValues(input: Record<string, unknown> | FromAddress | null | undefined): FromAddressValues {
  const out = stringValues((input ?? {}) as Record<string, unknown>);
  if (!out.country) out.country = "NL";
  return out;
}

function stringValues(src: Record<string, unknown>): FromAddressValues {
  const out = {} as FromAddressValues;
  for (const f of FROM_ADDRESS_FIELDS) {
    const v = src[f];
    out[f] = typeof v === "string" ? cleanText(v) : "";
  }
  return out;
}
