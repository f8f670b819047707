// Plays CCV's App Store towards an app (contract §2): the server-to-server handshake POST, the merchant's signed
// install GET, and the uninstall POST. App-side hashes use the APP secret from the Developer App Center:
// HMAC-SHA512 over `URI|rawBody` (handshake, uninstall) or `URI|api_public` (install).
import { RETURN_PATH } from "./api";
import { ccvHash } from "./signing";

export type AppStoreShop = { apiRoot: string; apiPublic: string; apiSecret: string };

export type FakeAppStoreOptions = {
  /** The app's public base URL, no trailing slash (e.g. https://koppel.example). */
  appUrl: string;
  /** The app secret CCV's Developer App Center shows. */
  appSecret: string;
  /** The shop whose credentials the handshake hands over (a RunningFakeCcvShop fits). */
  shop: AppStoreShop;
  /** Exact configured URIs; default `${appUrl}/ccvshop/{handshake,install,uninstall}`. */
  handshakeUri?: string;
  installUri?: string;
  uninstallUri?: string;
};

/** `tamper`: send a wrong x-hash; `noHash`: send none. */
export type SigningChoice = { tamper?: boolean; noHash?: boolean };

export type FakeAppStore = {
  readonly handshakeUri: string;
  readonly installUri: string;
  readonly uninstallUri: string;
  /** The JSON the handshake sends (field order as CCV's examples read them). */
  handshakeBody(opts?: { returnUrl?: string; language?: string; extra?: Record<string, unknown> }): string;
  handshake(opts?: SigningChoice & { returnUrl?: string; language?: string; extra?: Record<string, unknown> }): Promise<Response>;
  installUrl(opts?: { language?: string; tamper?: boolean; noHash?: boolean }): string;
  /** The merchant's browser opening installUrl (redirects not followed). */
  install(opts?: { language?: string; tamper?: boolean; noHash?: boolean }): Promise<Response>;
  uninstall(opts?: SigningChoice): Promise<Response>;
};

/** A wrong but well-formed hash: the right one with its first hex digit changed. */
function tampered(hash: string): string {
  return (hash[0] === "0" ? "1" : "0") + hash.slice(1);
}

function sign(secret: string, parts: string[], choice: SigningChoice): string | null {
  if (choice.noHash) return null;
  const hash = ccvHash(secret, parts);
  return choice.tamper ? tampered(hash) : hash;
}

export function createFakeAppStore(opts: FakeAppStoreOptions): FakeAppStore {
  const appUrl = opts.appUrl.replace(/\/+$/, "");
  const handshakeUri = opts.handshakeUri ?? `${appUrl}/ccvshop/handshake`;
  const installUri = opts.installUri ?? `${appUrl}/ccvshop/install`;
  const uninstallUri = opts.uninstallUri ?? `${appUrl}/ccvshop/uninstall`;
  const { shop, appSecret } = opts;

  const post = (uri: string, body: string, choice: SigningChoice) => {
    const hash = sign(appSecret, [uri, body], choice);
    return fetch(uri, {
      method: "POST",
      headers: { "content-type": "application/json", ...(hash ? { "x-hash": hash } : {}) },
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(10_000),
    });
  };

  const store: FakeAppStore = {
    handshakeUri,
    installUri,
    uninstallUri,
    handshakeBody: (o = {}) =>
      JSON.stringify({
        api_public: shop.apiPublic,
        api_secret: shop.apiSecret,
        api_root: shop.apiRoot,
        return_url: o.returnUrl ?? `${shop.apiRoot}${RETURN_PATH}`,
        language: o.language ?? "nl",
        ...o.extra,
      }),
    handshake: (o = {}) => post(handshakeUri, store.handshakeBody(o), o),
    installUrl: (o = {}) => {
      const q = new URLSearchParams({ api_public: shop.apiPublic, language: o.language ?? "nl" });
      const hash = sign(appSecret, [installUri, shop.apiPublic], o);
      if (hash) q.set("x-hash", hash);
      return `${installUri}?${q.toString()}`;
    },
    install: (o = {}) => fetch(store.installUrl(o), { redirect: "manual", signal: AbortSignal.timeout(10_000) }),
    uninstall: (o = {}) => post(uninstallUri, JSON.stringify({ api_public: shop.apiPublic }), o),
  };
  return store;
}
