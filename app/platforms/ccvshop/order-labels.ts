// CCV Shop order labels → PlatformOrder.tags, by name. An order's labels are ids (GET /orders/{id}/orderlabels, items
// `{label_id, parent}`); their names are the shop's labels (GET /labels, items `{id, tooltip, …}`: the tooltip is the
// name CCV shows in its filters), read once per shop and kept a few minutes. Reading labels never fails an order: any
// refusal gives `tags: undefined` (the import keeps what it stored) and a reason for the log.
// Shapes: jacobdekeizer/ccvshop-client Models/Orderlabels, Models/Labels (generated from CCV's schemas).
import { z } from "zod";
import type { CcvClient } from "./api-client.server";
import { isCcvApiError } from "./api-client.server";
import { CcvCollectionSchema, formatZodIssues } from "./order-schema";

/** How long a shop's label names are reused before they are read again. */
export const LABEL_NAMES_TTL_MS = 5 * 60_000;
/** After CCV refused the labels (e.g. the app lacks the permission), no label calls for this shop for this long. */
export const LABELS_REFUSED_PAUSE_MS = 5 * 60_000;
/** Collections followed at most this many pages. */
const MAX_PAGES = 20;

const id = z.union([z.number().int().nonnegative(), z.string().trim().regex(/^\d{1,20}$/)]).transform(String);

export const CcvOrderLabelSchema = z.object({ label_id: id, parent: z.string().nullish() }).passthrough();
export const CcvLabelSchema = z.object({ id: id, tooltip: z.string().nullish() }).passthrough();

/** Longest label name kept (a rule's tag is short text; a longer name would make the order's text too long). */
export const MAX_LABEL_NAME = 100;

/** What the order's name for a label is: its tooltip, else `label-<id>`. */
export function labelName(labelId: string, names: ReadonlyMap<string, string>): string {
  return names.get(labelId) ?? `label-${labelId}`;
}

export type OrderLabels =
  | { ok: true; tags: string[]; raw: unknown[] }
  /** `pause`: CCV refused the labels for the whole shop (401/403/404 on the collection): stop asking for a while. */
  | { ok: false; reason: string; pause?: boolean };

/** A shop's label names; `seen`: the ids the last read listed, and those orders carried that it did not list. */
type Names = { names: Map<string, string>; seen: Set<string>; readAt: number };

/** Every item of a collection, following `next` (CCV's label collections carry only href and items; paging is followed if sent). */
async function allItems(client: CcvClient, resource: string, onBusy: "wait" | "fail"): Promise<unknown[]> {
  const items: unknown[] = [];
  let answer = await client.call({ method: "GET", resource, onBusy });
  for (let page = 0; page < MAX_PAGES; page++) {
    const parsed = CcvCollectionSchema.safeParse(answer.body);
    if (!parsed.success) throw new Error(`${resource} is not a collection: ${formatZodIssues(parsed.error)}`);
    items.push(...parsed.data.items);
    if (!parsed.data.next) return items;
    answer = await client.follow(parsed.data.next, { onBusy });
  }
  return items;
}

/** Why a call failed, for the log; whether the refusal concerns every order of the shop. */
function failure(what: string, e: unknown): { ok: false; reason: string; pause?: boolean } {
  if (isCcvApiError(e)) return { ok: false, reason: `${what}: ${e.message}`, pause: e.status === 401 || e.status === 403 };
  if (e instanceof Error) return { ok: false, reason: `${what}: ${e.message}` };
  throw e;
}

export type OrderLabelReader = {
  /** The order's labels by name (one call per order; the names from the shop's cache, or one more call). */
  read(shopKey: string, client: CcvClient, orderId: string, onBusy: "wait" | "fail"): Promise<OrderLabels>;
};

export function createOrderLabelReader(now: () => number): OrderLabelReader {
  const namesOf = new Map<string, Names>();
  const pausedUntil = new Map<string, number>();

  const reading = new Map<string, Promise<Map<string, string>>>();

  async function names(shopKey: string, client: CcvClient, onBusy: "wait" | "fail", need: readonly string[]): Promise<Map<string, string>> {
    const cached = namesOf.get(shopKey);
    // A label id the names do not know is a label made since: read them again (once; an id still not listed waits
    // for the next read).
    const fresh = cached && now() - cached.readAt < LABEL_NAMES_TTL_MS;
    if (fresh && need.every((l) => cached.seen.has(l))) return cached.names;
    // Orders read at the same time (webhooks) share one read of the names.
    const pending = reading.get(shopKey);
    if (pending) return pending;
    const read = readNames(shopKey, client, onBusy, [...(fresh ? cached.seen : []), ...need]).finally(() => reading.delete(shopKey));
    reading.set(shopKey, read);
    return read;
  }

  async function readNames(shopKey: string, client: CcvClient, onBusy: "wait" | "fail", need: readonly string[]): Promise<Map<string, string>> {
    const readAt = now();
    const map = new Map<string, string>();
    const seen = new Set<string>(need);
    for (const [i, item] of (await allItems(client, "labels", onBusy)).entries()) {
      const label = CcvLabelSchema.safeParse(item);
      if (!label.success) throw new Error(`label ${i + 1}: ${formatZodIssues(label.error)}`);
      seen.add(label.data.id);
      const tooltip = label.data.tooltip?.trim();
      if (tooltip) map.set(label.data.id, tooltip.slice(0, MAX_LABEL_NAME));
    }
    namesOf.set(shopKey, { names: map, seen, readAt });
    return map;
  }

  return {
    async read(shopKey, client, orderId, onBusy) {
      if ((pausedUntil.get(shopKey) ?? 0) > now()) return { ok: false, reason: "CCV Shop refused the labels a moment ago" };
      let items: unknown[];
      try {
        items = await allItems(client, `orders/${orderId}/orderlabels`, onBusy);
      } catch (e) {
        const f = failure("order labels", e);
        if (f.pause) pausedUntil.set(shopKey, now() + LABELS_REFUSED_PAUSE_MS);
        return f;
      }
      const ids: string[] = [];
      for (const [i, item] of items.entries()) {
        const label = CcvOrderLabelSchema.safeParse(item);
        if (!label.success) return { ok: false, reason: `order label ${i + 1}: ${formatZodIssues(label.error)}` };
        ids.push(label.data.label_id);
      }
      if (!ids.length) return { ok: true, tags: [], raw: items };
      let known: Map<string, string>;
      try {
        known = await names(shopKey, client, onBusy, ids);
      } catch (e) {
        const f = failure("labels", e);
        if (f.pause) pausedUntil.set(shopKey, now() + LABELS_REFUSED_PAUSE_MS);
        return f;
      }
      return { ok: true, tags: [...new Set(ids.map((l) => labelName(l, known)))], raw: items };
    },
  };
}
