// The fake plays Boekuwzending's PHP side: it signs the bytes of json_encode($data) (PHP >= 7.1, serialize_precision
// -1, default flags) and sends those same bytes inside the envelope. Written independently of Koppel's decoder-side
// copy (app/carriers/boekuwzending/php-json.ts), so a test of one against the other can fail. What a JS value cannot
// say is said with wrappers: phpFloat(5) is PHP's float 5.0, phpAssoc([["1", "a"], ["0", "b"]]) an array whose keys
// are in that order. Plain JS objects are PHP associative arrays: empty or keyed 0..n-1 in order they are lists.

export class PhpFloat {
  constructor(readonly value: number) {}
}
export class PhpAssoc {
  constructor(readonly entries: readonly (readonly [string, unknown])[]) {}
}
export const phpFloat = (value: number) => new PhpFloat(value);
export const phpAssoc = (entries: readonly (readonly [string, unknown])[]) => new PhpAssoc(entries);

export type PhpJsonOptions = {
  /** JSON_PRESERVE_ZERO_FRACTION: a float 5.0 is written "5.0" (default flags write "5"). */
  preserveZeroFraction?: boolean;
};

function str(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += "\\\\";
    else if (c === 0x2f) out += "\\/";
    else if (c === 0x08) out += "\\b";
    else if (c === 0x0c) out += "\\f";
    else if (c === 0x0a) out += "\\n";
    else if (c === 0x0d) out += "\\r";
    else if (c === 0x09) out += "\\t";
    else if (c < 0x20 || c >= 0x80) out += "\\u" + c.toString(16).padStart(4, "0");
    else out += s[i];
  }
  return out + '"';
}

/** php_gcvt(value, 17, '.', 'e') in its shortest-digits mode, as json_encode writes a float. */
function float(value: number, opts: PhpJsonOptions): string {
  if (!Number.isFinite(value)) throw new Error("json_encode cannot encode INF or NAN");
  if (value === 0) return Object.is(value, -0) ? (opts.preserveZeroFraction ? "-0.0" : "-0") : opts.preserveZeroFraction ? "0.0" : "0";
  const sign = value < 0 ? "-" : "";
  const [mantissa, exp] = Math.abs(value).toExponential().split("e") as [string, string];
  const digits = mantissa.replace(".", "");
  const decpt = Number(exp) + 1;
  if (decpt < 0 ? decpt < -3 : decpt > 17) {
    const e = decpt - 1;
    return `${sign}${digits[0]}.${digits.length > 1 ? digits.slice(1) : "0"}e${e < 0 ? "-" : "+"}${Math.abs(e)}`;
  }
  let text: string;
  if (decpt <= 0) text = `0.${"0".repeat(-decpt)}${digits}`;
  else if (decpt >= digits.length) text = digits + "0".repeat(decpt - digits.length) + (opts.preserveZeroFraction ? ".0" : "");
  else text = `${digits.slice(0, decpt)}.${digits.slice(decpt)}`;
  return sign + text;
}

export function phpJsonEncode(value: unknown, opts: PhpJsonOptions = {}): string {
  const enc = (v: unknown): string => phpJsonEncode(v, opts);
  if (value === null || value === undefined) return "null";
  if (value === true) return "true";
  if (value === false) return "false";
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "number") return Number.isInteger(value) && Math.abs(value) <= Number.MAX_SAFE_INTEGER ? String(value) : float(value, opts);
  if (typeof value === "string") return str(value);
  if (value instanceof PhpFloat) return float(value.value, opts);
  const entries: readonly (readonly [string, unknown])[] = Array.isArray(value)
    ? value.map((v, i) => [String(i), v] as const)
    : value instanceof PhpAssoc
      ? value.entries
      : Object.entries(value as Record<string, unknown>);
  if (entries.every(([k], i) => k === String(i))) return `[${entries.map(([, v]) => enc(v)).join(",")}]`;
  return `{${entries.map(([k, v]) => `${str(k)}:${enc(v)}`).join(",")}}`;
}
