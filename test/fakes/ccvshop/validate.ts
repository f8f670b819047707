// Tiny JSON-body checks that answer CCV's 400.10 with a message naming the field.
import { isObj } from "./http";

export type Check = (v: unknown) => boolean;

export const isStr: Check = (v) => typeof v === "string";
export const isStrOrNull: Check = (v) => v === null || typeof v === "string";
export const isBool: Check = (v) => typeof v === "boolean";
export const isNum: Check = (v) => typeof v === "number" && Number.isFinite(v);
export const isInt: Check = (v) => typeof v === "number" && Number.isInteger(v);
export const isIntOrNull: Check = (v) => v === null || isInt(v);
export const isArr: Check = (v) => Array.isArray(v);
export const oneOf = (...values: unknown[]): Check => (v) => values.includes(v);
export const intBetween = (min: number, max: number): Check => (v) => isInt(v) && (v as number) >= min && (v as number) <= max;

/** First problem in `body` against `schema` (unknown fields are refused), or null when it fits. */
export function problem(body: unknown, schema: Record<string, Check>, where = ""): string | null {
  if (!isObj(body)) return `${where || "Body"} must be a JSON object`;
  for (const [key, value] of Object.entries(body)) {
    const check = schema[key];
    if (!check) return `Unknown field ${where}${key}`;
    if (!check(value)) return `Invalid value for field ${where}${key}`;
  }
  return null;
}
