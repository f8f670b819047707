// PHP's json_encode() with its default flags, applied to what json_decode($body, true) gives: Boekuwzending signs its
// webhooks over json_encode($data) (contract A, "Plugin webhooks"; the WooCommerce plugin checks
// hash_hmac('sha256', json_encode($data), $clientId . $clientSecret)). Koppel checks the signature over the bytes of
// `data` as sent first (json-span.ts); this re-encoding of the parsed data is only the fallback, for an envelope that
// was re-serialised on the way. Defaults: "/" escaped as "\/", every non-ASCII UTF-16 unit as \uXXXX (lower-case
// hex), assoc arrays decoded from JSON objects: an empty object or one keyed "0".."n-1" in order encodes as a list.
// Not reproducible from parsed JSON: floats in PHP's exponent form (1.0e-5) or with JSON_PRESERVE_ZERO_FRACTION (5.0),
// integers above 2^53, integer-like keys out of order ({"1":…,"0":…}); the byte check covers those.

const SHORT_ESCAPES: Record<string, string> = { '"': '\\"', "\\": "\\\\", "/": "\\/", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t" };

function phpString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    const code = s.charCodeAt(i);
    const short = SHORT_ESCAPES[ch];
    if (short) out += short;
    else if (code < 0x20 || code > 0x7e) out += code === 0x7f ? ch : `\\u${code.toString(16).padStart(4, "0")}`;
    else out += ch;
  }
  return `${out}"`;
}

function isPhpList(o: Record<string, unknown>): boolean {
  const keys = Object.keys(o);
  return keys.every((k, i) => k === String(i));
}

export function phpJsonEncode(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "0";
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "string") return phpString(value);
  if (Array.isArray(value)) return `[${value.map(phpJsonEncode).join(",")}]`;
  const o = value as Record<string, unknown>;
  if (isPhpList(o)) return `[${Object.values(o).map(phpJsonEncode).join(",")}]`;
  return `{${Object.entries(o)
    .map(([k, v]) => `${phpString(k)}:${phpJsonEncode(v)}`)
    .join(",")}}`;
}
