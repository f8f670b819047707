// Text and JSON from outside (platforms), made safe for PostgreSQL and JavaScript. Pure: no platform, no database.
//
// PostgreSQL's text and jsonb refuse U+0000 and lone UTF-16 surrogates (\ud800 without its pair): one such character in
// a customer's name made every insert of that order fail ("unsupported Unicode escape sequence"). And JSON.parse turns
// integers above 2^53 (Shopify's test ids, 820982911946154508) into other numbers.
//
// - What Koppel works with (names, addresses, SKUs) is cleaned: cleanText drops NUL and replaces a lone surrogate
//   with U+FFFD, the Unicode replacement character.
// - What Koppel keeps for the record (a delivery's payload, an order's raw) is kept losslessly: toJsonb escapes the
//   strings PostgreSQL would refuse (scheme below) and writes integers above 2^53 with their exact digits; fromJsonb
//   undoes the escaping.
//
// The escaping scheme, for any string (object keys too) that holds a NUL or a lone surrogate, or starts with the marker:
//   ESCAPED_PREFIX + the string with "\" written as "\\" and each NUL / lone surrogate code unit written as "\uXXXX"
//   (four lower-case hex digits). Every other string is stored unchanged, so the scheme is reversible: a stored string
//   starting with ESCAPED_PREFIX is always an escaped one. Example: "San\u0000ne" is stored as the 20 characters
//   koppel-escaped:San\u0000ne  (backslash, "u0000" as plain text).

declare global {
  // ES2024 (Node ≥ 20); the project's lib is ES2023.
  interface String {
    isWellFormed(): boolean;
    toWellFormed(): string;
  }
  interface JSON {
    /** Node ≥ 21: a value JSON.stringify writes as the given JSON text. */
    rawJSON(text: string): unknown;
  }
}

export const ESCAPED_PREFIX = "koppel-escaped:";

/** Deeper JSON than this is refused at the door: JSON.stringify and other walkers recurse (10 000 levels overflowed). */
export const MAX_JSON_DEPTH = 100;

const needsCleaning = (s: string) => s.includes("\u0000") || !s.isWellFormed();

/** Text as Koppel stores and shows it: without NUL, lone surrogates replaced by U+FFFD. */
export function cleanText(s: string): string {
  return needsCleaning(s) ? s.replaceAll("\u0000", "").toWellFormed() : s;
}

/**
 * Every string in plain data (objects, arrays) through cleanText; other values (numbers, Dates, …) as they are.
 * Returns the same object when nothing needed cleaning.
 */
export function cleanStrings<T>(value: T): T {
  return mapStrings(value, (s) => (needsCleaning(s) ? cleanText(s) : s), (v) => v) as T;
}

const LONE_OR_NUL = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function escapeString(s: string): string {
  if (!needsCleaning(s) && !s.startsWith(ESCAPED_PREFIX)) return s;
  return ESCAPED_PREFIX + s.replaceAll("\\", "\\\\").replace(LONE_OR_NUL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

function unescapeString(s: string): string {
  if (!s.startsWith(ESCAPED_PREFIX)) return s;
  return s.slice(ESCAPED_PREFIX.length).replace(/\\(\\|u[0-9a-f]{4})/g, (_, e: string) => (e === "\\" ? "\\" : String.fromCharCode(parseInt(e.slice(1), 16))));
}

/**
 * A value from outside as it can go into a jsonb column: strings PostgreSQL would refuse escaped (see the scheme
 * above), BigInts (integers above 2^53 from parseJson) written as exact JSON numbers. Same object when nothing changes.
 */
export function toJsonb(value: unknown): unknown {
  return mapStrings(value, escapeString, (v) => (typeof v === "bigint" ? JSON.rawJSON(v.toString()) : v));
}

/** Undoes toJsonb's escaping (its exact numbers come back as BigInt only when read with parseJson). */
export function fromJsonb(value: unknown): unknown {
  return mapStrings(value, unescapeString, (v) => v);
}

/** jsonb read as text (`col::text`) back into the value toJsonb was given: exact big integers, escaping undone. */
export function fromJsonbText(text: string | null): unknown {
  if (text === null) return null;
  const value = parseJson(text);
  return text.includes(ESCAPED_PREFIX) ? fromJsonb(value) : value;
}

/**
 * JSON.parse, except that an integer outside JavaScript's safe range becomes a BigInt with its exact digits (the
 * reviver's `context.source`, Node ≥ 21) instead of a nearby number. Throws like JSON.parse on bad JSON.
 */
export function parseJson(text: string): unknown {
  // Unsafe integers have at least 16 digits; without such a run the reviver (slower) is not needed.
  if (!/\d{16}/.test(text)) return JSON.parse(text);
  return JSON.parse(text, function (this: unknown, _key: string, value: unknown, context?: { source?: string }) {
    if (typeof value === "number" && !Number.isSafeInteger(value) && context?.source && /^-?\d+$/.test(context.source)) return BigInt(context.source);
    return value;
  });
}

export type ParsedJson = { ok: true; value: unknown } | { ok: false; reason: string };

/** A body from outside: parseJson, refused (with the reason) when it is not JSON or nested deeper than MAX_JSON_DEPTH. */
export function parseJsonBody(text: string, maxDepth = MAX_JSON_DEPTH): ParsedJson {
  let value: unknown;
  try {
    value = parseJson(text);
  } catch {
    return { ok: false, reason: "body is not valid JSON" };
  }
  if (jsonDepthExceeds(value, maxDepth)) return { ok: false, reason: `body is nested deeper than ${maxDepth} levels` };
  return { ok: true, value };
}

/** Whether arrays/objects nest deeper than `max` (iterative: safe on any depth). */
export function jsonDepthExceeds(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== "object") continue;
    if (depth + 1 > max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) if (child !== null && typeof child === "object") stack.push([child, depth + 1]);
  }
  return false;
}

/** Copy-on-write walk over plain JSON-like data: strings (keys too) through `str`, other leaves through `leaf`. */
function mapStrings(value: unknown, str: (s: string) => string, leaf: (v: unknown) => unknown): unknown {
  if (typeof value === "string") return str(value);
  if (value === null || typeof value !== "object") return leaf(value);
  if (Array.isArray(value)) {
    let out: unknown[] | null = null;
    for (let i = 0; i < value.length; i++) {
      const v = mapStrings(value[i], str, leaf);
      if (v !== value[i]) (out ??= value.slice())[i] = v;
    }
    return out ?? value;
  }
  // Only plain objects (what JSON.parse makes); Dates, JSON.rawJSON values and the like are leaves.
  if (Object.getPrototypeOf(value) !== Object.prototype) return leaf(value);
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj);
  let out: Record<string, unknown> | null = null;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    const k2 = str(k);
    const v2 = mapStrings(obj[k], str, leaf);
    if (!out && (k2 !== k || v2 !== obj[k])) {
      out = {};
      for (let j = 0; j < i; j++) define(out, keys[j]!, obj[keys[j]!]);
    }
    if (out) define(out, k2, v2);
  }
  return out ?? value;
}

// defineProperty, not assignment: a key "__proto__" (JSON.parse makes it an own property) must stay a plain key.
function define(o: Record<string, unknown>, k: string, v: unknown) {
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
}
