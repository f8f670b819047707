// Which of an order's fulfillment orders are Koppel's to fulfil, and in which states.

/**
 * Delivery methods that need a carrier label (contract §9): SHIPPING, and PICKUP_POINT (a carrier's pick-up point the
 * buyer chose). PICK_UP (the customer collects at a location), LOCAL (the merchant delivers), RETAIL and NONE are not.
 */
export const SHIPPABLE_METHODS: ReadonlySet<string> = new Set(["SHIPPING", "PICKUP_POINT"]);

/** Koppel's to fulfil: shipped by a carrier (a fulfillment order without a delivery method counts as shipped). */
export const isOurs = (fo: { methodType: string | null }) => fo.methodType === null || SHIPPABLE_METHODS.has(fo.methodType);

/** States fulfillmentCreate accepts (https://shopify.dev/docs/api/admin-graphql/latest/enums/FulfillmentOrderStatus). */
export const FULFILLABLE_STATUSES: ReadonlySet<string> = new Set(["OPEN", "IN_PROGRESS"]);

/** States that may become fulfillable later (a hold released, a scheduled date reached). */
export const WAITING_STATUSES: ReadonlySet<string> = new Set(["ON_HOLD", "SCHEDULED"]);
