// Runs a built admin UI extension (the bundle `npm run build` ships, extensions/<handle>/dist/<handle>.js) in
// happy-dom with a stubbed `shopify` global as Shopify's admin provides it: `extend(target, fn)`, the selected
// resources, `i18n.translate` reading the extension's own locale file ({{name}} interpolation, nested keys), `toast`,
// `close`, `navigation`. The extension's `fetch` to a relative URL goes to Koppel's real route modules in this process
// with a session token for the shop, as the admin adds it (https://shopify.dev/docs/api/admin-extensions#app-authentication).
import fs from "node:fs";
import path from "node:path";
import vm from "node:vm";
import { Window } from "happy-dom";
import { env } from "~/env.server";
import { signSessionToken } from "../../fakes/shopify";
import { EXTENSIONS_DIR, buildExtension, readExtensionConfigs } from "../../../scripts/build-extensions";

type RouteModule = {
  loader?: (args: { request: Request; params: Record<string, string>; context: Record<string, unknown> }) => Promise<Response> | Response;
  action?: (args: { request: Request; params: Record<string, string>; context: Record<string, unknown> }) => Promise<Response> | Response;
};

/** The app's routes an extension may call, by path (Remix's file names). */
const ROUTES: Record<string, () => Promise<RouteModule>> = {
  "/api/extensions/order": () => import("~/routes/api.extensions.order") as Promise<RouteModule>,
  "/api/extensions/labels": () => import("~/routes/api.extensions.labels") as Promise<RouteModule>,
  "/api/extensions/restore": () => import("~/routes/api.extensions.restore") as Promise<RouteModule>,
  "/api/extensions/retry-writeback": () => import("~/routes/api.extensions.retry-writeback") as Promise<RouteModule>,
  "/api/extensions/fetch-order": () => import("~/routes/api.extensions.fetch-order") as Promise<RouteModule>,
  "/api/extensions/print": () => import("~/routes/api.extensions.print") as Promise<RouteModule>,
  "/app/shipments/pdf": () => import("~/routes/app.shipments.pdf") as Promise<RouteModule>,
};

/** Calls the route module for this request (a thrown Response is the answer, as Remix serves it). */
export async function dispatch(request: Request): Promise<Response> {
  const route = ROUTES[new URL(request.url).pathname];
  if (!route) return new Response("Not found", { status: 404 });
  const mod = await route();
  const fn = request.method === "GET" || request.method === "HEAD" ? mod.loader : mod.action;
  if (!fn) return new Response(null, { status: 405 });
  try {
    return await fn({ request, params: {}, context: {} });
  } catch (e) {
    if (e instanceof Response) return e;
    throw e;
  }
}

const bundles = new Map<string, string>();

async function bundleOf(handle: string): Promise<string> {
  if (!bundles.has(handle)) {
    const config = readExtensionConfigs().find((c) => c.handle === handle);
    if (!config) throw new Error(`no extension ${handle}`);
    bundles.set(handle, (await buildExtension(config, { write: false })).code);
  }
  return bundles.get(handle)!;
}

function lookup(messages: unknown, key: string): string | undefined {
  let node: unknown = messages;
  for (const part of key.split(".")) node = node && typeof node === "object" ? (node as Record<string, unknown>)[part] : undefined;
  return typeof node === "string" ? node : undefined;
}

export type RenderedExtension = {
  window: Window;
  document: Window["document"];
  toasts: { message: string; isError: boolean }[];
  closed: () => number;
  navigations: string[];
  /** Keys the extension asked for that its locale file lacks (a test expects none). */
  missingTexts: string[];
  /** Every request the extension sent, as "METHOD path". */
  requests: string[];
  /** Text of the whole rendered extension, whitespace collapsed. */
  text(): string;
  find(selector: string, text?: string): Element | null;
  waitFor<T>(probe: () => T | null | undefined | false, what: string, timeoutMs?: number): Promise<T>;
  click(selector: string, text?: string): Promise<void>;
  /** Sets a field's value as the web component does, then fires its change event. */
  change(selector: string, value: string, label?: string): Promise<void>;
  /**
   * Saves the rendered DOM as test-results/extensions/<name>.html (scripts/extension-screenshots.ts turns it into the
   * README's picture). Each select's chosen option is marked, as the web component shows it.
   */
  snapshot(name: string): void;
  unmount(): void;
};

/**
 * Renders the extension `handle` at `target` for `shop`, with `selected` as the admin's selection (order GIDs) and
 * the admin's language `locale`.
 */
