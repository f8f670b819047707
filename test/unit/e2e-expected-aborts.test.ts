// The journeys' watch on failed requests lets exactly two aborts by design through (test/e2e/support/expected-aborts.ts):
// a label-plan price load superseded by "Label aanmaken", and Remix's route discovery abandoned by a navigation.
// Everything else — other paths, other errors, other hosts, other methods — stays a problem.
import { describe, expect, it } from "vitest";
import { isAbandonedRouteDiscovery, isSupersededPriceLoad } from "../e2e/support/expected-aborts";

const ABORTED = "net::ERR_ABORTED";

describe("aborts a journey expects", () => {
  it("a price load of the label dialog, aborted", () => {
    expect(isSupersededPriceLoad("GET", "http://localhost:4000/app/label-plan.data?ids=1&prices=1&_routes=routes%2Fapp.label-plan", ABORTED)).toBe(true);
    expect(isSupersededPriceLoad("GET", "http://localhost:4000/app/label-plan.data?ids=1&prices=0", ABORTED)).toBe(false); // the plan itself
    expect(isSupersededPriceLoad("GET", "http://localhost:4000/app/label-plan.data?ids=1&prices=1", "net::ERR_CONNECTION_REFUSED")).toBe(false);
    expect(isSupersededPriceLoad("POST", "http://localhost:4000/app/label-plan.data?prices=1", ABORTED)).toBe(false);
    expect(isSupersededPriceLoad("GET", "https://example.com/app/label-plan.data?prices=1", ABORTED)).toBe(false);
  });
  it("Remix's route discovery, aborted", () => {
    expect(isAbandonedRouteDiscovery("GET", "http://127.0.0.1:4000/__manifest?p=%2Fapp&version=c424463a", ABORTED)).toBe(true);
    expect(isAbandonedRouteDiscovery("GET", "http://127.0.0.1:4000/__manifest?p=%2Fapp", "net::ERR_EMPTY_RESPONSE")).toBe(false);
    expect(isAbandonedRouteDiscovery("GET", "http://127.0.0.1:4000/app/__manifest", ABORTED)).toBe(false);
    expect(isAbandonedRouteDiscovery("GET", "http://127.0.0.1:4000/app.data", ABORTED)).toBe(false);
  });
});
