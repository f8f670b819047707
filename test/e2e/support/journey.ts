// Runs one merchant journey in a fresh browser context: a Playwright trace while it runs (kept only when the journey
// fails), a screenshot at the end, and a strict watch on the browser: console errors, uncaught page errors, failed
// requests and HTTP responses >= 400 all fail the journey unless the journey said it expects them.
import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { expect } from "vitest";
import type { BrowserContext, Locator, Page, Response } from "playwright-core";
import { RESULTS_DIR, type E2EWorld } from "./harness";
import { isAbandonedRouteDiscovery, isSupersededPriceLoad } from "./expected-aborts";

export type Problem = { kind: "console" | "pageerror" | "requestfailed" | "response"; detail: string };

export type JourneyTools = {
  page: Page;
  context: BrowserContext;
  world: E2EWorld;
  /** Declare that a response with this status for a matching URL is part of the journey (not a problem). */
  expectStatus(status: number, url: RegExp): void;
  /** Save test-results/e2e/<name>.png (the viewport). */
  screenshot(name: string): Promise<void>;
  /** Problems seen so far (the runner also checks them when the journey ends). */
  problems(): Problem[];
};

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1"]);

export async function runJourney(
  world: E2EWorld,
  name: string,
  prepare: (context: BrowserContext) => Promise<void>,
  body: (t: JourneyTools) => Promise<void>,
): Promise<void> {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const tracePath = path.join(RESULTS_DIR, `${name}-trace.zip`);
  rmSync(tracePath, { force: true }); // a trace on disk always belongs to the last failing run

  const context = await world.browser.newContext({
    // Headless Chromium says "HeadlessChrome" in its user agent, and @shopify/shopify-app-remix answers bots (isbot)
    // without authenticating. A merchant's browser is plain Chrome: use Chromium's own UA without "Headless".
    userAgent: `Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${world.browser.version()} Safari/537.36`,
    locale: "nl-NL",
    timezoneId: "Europe/Amsterdam",
    viewport: { width: 1280, height: 860 },
    acceptDownloads: true,
  });
  context.setDefaultTimeout(15_000);
  context.setDefaultNavigationTimeout(20_000);
  await context.tracing.start({ screenshots: true, snapshots: true, title: name });

  const problems: Problem[] = [];
  const expected: { status: number; url: RegExp }[] = [];
  const isExpected = (status: number, url: string) => expected.some((e) => e.status === status && e.url.test(url));

  // Koppel's pages must work without the internet: every request to another host is refused (and reported as a
  // failed request). The App Bridge route (cdn.shopify.com), registered later, takes precedence where installed.
  await context.route(
    (u) => !LOCAL_HOSTS.has(u.hostname),
    (route) => route.abort("blockedbyclient"),
  );

  context.on("console", (msg) => {
    if (msg.type() !== "error") return;
    // Chromium logs "Failed to load resource: … status of 404" for every failed response; the response check below
    // already judges those (and knows which statuses the journey expects).
    if (/^Failed to load resource: the server responded with a status of \d+/.test(msg.text())) return;
    problems.push({ kind: "console", detail: `${msg.text()} (${msg.location().url}:${msg.location().lineNumber})` });
  });
  context.on("weberror", (err) => problems.push({ kind: "pageerror", detail: err.error().stack ?? String(err.error()) }));
  context.on("requestfailed", (req) => {
    // Allowed: Chromium's built-in PDF viewer (an extension page, chrome-extension://…, with its chrome://resources)
    // loads inside the tab that shows a label PDF; closing that tab aborts what it is still loading. That is the
    // browser's own UI, not a request of Koppel's. (Koppel's own requests are http://localhost.)
    if (/^chrome(-extension)?:\/\//.test(req.url())) return;
    if (isSupersededPriceLoad(req.method(), req.url(), req.failure()?.errorText)) return;
    if (isAbandonedRouteDiscovery(req.method(), req.url(), req.failure()?.errorText)) return;
    problems.push({ kind: "requestfailed", detail: `${req.method()} ${req.url()}: ${req.failure()?.errorText}` });
  });
  context.on("response", (res: Response) => {
    if (res.status() >= 400 && !isExpected(res.status(), res.url())) {
      problems.push({ kind: "response", detail: `${res.status()} ${res.request().method()} ${res.url()}` });
    }
  });

  await prepare(context);
  const page = await context.newPage();
  const screenshot = async (shot: string) => {
    await page.screenshot({ path: path.join(RESULTS_DIR, `${shot}.png`), animations: "disabled" });
  };

  let failed = true;
  try {
    await body({
      page,
      context,
      world,
      expectStatus: (status, url) => expected.push({ status, url }),
      screenshot,
      problems: () => [...problems],
    });
    await screenshot(name);
    expect(problems, `browser problems during "${name}"`).toEqual([]);
    failed = false;
  } finally {
    if (failed) {
      await screenshot(name).catch(() => {});
      await context.tracing.stop({ path: tracePath }).catch(() => {});
    } else {
      await context.tracing.stop();
    }
    await context.close();
  }
}

// ---------------------------------------------------------------- waiting without sleeps

/** Polls `fn` until it returns a value `accept` likes (default: truthy); fails with the last value after `timeout`. */
export async function eventually<T>(fn: () => Promise<T>, accept: (v: T) => boolean = Boolean, timeout = 20_000): Promise<T> {
  let last: T | undefined;
  await expect
    .poll(
      async () => {
        last = await fn();
        return accept(last);
      },
      { timeout, interval: 100 },
    )
    .toBe(true);
  return last as T;
}

/** Waits until the locator matches exactly `n` elements. */
export async function expectCount(locator: Locator, n: number, timeout = 15_000): Promise<void> {
  await expect.poll(() => locator.count(), { timeout, interval: 100 }).toBe(n);
}

/** Waits until the locator's element is visible and returns its trimmed text. */
export async function visibleText(locator: Locator): Promise<string> {
  await locator.waitFor({ state: "visible" });
  return (await locator.innerText()).trim();
}

/**
 * The order list's / shipment table's data rows, and the one mentioning `text` (an order number, a postcode). Below
 * 768 px the order list is Polaris' condensed list: its rows are list items.
 */
export const dataRows = (page: Page) => page.locator("table tbody tr, ul.Polaris-IndexTable__CondensedList > li");
export const row = (page: Page, text: string) => dataRows(page).filter({ hasText: text });
