// The exact text of one top-level member's value in a JSON document, as the sender wrote it: Boekuwzending signs the
// bytes of json_encode($data) and sends them inside {"data": …, "meta": {"hmac": …}}, so the signature is checked over
// those bytes, not over a re-encoding of what JSON.parse made of them (which loses 5.0, integers above 2^53 and the
// order of integer-like keys). Pure; no JSON.parse of the whole value.

const WS = new Set([0x20, 0x09, 0x0a, 0x0d]);

function skipWs(text: string, i: number): number {
  while (i < text.length && WS.has(text.charCodeAt(i))) i++;
  return i;
}

/** End (exclusive) of the string starting at the quote at `i`, or -1. */
function stringEnd(text: string, i: number): number {
  for (let j = i + 1; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === 0x5c) j++; // backslash: the next character is escaped (\uXXXX's digits are plain characters)
    else if (c === 0x22) return j + 1;
    else if (c < 0x20) return -1;
  }
  return -1;
}

/** End (exclusive) of the JSON value starting at `i`, or -1 when it is not one. */
function valueEnd(text: string, i: number): number {
  const c = text[i];
  if (c === '"') return stringEnd(text, i);
  if (c === "{" || c === "[") {
    // Brackets balanced outside strings (iterative: no recursion limit for deep documents).
    const stack: string[] = [];
    for (let j = i; j < text.length; j++) {
      const ch = text[j]!;
      if (ch === '"') {
        const end = stringEnd(text, j);
        if (end < 0) return -1;
        j = end - 1;
      } else if (ch === "{" || ch === "[") stack.push(ch === "{" ? "}" : "]");
      else if (ch === "}" || ch === "]") {
        if (stack.pop() !== ch) return -1;
        if (stack.length === 0) return j + 1;
      }
    }
    return -1;
  }
  // A number or true/false/null: up to the next structural character or whitespace.
  let j = i;
  while (j < text.length && !WS.has(text.charCodeAt(j)) && !",}]:".includes(text[j]!)) j++;
  return j > i ? j : -1;
}

/**
 * The text of the value of the top-level object's member `name`, exactly as it appears in `json`; null when `json` is
 * not an object, has no such member, or has it more than once (JSON.parse would take the last one, a signature check
 * must not guess which). Keys are compared decoded, so "d\u0061ta" is "data".
 */
export function topLevelMemberText(json: string, name: string): string | null {
  let i = skipWs(json, json.charCodeAt(0) === 0xfeff ? 1 : 0);
  if (json[i] !== "{") return null;
  i = skipWs(json, i + 1);
  let found: string | null = null;
  if (json[i] === "}") return null;
  for (;;) {
    if (json[i] !== '"') return null;
    const keyEnd = stringEnd(json, i);
    if (keyEnd < 0) return null;
    let key: unknown;
    try {
      key = JSON.parse(json.slice(i, keyEnd));
    } catch {
      return null;
    }
    i = skipWs(json, keyEnd);
    if (json[i] !== ":") return null;
    const start = skipWs(json, i + 1);
    const end = valueEnd(json, start);
    if (end < 0) return null;
    if (key === name) {
      if (found !== null) return null;
      found = json.slice(start, end);
    }
    i = skipWs(json, end);
    if (json[i] === ",") {
      i = skipWs(json, i + 1);
      continue;
    }
    if (json[i] === "}") return found;
    return null;
  }
}
