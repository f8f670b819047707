// MyOnlineStore's Connect API v1 (Mijnwebwinkel): {base}/v1/…, with the store's `token` and Koppel's `partner_token`
// in the query string of every request (the spec's security). Errors come in two shapes: the legacy
// `{code, message, description}` and RFC 7807 `{type, title, detail, status}`; both become one readable message with
// the API's own text. Rate limits (per partner and per store, values unpublished, no Retry-After) answer 429: the poll
// waits and tries again, the write-back throws a retryable error for its job's backoff.
// Contract: ../shared/contracts/carrier-and-mijnwebwinkel.md §B and "Added 2026-12-01".
import { z } from "zod";
import { callJson, isUnreadable, withRetries } from "../json-api.server";
import { cleanText } from "../../core/text";

export const DEFAULT_MWW_API_URL = "https://api.myonlinestore.com";

const LegacyErrorSchema = z.object({
  code: z.union([z.number(), z.string()]).optional(),
  message: z.string().optional(),
  description: z.string().optional(),
});
const ProblemSchema = z.object({
  type: z.string().optional(),
  title: z.string().optional(),
  detail: z.string().optional(),
  status: z.union([z.number(), z.string()]).optional(),
});

/** The API's text from either error shape ("Unauthorized: Invalid store token"), or null when the body has none. */
export function mwwErrorText(body: unknown): string | null {
  if (!body || typeof body !== "object" || Array.isArray(body)) return null;
  const problem = ProblemSchema.safeParse(body);
  if (problem.success && (problem.data.title || problem.data.detail)) {
    const { title, detail } = problem.data;
    return title && detail ? (detail.startsWith(title) ? detail : `${title}: ${detail}`) : (detail ?? title ?? null);
  }
  const legacy = LegacyErrorSchema.safeParse(body);
  if (legacy.success && (legacy.data.message || legacy.data.description)) {
    const { message, description } = legacy.data;
    return message && description ? (description.startsWith(message) ? description : `${message}: ${description}`) : (description ?? message ?? null);
  }
  return null;
}

export class MwwApiError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    /** The API may accept the same call later (429, 5xx, network). */
    readonly retryable: boolean,
    readonly body: unknown = null,
  ) {
    super(message);
    this.name = "MwwApiError";
  }
  get rateLimited(): boolean {
    return this.status === 429;
  }
}

/** Recognised by name (two bundles each have their own copy of the class, see ports.ts isCarrierError). */
export function isMwwApiError(e: unknown): e is MwwApiError {
  return typeof e === "object" && e !== null && (e as { name?: unknown }).name === "MwwApiError";
}

export type MwwApiConfig = { apiUrl: string; partnerToken: string };

export type MwwClientDeps = {
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  /** How long to wait after a 429 before trying again (no Retry-After is sent; the windows are per minute). */
  rateLimitWaitMs?: number;
  /** Per call. */
  timeoutMs?: number;
};

export type MwwRequest = {
  method: "GET" | "PATCH";
  /** From the resource on, without /v1: "orders", "orders/1005/payments". */
  resource: string;
  query?: Record<string, string | number | boolean | null | undefined>;
  body?: unknown;
  /** On 429 (or 5xx, network): wait and try again up to `tries` times ("wait"), or throw at once for the caller's retry ("fail"). */
  onBusy?: "wait" | "fail";
  tries?: number;
};

export type MwwAnswer = { status: number; body: unknown };

export type MwwClient = { call(req: MwwRequest): Promise<MwwAnswer> };

export const DEFAULT_RATE_LIMIT_WAIT_MS = 60_000;
export const DEFAULT_TIMEOUT_MS = 20_000;
const DEFAULT_WAIT_TRIES = 4;
const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createMwwClient(config: MwwApiConfig, storeToken: string, deps: MwwClientDeps = {}): MwwClient {
  const doFetch = deps.fetch ?? fetch;
  const sleep = deps.sleep ?? defaultSleep;
  const waitMs = deps.rateLimitWaitMs ?? DEFAULT_RATE_LIMIT_WAIT_MS;
  const timeoutMs = deps.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const base = config.apiUrl.replace(/\/+$/, "");

  async function once(req: MwwRequest): Promise<MwwAnswer> {
    const resource = req.resource.replace(/^\/+/, "");
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined && v !== null) params.append(k, String(v));
    params.set("token", storeToken);
    params.set("partner_token", config.partnerToken);
    const label = `${req.method} /v1/${resource}`;
    const headers: Record<string, string> = { Accept: "application/json" };
    const body = req.body === undefined ? undefined : JSON.stringify(req.body);
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const answer = await callJson(doFetch, `${base}/v1/${resource}?${params}`, { method: req.method, headers, body }, timeoutMs);
    if (answer.kind === "unreachable") throw new MwwApiError(`Mijnwebwinkel could not be reached (${answer.why})`, null, true);
    const { status, parsed } = answer;
    if (status >= 200 && status < 300) {
      if (isUnreadable(answer)) throw new MwwApiError(`Mijnwebwinkel answered ${label} with a body that is not JSON`, status, true);
      return { status, body: parsed };
    }
    const text = mwwErrorText(parsed);
    const retryable = status === 429 || status >= 500;
    throw new MwwApiError(`Mijnwebwinkel answered ${status}${text ? `: ${cleanText(text).slice(0, 500)}` : ""}`, status, retryable, parsed);
  }

  return {
    call(req) {
      return withRetries(() => once(req), {
        tries: req.tries ?? DEFAULT_WAIT_TRIES,
        onBusy: req.onBusy ?? "wait",
        rateLimitWaitMs: waitMs,
        sleep,
        verdict: (e) => (isMwwApiError(e) ? { retryable: e.retryable, rateLimited: e.rateLimited } : null),
      });
    },
  };
}
