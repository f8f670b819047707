// A stand-in for Shopify's App Bridge script (https://cdn.shopify.com/shopifycloud/app-bridge.js), served to the
// page by the test. It does what the real script does for Koppel's pages:
// - defines `window.shopify` (config, idToken(), toast, loading, environment …); idToken() asks the test process for a
//   fresh session token, signed exactly as Shopify signs it (HS256 with the app's client secret, 60 s);
// - wraps `window.fetch` so same-origin requests carry `Authorization: Bearer <fresh session token>` and, like App
//   Bridge, retries once with a new token when the app answers `X-Shopify-Retry-Invalid-Session-Request: 1`;
// - defines the `ui-nav-menu` custom element (App Bridge moves its links into the Admin's sidebar; here it hides them).
// The script must load synchronously before Remix's modules run, as the real one does (`<script src>` without async).
import type { BrowserContext, Route } from "playwright-core";

/** Name of the binding the stub calls for a token (installed with context.exposeFunction). */
export const ID_TOKEN_BINDING = "__koppelTestIdToken";

export function appBridgeStubSource(): string {
  // Runs in the browser: plain ES2020, no imports.
  return `(() => {
  "use strict";
  const script = document.currentScript;
  const apiKey = script ? script.getAttribute("data-api-key") : null;
  const params = new URLSearchParams(location.search);
  const calls = (window.__appBridgeCalls = { idToken: 0, toasts: [], loading: [], bearerRequests: 0, retried: 0 });

  async function idToken() {
    calls.idToken += 1;
    return window.${ID_TOKEN_BINDING}();
  }

  const nativeFetch = window.fetch.bind(window);
  function sameOrigin(url) {
    try {
      return new URL(url, location.href).origin === location.origin;
    } catch (e) {
      return false;
    }
  }
  async function withToken(input, init) {
    const request = new Request(input, init);
    if (!sameOrigin(request.url)) return nativeFetch(request);
    const send = async () => {
      const headers = new Headers(request.headers);
      headers.set("Authorization", "Bearer " + (await idToken()));
      calls.bearerRequests += 1;
      return nativeFetch(new Request(request.clone(), { headers }));
    };
    const response = await send();
    if (response.headers.get("X-Shopify-Retry-Invalid-Session-Request") === "1") {
      calls.retried += 1;
      return send();
    }
    return response;
  }
  window.fetch = function (input, init) {
    return withToken(input, init);
  };

  window.shopify = {
    config: { apiKey, shop: params.get("shop"), host: params.get("host"), locale: params.get("locale") || "nl" },
    environment: { embedded: true, mobile: false, pos: false },
    origin: "https://admin.shopify.com",
    idToken,
    toast: {
      show(message, opts) {
        calls.toasts.push({ message, opts: opts || null });
        return "toast-" + calls.toasts.length;
      },
      hide() {},
    },
    loading(on) {
      calls.loading.push(on === undefined ? true : Boolean(on));
    },
    user: async () => ({ accountAccess: "Account owner" }),
    modal: { show: async () => {}, hide: async () => {}, toggle: async () => {} },
    saveBar: { show: async () => {}, hide: async () => {}, toggle: async () => {}, leaveConfirmation: async () => {} },
  };

  class UiNavMenu extends HTMLElement {
    connectedCallback() {
      this.style.display = "none";
    }
  }
  if (!customElements.get("ui-nav-menu")) customElements.define("ui-nav-menu", UiNavMenu);
  // The title bar is drawn by the admin, outside the iframe: the element itself shows nothing.
  if (!customElements.get("ui-title-bar")) customElements.define("ui-title-bar", class extends UiNavMenu {});
})();
`;
}

/**
 * Serves App Bridge (and any other cdn.shopify.com asset) to every page of the context, and gives the stub its
 * token source. Requests to other outside hosts are aborted: Koppel's pages must not need them (the abort shows up
 * as a failed request, which the journey reports).
 */
export async function installAppBridge(context: BrowserContext, sessionToken: () => string): Promise<{ cdnRequests: string[] }> {
  const cdnRequests: string[] = [];
  await context.exposeFunction(ID_TOKEN_BINDING, () => sessionToken());
  await context.route("https://cdn.shopify.com/**", (route: Route) => {
    const url = route.request().url();
    cdnRequests.push(url);
    if (new URL(url).pathname === "/shopifycloud/app-bridge.js") {
      return route.fulfill({ status: 200, contentType: "text/javascript; charset=utf-8", body: appBridgeStubSource() });
    }
    // Anything else Shopify's CDN would serve (fonts, images, polaris assets): an empty answer of a plausible type.
    const ext = new URL(url).pathname.split(".").pop() ?? "";
    const type = ({ js: "text/javascript", css: "text/css", svg: "image/svg+xml", png: "image/png", woff2: "font/woff2" } as Record<string, string>)[ext];
    return route.fulfill({ status: 200, contentType: type ?? "application/octet-stream", body: ext === "svg" ? "<svg xmlns='http://www.w3.org/2000/svg'/>" : "" });
  });
  return { cdnRequests };
}
