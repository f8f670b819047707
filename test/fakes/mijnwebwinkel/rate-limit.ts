// Per-minute request budgets on a sliding 60 s window of the fake's clock. MyOnlineStore limits per partner and per
// store but publishes no values: the fake defaults to 120 per store token and 600 for the partner token (all stores
// together), both configurable. Only authenticated requests count; refused (429) ones use up nothing.
import { SlidingWindow } from "../shared/sliding-window";

export const DEFAULT_PER_MINUTE = 120;
export const DEFAULT_PARTNER_PER_MINUTE = 600;

export type LimitHit = { scope: "store" | "partner"; limit: number };

export class RateLimiter {
  private readonly window = new SlidingWindow();

  constructor(
    public perMinute: number,
    public partnerPerMinute: number,
    private readonly now: () => number,
  ) {}

  /** Count one request for `storeId` (null: a partner-only request) and return null, or the budget it exceeds. */
  take(storeId: string | null): LimitHit | null {
    const t = this.now();
    const partner = this.window.recent("partner", t);
    const own = storeId === null ? null : this.window.recent(`store:${storeId}`, t);
    if (own && own.length >= this.perMinute) return { scope: "store", limit: this.perMinute };
    if (partner.length >= this.partnerPerMinute) return { scope: "partner", limit: this.partnerPerMinute };
    own?.push(t);
    partner.push(t);
    return null;
  }

  reset(): void {
    this.window.reset();
  }
}
