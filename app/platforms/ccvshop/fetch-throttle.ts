// A CCV webhook is only a trigger, and anyone who learns a shop's webhook address could send a flood of them: each
// must not cost an API call, or the flood spends the shop's per-minute budget (150 order GETs) that Koppel's own work
// needs. So triggers for one order share reads: a trigger processed while a read of that order is under way or
// happened within the last `windowMs` waits for the next read, which starts at most once per window and after the
// trigger arrived — so no trigger is answered with a state older than itself. Per process; each worker bounds its own.

export type FetchThrottle = {
  /** The order read for this key: a fresh read, or the one the next window starts (shared by every caller until then). */
  read<T>(key: string, fetchOnce: () => Promise<T>): Promise<T>;
  /** Reads started so far (tests, logs). */
  readonly started: number;
};

export function createFetchThrottle(opts: { windowMs: number; now?: () => number; sleep?: (ms: number) => Promise<void>; maxKeys?: number }): FetchThrottle {
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const maxKeys = opts.maxKeys ?? 10_000;
  /** Per key: when the last read started, and the read queued for the next window (if any). */
  const state = new Map<string, { lastStart: number; next?: Promise<unknown> }>();
  let started = 0;

  function forget() {
    // Old keys go first (Map keeps insertion order); a key whose window passed needs no memory.
    if (state.size <= maxKeys) return;
    const cutoff = now() - opts.windowMs;
    for (const [k, v] of state) {
      if (state.size <= maxKeys) break;
      if (v.lastStart < cutoff && !v.next) state.delete(k);
    }
  }

  return {
    get started() {
      return started;
    },
    read<T>(key: string, fetchOnce: () => Promise<T>): Promise<T> {
      const s = state.get(key);
      const t = now();
      if (!s || t - s.lastStart >= opts.windowMs) {
        if (!s?.next) {
          state.set(key, { lastStart: t });
          started++;
          forget();
          return fetchOnce();
        }
      }
      if (s?.next) return s.next as Promise<T>;
      // A read started within the window: this trigger waits for the next one, which every later trigger shares.
      const entry = s!;
      const next = (async () => {
        await sleep(Math.max(0, entry.lastStart + opts.windowMs - now()));
        entry.lastStart = now();
        entry.next = undefined;
        started++;
        return fetchOnce();
      })();
      entry.next = next;
      return next;
    },
  };
}
