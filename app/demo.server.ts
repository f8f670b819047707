// Constants the app shares with the demo (test/demo). The demo itself never runs in production (env.server.ts).
export const DEMO_SHOP_DOMAIN = "koppel-demo.myshopify.com";
