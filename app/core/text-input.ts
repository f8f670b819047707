// Text from outside (form fields, query parameters) through one zod schema. PostgreSQL's text and jsonb refuse NUL
// (U+0000): one in a search or a form field was a 500, with the SQL in the error. A lone UTF-16 surrogate is not a
// character at all. Nobody types either: NUL is dropped and a lone surrogate becomes U+FFFD (as the platform adapters
// do with order text), so what the merchant sees and what is stored stay the same and no form fails over them.
// Shared by routes (server) and form components (browser): imports nothing server-only (./text is pure).
import { z } from "zod";
import { cleanText } from "./text";

export { cleanText };

/**
 * `z.string()` for every text input from outside: cleaned (cleanText) first, so trim, length and pattern checks
 * after it see the text that will be stored or searched.
 */
export function textInput(params?: Parameters<typeof z.string>[0]) {
  return z.string(params).overwrite(cleanText);
}

/** The order search looks at this many characters (the search box stops there; a longer ?q= is cut). */
export const MAX_SEARCH_LENGTH = 100;

export type SearchInput = { text: string; truncated: boolean };

/** The order search: cleaned, trimmed, at most MAX_SEARCH_LENGTH characters; `truncated` says it was cut. */
export function searchInput() {
  return textInput()
    .trim()
    .transform((q): SearchInput => {
      if (q.length <= MAX_SEARCH_LENGTH) return { text: q, truncated: false };
      // Not through the middle of a surrogate pair.
      const cut = q.slice(0, MAX_SEARCH_LENGTH).replace(/[\uD800-\uDBFF]$/, "");
      return { text: cut.trimEnd(), truncated: true };
    })
    .catch({ text: "", truncated: false });
}
