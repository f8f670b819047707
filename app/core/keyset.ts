// Keyset paging shared by the merchant's lists (orders, shipments): a page is the rows after (or before) a cursor
// on (timestamp desc, id desc), fetched one row beyond the page size to know whether there is more.
import { sql, type AnyColumn, type SQL } from "drizzle-orm";

/** `at`: the row's timestamp at full microsecond precision (a JS Date keeps only milliseconds), as ISO text. */
export type Cursor = { at: string; id: number };

export type Page<T> = { rows: T[]; nextCursor: string | null; prevCursor: string | null };

export function encodeCursor(c: Cursor): string {
  return Buffer.from(`${c.at}|${c.id}`, "utf8").toString("base64url");
}

/** undefined for anything that is not a cursor made by encodeCursor (never throws on user input). */
export function decodeCursor(value: string | null | undefined): Cursor | undefined {
  if (!value || value.length > 200) return undefined;
  const text = Buffer.from(value, "base64url").toString("utf8");
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?Z)\|(\d{1,15})$/.exec(text);
  if (!m) return undefined;
  const id = Number(m[2]);
  if (!Number.isSafeInteger(id) || Number.isNaN(Date.parse(m[1]!))) return undefined;
  return { at: m[1]!, id };
}

/** The page's cursor from the address: `after` (forward) wins over `before` (back); a bad one is ignored. */
export function pageCursors(opts: { after?: string | null; before?: string | null }): { after?: Cursor; before?: Cursor } {
  const after = decodeCursor(opts.after);
  return after ? { after } : { before: decodeCursor(opts.before) };
}

/** The cursor text of a timestamp column, in UTC with microseconds (select it next to the id). */
export function cursorAtOf(column: AnyColumn): SQL<string> {
  return sql<string>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

/**
 * The page from rows fetched with limit + 1: newest first after `after` (or from the top), or — for `before` — oldest
 * first before it (reversed here). `cursors[i]` is rows[i]'s cursor text (its key value; `encode` makes the cursor,
 * default a timestamp cursor). Trims, orders and names the neighbours.
 */
export function toPage<T extends { id: number }>(
  rows: T[],
  cursors: string[],
  opts: { limit: number; after?: unknown; before?: unknown; encode?: (value: string, id: number) => string },
): Page<T> {
  const encode = opts.encode ?? ((at: string, id: number) => encodeCursor({ at, id }));
  const hasMore = rows.length > opts.limit;
  if (hasMore) {
    rows.length = opts.limit;
    cursors.length = opts.limit;
  }
  if (opts.before) {
    rows.reverse();
    cursors.reverse();
  }
  const n = rows.length;
  const firstCursor = n ? encode(cursors[0]!, rows[0]!.id) : null;
  const lastCursor = n ? encode(cursors[n - 1]!, rows[n - 1]!.id) : null;
  if (opts.before) {
    // Came back from a later page: there is always something after this one; something before only if we saw more.
    return { rows, nextCursor: lastCursor, prevCursor: hasMore ? firstCursor : null };
  }
  return { rows, nextCursor: hasMore ? lastCursor : null, prevCursor: opts.after ? firstCursor : null };
}