export async function renderExtension(opts: { handle: string; target: string; shop: string; selected: string[]; locale: "nl" | "en" }): Promise<RenderedExtension> {
  const code = await bundleOf(opts.handle);
  const directory = path.join(EXTENSIONS_DIR, opts.handle);
  const messages = JSON.parse(fs.readFileSync(path.join(directory, "locales", opts.locale === "en" ? "en.default.json" : "nl.json"), "utf8"));
  const window = new Window({ url: "https://extensions.shopifycdn.com/" });
  const document = window.document;
  const toasts: RenderedExtension["toasts"] = [];
  const navigations: string[] = [];
  const missingTexts: string[] = [];
  const requests: string[] = [];
  let closed = 0;
  const targets = new Map<string, () => unknown>();

  const shopify = {
    extension: { target: opts.target },
    data: { selected: opts.selected.map((id) => ({ id })) },
    i18n: {
      translate(key: string, params?: Record<string, string | number>) {
        const text = lookup(messages, key);
        if (text === undefined) {
          missingTexts.push(key);
          return key;
        }
        return text.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => String(params?.[name] ?? ""));
      },
    },
    toast: { show: (message: string, o?: { isError?: boolean }) => void toasts.push({ message, isError: !!o?.isError }), hide() {} },
    close: () => void closed++,
    navigation: { navigate: (url: string) => void navigations.push(url) },
    extend(target: string, fn: () => unknown) {
      targets.set(target, fn);
    },
  };

  // The admin resolves a relative URL against the app's URL and adds the session token.
  const extensionFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    if (!url.startsWith("/")) throw new TypeError(`the extension fetched ${url}: only Koppel's own routes are expected`);
    const headers = new Headers(init?.headers);
    headers.set("Authorization", `Bearer ${signSessionToken({ shop: opts.shop, apiKey: env.SHOPIFY_API_KEY, apiSecret: env.SHOPIFY_API_SECRET })}`);
    headers.set("Origin", "https://extensions.shopifycdn.com");
    const request = new Request(`${env.SHOPIFY_APP_URL}${url}`, { method: init?.method ?? "GET", headers, body: init?.body ?? undefined });
    requests.push(`${request.method} ${url.split("?")[0]}`);
    return dispatch(request);
  };

  // The bundle runs as Shopify runs it: a script with `shopify`, `document` and `fetch` as globals.
  const context = vm.createContext({
    shopify,
    document,
    window,
    fetch: extensionFetch,
    setTimeout: window.setTimeout.bind(window),
    clearTimeout: window.clearTimeout.bind(window),
    queueMicrotask,
    Promise,
    console,
  });
  vm.runInContext(code, context);
  const run = targets.get(opts.target);
  if (!run) throw new Error(`${opts.handle} registered no ${opts.target} (registered: ${[...targets.keys()].join(", ")})`);
  await run();

  const find = (selector: string, text?: string) =>
    [...document.querySelectorAll(selector)].find((el) => text === undefined || (el.textContent ?? "").replace(/\s+/g, " ").includes(text)) ?? null;
  const rendered: RenderedExtension = {
    window,
    document,
    toasts,
    closed: () => closed,
    navigations,
    missingTexts,
    requests,
    text: () => (document.body.textContent ?? "").replace(/\s+/g, " ").trim(),
    find: find as RenderedExtension["find"],
    async waitFor(probe, what, timeoutMs = 15_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const value = probe();
        if (value) return value;
        if (Date.now() > until) throw new Error(`timed out waiting for ${what}; the extension shows: ${rendered.text()}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async click(selector, text) {
      const el = await rendered.waitFor(() => find(selector, text), `${selector} "${text ?? ""}"`);
      if (el.hasAttribute("disabled")) throw new Error(`${selector} "${text ?? ""}" is disabled; the extension shows: ${rendered.text()}`);
      el.dispatchEvent(new window.MouseEvent("click", { bubbles: true }));
    },
    async change(selector, value, label) {
      const el = await rendered.waitFor(() => [...document.querySelectorAll(selector)].find((e) => label === undefined || e.getAttribute("label") === label), `${selector} [label=${label}]`);
      (el as unknown as { value: string }).value = value;
      el.dispatchEvent(new window.Event("change", { bubbles: true }));
    },
    snapshot(name) {
      for (const select of document.querySelectorAll("s-select")) {
        for (const option of select.querySelectorAll("s-option")) {
          if (option.getAttribute("value") === select.getAttribute("value")) option.setAttribute("data-selected", "");
          else option.removeAttribute("data-selected");
        }
      }
      const dir = path.resolve(EXTENSIONS_DIR, "..", "test-results", "extensions");
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, `${name}.html`), `<!-- ${opts.handle} at ${opts.target} (${opts.locale}) -->\n${document.body.innerHTML}\n`);
    },
    unmount() {
      window.happyDOM.abort();
      window.close();
    },
  };
  return rendered;
}
