// Per-minute request limits on a sliding one-minute window of the fake's clock (contract §6): /orders GET 150,
// /orders PATCH|POST 100, other resources 150 per resource+method, plus a total cap (value unconfirmed: 300).
// Only requests that pass authentication count, and refused (429) ones do not use up the allowance.
import { SlidingWindow } from "../shared/sliding-window";
import type { LimitKey } from "./types";

export const DEFAULT_LIMITS: Record<LimitKey, number> = { ordersGet: 150, ordersWrite: 100, other: 150, total: 300 };

export class RateLimiter {
  private readonly limits: Record<LimitKey, number>;
  private readonly window = new SlidingWindow();

  constructor(
    limits: Partial<Record<LimitKey, number>>,
    private readonly now: () => number,
  ) {
    this.limits = { ...DEFAULT_LIMITS, ...limits };
  }

  /** Count the request and return null, or the CCV code of the limit it would exceed (nothing counted then). */
  take(resource: string, method: string): "429.10" | "429.11" | null {
    const t = this.now();
    const bucket = `${resource}:${method}`;
    const limit = resource === "orders" ? (method === "GET" ? this.limits.ordersGet : this.limits.ordersWrite) : this.limits.other;
    const own = this.window.recent(bucket, t);
    const total = this.window.recent("*", t);
    if (own.length >= limit) return "429.10";
    if (total.length >= this.limits.total) return "429.11";
    own.push(t);
    total.push(t);
    return null;
  }

  reset(): void {
    this.window.reset();
  }
}
