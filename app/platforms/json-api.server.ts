// What the REST clients of the shop platforms (ccvshop/, mijnwebwinkel/) share: one call with a timeout whose answer
// is read as text and parsed leniently (an error body may not be JSON), and the retry of a call the other side may
// accept later (a rate limit waits the platform's window, a 5xx or network error a few seconds).

export type JsonCall =
  | { kind: "unreachable"; why: string }
  | { kind: "answered"; status: number; raw: string; /** null when the body is empty or not JSON. */ parsed: unknown };

export async function callJson(doFetch: typeof fetch, url: string, init: RequestInit, timeoutMs: number): Promise<JsonCall> {
  let res: Response;
  try {
    res = await doFetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs), redirect: "manual" });
  } catch (e) {
    return { kind: "unreachable", why: (e as Error).name === "TimeoutError" ? `no answer within ${timeoutMs / 1000} s` : (e as Error).message };
  }
  const raw = await res.text();
  let parsed: unknown = null;
  if (raw) {
    try {
      parsed = JSON.parse(raw);
    } catch {
      parsed = null;
    }
  }
  return { kind: "answered", status: res.status, raw, parsed };
}

/** A 2xx whose body is there but not JSON: the platform answered something Koppel cannot read. */
export function isUnreadable(answer: Extract<JsonCall, { kind: "answered" }>): boolean {
  return answer.raw !== "" && answer.parsed === null;
}

/** How a client's error says it may be tried again; null for an error that is not the client's own. */
export type BusyVerdict = { retryable: boolean; rateLimited: boolean } | null;

/**
 * `run` until it succeeds, or `tries` attempts, waiting between them; `onBusy` "fail" (or an error that is not
 * retryable) throws at once, for the caller's own retry (a job's backoff).
 */
export async function withRetries<T>(
  run: () => Promise<T>,
  opts: { tries: number; onBusy: "wait" | "fail"; rateLimitWaitMs: number; sleep: (ms: number) => Promise<void>; verdict: (e: unknown) => BusyVerdict },
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (e) {
      const v = opts.verdict(e);
      if (!v?.retryable || opts.onBusy === "fail" || attempt >= opts.tries) throw e;
      await opts.sleep(v.rateLimited ? opts.rateLimitWaitMs : Math.min(opts.rateLimitWaitMs, 2_000 * attempt));
    }
  }
}
