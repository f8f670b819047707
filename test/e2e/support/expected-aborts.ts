// Requests of Koppel's pages that the browser aborts by design (net::ERR_ABORTED) and a journey therefore does not count
// as problems. Each is narrow: its method, path and error; any response >= 400 of the same request still fails.
const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1"]);

/**
 * Remix's lazy route discovery asks GET /__manifest?p=… for the links on a page once the page is idle; when the journey
 * navigates on before that answer came, the browser aborts it with the page (net::ERR_ABORTED). Nothing of the
 * merchant's is lost (the next page asks again) and a failing manifest still fails the journey as a response >= 400.
 */
export function isAbandonedRouteDiscovery(method: string, url: string, errorText: string | undefined): boolean {
  if (method !== "GET" || errorText !== "net::ERR_ABORTED") return false;
  const u = new URL(url);
  return LOCAL_HOSTS.has(u.hostname) && u.pathname === "/__manifest";
}

/**
 * The label dialog asks the carrier's prices after its plan (GET /app/label-plan.data?…&prices=1), and "Label aanmaken"
 * may be pressed before they come: that is allowed, the button only waits for the plan. Remix then aborts the price
 * load itself — a submission interrupts every in-flight fetcher load (@remix-run/router interruptActiveLoads), as does
 * closing the dialog — so Chromium reports net::ERR_ABORTED. That abort is the intended outcome, not a failure; any
 * other failed request, and any response >= 400 of this one, still fails the journey.
 */
export function isSupersededPriceLoad(method: string, url: string, errorText: string | undefined): boolean {
  if (method !== "GET" || errorText !== "net::ERR_ABORTED") return false;
  const u = new URL(url);
  return LOCAL_HOSTS.has(u.hostname) && u.pathname === "/app/label-plan.data" && u.searchParams.get("prices") === "1";
}
