// CCV collections: offset paging with `start`/`size` and absolute first/previous/next links (null past the ends).
import { badRequest } from "./http";
import type { FakeCcvResponse } from "./types";

/** Default page size: unconfirmed; a public connector pages with 25. */
export const DEFAULT_PAGE_SIZE = 25;
/** Larger sizes are clamped to this (MH clamps 1–250; CCV's own maximum is unconfirmed). */
export const MAX_PAGE_SIZE = 250;

export type Page = { start: number; size: number };

export type CcvCollection<T> = {
  href: string;
  start: number;
  size: number;
  first: string;
  previous: string | null;
  next: string | null;
  items: T[];
};

/** `start`/`size` from the query; non-integers → 400, size clamped to 1..MAX_PAGE_SIZE. */
export function readPage(query: URLSearchParams): Page | FakeCcvResponse {
  const start = intParam(query, "start", 0);
  const size = intParam(query, "size", DEFAULT_PAGE_SIZE);
  if (start === null) return badRequest("Parameter start must be a non-negative integer");
  if (size === null) return badRequest("Parameter size must be a non-negative integer");
  return { start, size: Math.min(MAX_PAGE_SIZE, Math.max(1, size)) };
}

function intParam(query: URLSearchParams, name: string, fallback: number): number | null {
  const raw = query.get(name);
  if (raw === null || raw === "") return fallback;
  return /^\d{1,9}$/.test(raw) ? Number(raw) : null;
}

/**
 * One page of `all`. Links keep the request's other query parameters (in the order sent) and put start/size last,
 * so a client that signs the link's path+query verbatim gets it right.
 */
export function collection<T>(base: string, query: URLSearchParams, page: Page, all: T[]): CcvCollection<T> {
  const link = (start: number) => {
    const q = new URLSearchParams([...query].filter(([k]) => k !== "start" && k !== "size"));
    q.set("start", String(start));
    q.set("size", String(page.size));
    return `${base}?${q.toString()}`;
  };
  const { start, size } = page;
  return {
    href: link(start),
    start,
    size,
    first: link(0),
    previous: start > 0 ? link(Math.max(0, start - size)) : null,
    next: start + size < all.length ? link(start + size) : null,
    items: all.slice(start, start + size),
  };
}
