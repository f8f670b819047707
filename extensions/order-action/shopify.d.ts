// The `shopify` global of this extension's target, typed as the Shopify CLI's generated shopify.d.ts types it.
import "@shopify/ui-extensions";

//@ts-ignore
declare module "./src/ActionExtension.tsx" {
  const shopify: import("@shopify/ui-extensions/admin.order-details.action.render").Api & {
    toast?: import("../shared/koppel").KoppelApi["toast"];
  };
  const globalThis: { shopify: typeof shopify };
}
