// The fake plays Boekuwzending's PHP side: it signs json_encode($data) with PHP's default flags ("/" escaped, non-ASCII
// as \uXXXX). Written independently of Koppel's decoder-side copy (app/carriers/boekuwzending/php-json.ts), so a test
// of one against the other can fail.
export function phpJsonEncode(data: unknown): string {
  return JSON.stringify(data)
    .replace(/\//g, "\\/")
    .replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
