// What every Koppel extension shares: calls to Koppel's backend and the extension's own texts.
// fetch with a relative URL goes to the app's URL, and Shopify adds the session token as a Bearer header
// (https://shopify.dev/docs/api/admin-extensions#app-authentication); the routes are app/routes/api.extensions.*.

/** The part of the `shopify` global the shared code uses (every admin target has it; toast and close only some). */
export type KoppelApi = {
  i18n: { translate: (key: string, options?: Record<string, string | number>) => string | unknown[] };
  toast?: { show: (message: string, options?: { isError?: boolean }) => void };
};

export type Translate = (key: string, params?: Record<string, string | number>) => string;

export function translator(api: KoppelApi): Translate {
  return (key, params) => String(api.i18n.translate(key, params));
}

/** The admin's language as the extension's locale file names it ("nl" or "en"): Koppel answers in it. */
export function localeOf(api: KoppelApi): string {
  return translator(api)("locale");
}

export type Answer<T> = { status: number; body: T & { error?: string } };

/** JSON from Koppel; a network failure is status 0 (the extension says Koppel is unreachable). */
export async function callKoppel<T>(api: KoppelApi, path: string, init: { method?: "GET" | "POST"; body?: unknown } = {}): Promise<Answer<T>> {
  const url = `${path}${path.includes("?") ? "&" : "?"}locale=${encodeURIComponent(localeOf(api))}`;
  try {
    const response = await fetch(url, {
      method: init.method ?? "GET",
      headers: init.body === undefined ? undefined : { "Content-Type": "application/json" },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    let body: unknown = {};
    try {
      body = await response.json();
    } catch {
      body = { error: "unreadable" };
    }
    return { status: response.status, body: body as T & { error?: string } };
  } catch {
    return { status: 0, body: { error: "unreachable" } as T & { error?: string } };
  }
}

/** Shows a result the Shopify way when the target offers toasts; the extension shows it inline as well. */
export function toast(api: KoppelApi, message: string, isError = false): void {
  api.toast?.show(message, isError ? { isError } : undefined);
}

/**
 * The refusal's `detail` as the sentence's parameters: a text is {{detail}}; an object's numbers and texts by name, and
 * each `…Grams` also as `…Kg` in the admin's language ({limitGrams: 2000} → {{limitKg}} "2").
 */
function detailParams(t: Translate, detail: unknown): Record<string, string | number> {
  if (typeof detail === "string" || typeof detail === "number") return { detail };
  const params: Record<string, string | number> = {};
  if (!detail || typeof detail !== "object") return params;
  const kg = new Intl.NumberFormat(t("locale"), { maximumFractionDigits: 2 });
  for (const [name, value] of Object.entries(detail as Record<string, unknown>)) {
    if (typeof value !== "string" && typeof value !== "number") continue;
    params[name] = value;
    if (typeof value === "number" && name.endsWith("Grams")) params[`${name.slice(0, -"Grams".length)}Kg`] = kg.format(value / 1000);
  }
  return params;
}

/** The sentence for a refused or failed call, from the extension's texts (`error.<code>`), else a general one. */
export function errorText(t: Translate, answer: Answer<unknown>): string {
  const code = answer.status === 0 ? "unreachable" : answer.status === 401 ? "unauthenticated" : answer.status === 404 ? "order_not_found" : answer.body.error;
  const key = `error.${code ?? "general"}`;
  const text = t(key, detailParams(t, (answer.body as { detail?: unknown }).detail));
  return text === key || !text ? t("error.general") : text;
}
