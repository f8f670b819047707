// The webhook topics Koppel subscribes to (shopify.app.toml), by what Koppel does with them.
// https://shopify.dev/docs/api/webhooks
export const ORDER_TOPICS = ["orders/create", "orders/paid", "orders/updated", "orders/cancelled", "orders/fulfilled"] as const;
export const APP_TOPICS = ["app/uninstalled", "app/scopes_update"] as const;
/** Mandatory compliance topics: https://shopify.dev/docs/apps/build/compliance/privacy-law-compliance */
export const COMPLIANCE_TOPICS = ["customers/data_request", "customers/redact", "shop/redact"] as const;
