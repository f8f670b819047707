// CCV Shop's REST API, signed: every call carries x-public, x-date and x-hash (signing.ts) on {api_root}/api/rest/v1/….
// Answers are JSON; errors carry CCV's body `{code, status, developermessage}` (ccvshop-api ExceptionFactory.php).
// Over the limit CCV answers 429 with code 429.10 (this resource) or 429.11 (all calls), and sometimes 500.10; public
// clients wait a minute and try again. See ../shared/contracts/ccvshop.md §1, §6.
import { z } from "zod";
import { cleanText } from "../../core/text";
import type { CcvCredentials } from "./credentials";
import { ccvDate, signRequest } from "./signing";
import { callJson, isUnreadable, withRetries } from "../json-api.server";

export const API_PREFIX = "/api/rest/v1";

/** CCV's error body. Lenient: only what is there is shown. */
const ErrorBodySchema = z.object({
  code: z.union([z.string(), z.number()]).transform(String).optional(),
  status: z.union([z.number(), z.string()]).optional(),
  developermessage: z.string().optional(),
  message: z.string().optional(),
});

/** Codes CCV uses for "too many calls": wait and try again. */
export const RATE_LIMIT_CODES = ["429.10", "429.11", "500.10"] as const;

export class CcvApiError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    /** CCV's error code ("404.20"), when it sent one. */
    readonly code: string | null,
    /** CCV may accept the same call later (rate limit, 5xx, network). */
    readonly retryable: boolean,
    readonly body: unknown = null,
  ) {
    super(message);
    this.name = "CcvApiError";
  }
  get rateLimited(): boolean {
    return this.status === 429 || (this.code !== null && (RATE_LIMIT_CODES as readonly string[]).includes(this.code));
  }
}

/** Recognised by name (two bundles each have their own copy of the class, see ports.ts isCarrierError). */
export function isCcvApiError(e: unknown): e is CcvApiError {
  return typeof e === "object" && e !== null && (e as { name?: unknown }).name === "CcvApiError";
}

export type CcvClientDeps = {
  fetch?: typeof fetch;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
  /** How long to wait after a rate-limit answer before trying again (public clients: a minute). */
  rateLimitWaitMs?: number;
  /** Per call. */
  timeoutMs?: number;
};

export type CcvRequest = {
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  /** From the resource on: "orders/123", "apps". */
  resource: string;
  query?: Record<string, string | number | boolean | null | undefined>;
  body?: unknown;
  /** On a rate limit (or 5xx): wait and try again up to `tries` times ("wait"), or throw at once for the caller's retry ("fail"). */
  onBusy?: "wait" | "fail";
  tries?: number;
};

export type CcvAnswer = { status: number; body: unknown; raw: string };

export type CcvClient = {
  readonly credentials: CcvCredentials;
  call(req: CcvRequest): Promise<CcvAnswer>;
  /** An absolute `next` href of a collection, signed as a GET (must stay on the shop's api_root). */
  follow(href: string, opts?: Pick<CcvRequest, "onBusy" | "tries">): Promise<CcvAnswer>;
};

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export const DEFAULT_RATE_LIMIT_WAIT_MS = 60_000;
export const DEFAULT_TIMEOUT_MS = 20_000;
const DEFAULT_WAIT_TRIES = 4;

/** "?a=1&b=2" from a query object, in the given order (the signature covers the query exactly as sent). */
export function queryString(query: CcvRequest["query"]): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== null) params.append(k, String(v));
  const s = params.toString();
  return s ? `?${s}` : "";
}

export function createCcvClient(credentials: CcvCredentials, deps: CcvClientDeps = {}): CcvClient {
  const doFetch = deps.fetch ?? fetch;
  const now = deps.now ?? (() => new Date());
  const sleep = deps.sleep ?? defaultSleep;
  const waitMs = deps.rateLimitWaitMs ?? DEFAULT_RATE_LIMIT_WAIT_MS;
  const timeoutMs = deps.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const origin = credentials.apiRoot.replace(/\/+$/, "");

  async function once(method: string, uri: string, body: string): Promise<CcvAnswer> {
    const date = ccvDate(now());
    const headers: Record<string, string> = {
      Accept: "application/json",
      "x-public": credentials.apiPublic,
      "x-date": date,
      "x-hash": signRequest({ apiPublic: credentials.apiPublic, apiSecret: credentials.apiSecret, method, uri, body, date }),
    };
    if (body) headers["Content-Type"] = "application/json";
    const answer = await callJson(doFetch, `${origin}${uri}`, { method, headers, body: body || undefined }, timeoutMs);
    if (answer.kind === "unreachable") throw new CcvApiError(`CCV Shop could not be reached (${answer.why})`, null, null, true);
    const { status, raw, parsed } = answer;
    if (status >= 200 && status < 300) {
      if (isUnreadable(answer)) throw new CcvApiError(`CCV Shop answered ${method} ${uri.split("?")[0]} with a body that is not JSON`, status, null, true);
      return { status, body: parsed, raw };
    }
    const err = ErrorBodySchema.safeParse(parsed);
    const code = err.success ? (err.data.code ?? null) : null;
    const message = err.success ? (err.data.developermessage ?? err.data.message ?? null) : null;
    const retryable = status === 429 || status >= 500 || (code !== null && (RATE_LIMIT_CODES as readonly string[]).includes(code));
    const text = `CCV Shop answered ${status}${code ? ` (${code})` : ""}${message ? `: ${cleanText(message).slice(0, 500)}` : ""}`;
    throw new CcvApiError(text, status, code, retryable, parsed);
  }

  const retrying = (method: string, uri: string, body: string, onBusy: "wait" | "fail", tries: number) =>
    withRetries(() => once(method, uri, body), {
      tries,
      onBusy,
      rateLimitWaitMs: waitMs,
      sleep,
      verdict: (e) => (isCcvApiError(e) ? { retryable: e.retryable, rateLimited: e.rateLimited } : null),
    });

  return {
    credentials,
    call(req) {
      const uri = `${API_PREFIX}/${req.resource.replace(/^\/+/, "")}${queryString(req.query)}`;
      const body = req.body === undefined ? "" : JSON.stringify(req.body);
      return retrying(req.method, uri, body, req.onBusy ?? "wait", req.tries ?? DEFAULT_WAIT_TRIES);
    },
    follow(href, opts = {}) {
      let url: URL;
      try {
        url = new URL(href, origin);
      } catch {
        throw new CcvApiError(`CCV Shop sent a next page that is not a URL`, null, null, false);
      }
      // The shop's secret signs only calls to the shop itself.
      if (url.origin !== new URL(origin).origin || !url.pathname.startsWith(`${API_PREFIX}/`)) {
        throw new CcvApiError(`CCV Shop sent a next page outside its API (${url.origin}${url.pathname})`, null, null, false);
      }
      return retrying("GET", `${url.pathname}${url.search}`, "", opts.onBusy ?? "wait", opts.tries ?? DEFAULT_WAIT_TRIES);
    },
  };
}
