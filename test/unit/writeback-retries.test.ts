// How long a write-back that keeps failing retries before it is "mislukt" (with "Opnieuw"): computed from the queue's
// own options with pg-boss's backoff rule, not timed.
import { describe, expect, it } from "vitest";
import { QUEUE_OPTIONS, QUEUES, retryScheduleSeconds } from "../../app/jobs/queue.server";

describe("write-back retries", () => {
  it("end within five minutes of the first failure, after more than a minute", () => {
    const { min, max } = retryScheduleSeconds(QUEUE_OPTIONS[QUEUES.writeBack]);
    expect(max).toBeLessThanOrEqual(5 * 60);
    expect(min).toBeGreaterThanOrEqual(60);
  });
  it("follows pg-boss's rule: retry n waits between retryDelay·2^n and twice that, capped", () => {
    expect(retryScheduleSeconds({ retryLimit: 3, retryDelay: 5, retryBackoff: true })).toEqual({ min: 5 + 10 + 20, max: 10 + 20 + 40 });
    expect(retryScheduleSeconds({ retryLimit: 3, retryDelay: 5, retryBackoff: true, retryDelayMax: 12 })).toEqual({ min: 5 + 10 + 12, max: 10 + 12 + 12 });
    expect(retryScheduleSeconds({ retryLimit: 2, retryDelay: 30 })).toEqual({ min: 60, max: 60 });
  });
});
