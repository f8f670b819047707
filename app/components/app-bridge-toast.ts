// A result as App Bridge's toast inside Shopify's admin (https://shopify.dev/docs/api/app-bridge-library/apis/toast);
// outside it (Koppel's own pages, no App Bridge) nothing happens: the page shows the result itself too.
type AppBridgeWindow = { shopify?: { toast?: { show?: (message: string, opts?: { isError?: boolean }) => void } } };

export function showToast(message: string, isError = false): void {
  if (typeof window === "undefined") return;
  try {
    (window as unknown as AppBridgeWindow).shopify?.toast?.show?.(message, isError ? { isError } : undefined);
  } catch {
    // App Bridge not ready: the page shows the result anyway.
  }
}
