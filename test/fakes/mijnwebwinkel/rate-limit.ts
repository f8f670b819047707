// Per-minute request budgets on a sliding 60 s window of the fake's clock. MyOnlineStore limits per partner and per
// store but publishes no values: the fake defaults to 120 per store token and 600 for the partner token (all stores
// together), both configurable. Only authenticated requests count; refused (429) ones use up nothing.
const WINDOW_MS = 60_000;

export const DEFAULT_PER_MINUTE = 120;
export const DEFAULT_PARTNER_PER_MINUTE = 600;

export type LimitHit = { scope: "store" | "partner"; limit: number };

export class RateLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    public perMinute: number,
    public partnerPerMinute: number,
    private readonly now: () => number,
  ) {}

  /** Count one request for `storeId` (null: a partner-only request) and return null, or the budget it exceeds. */
  take(storeId: string | null): LimitHit | null {
    const t = this.now();
    const partner = this.recent("partner", t);
    const own = storeId === null ? null : this.recent(`store:${storeId}`, t);
    if (own && own.length >= this.perMinute) return { scope: "store", limit: this.perMinute };
    if (partner.length >= this.partnerPerMinute) return { scope: "partner", limit: this.partnerPerMinute };
    own?.push(t);
    partner.push(t);
    return null;
  }

  reset(): void {
    this.hits.clear();
  }

  private recent(bucket: string, t: number): number[] {
    const kept = (this.hits.get(bucket) ?? []).filter((at) => at > t - WINDOW_MS && at <= t);
    this.hits.set(bucket, kept);
    return kept;
  }
}
