// Request times per bucket on a sliding one-minute window of a fake's clock: the part every fake's rate limiter shares
// (CCV Shop per resource + method and in total, Mijnwebwinkel per store and per partner).
const WINDOW_MS = 60_000;

export class SlidingWindow {
  private readonly hits = new Map<string, number[]>();

  /** The bucket's requests within the minute before `t` (a live array: push `t` to count one more). */
  recent(bucket: string, t: number): number[] {
    const kept = (this.hits.get(bucket) ?? []).filter((at) => at > t - WINDOW_MS && at <= t);
    this.hits.set(bucket, kept);
    return kept;
  }

  reset(): void {
    this.hits.clear();
  }
}
