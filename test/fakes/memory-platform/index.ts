// In-memory shop platform for the core suite: MemoryShopStore (the platform's side: shops, orders, fulfilments,
// deliveries) and createMemoryPlatform (the adapter that satisfies the ShopPlatform port).
export * from "./store";
export * from "./platform";
