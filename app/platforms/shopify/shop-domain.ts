// A Shopify shop is identified by its permanent `{handle}.myshopify.com` domain: what X-Shopify-Shop-Domain and the
// session token's `dest` carry. The handle is a DNS label: lower-case letters, digits and hyphens, not starting with a
// hyphen, at most 63 characters. Anything else is not a shop, even when correctly signed, and never becomes a shop row.
const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]{0,62}\.myshopify\.com$/;

export const MAX_SHOP_DOMAIN_LENGTH = 63 + ".myshopify.com".length;

export function isShopifyShopDomain(domain: string): boolean {
  return domain.length <= MAX_SHOP_DOMAIN_LENGTH && SHOP_DOMAIN.test(domain);
}
