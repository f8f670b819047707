// The status an order shows (the list's Status column, the order page's title badge): the platform's status, except
// that an open order whose label exists is "Label gemaakt" until the write-back marks it shipped, and a removed order
// is "Verwijderd".
export type OrderDisplayStatus = "to_ship" | "label_created" | "shipped" | "cancelled" | "refunded" | "fulfilled_elsewhere" | "unpaid" | "removed";

export function orderDisplayStatus(o: { status: string; removed: boolean; hasLabel: boolean }): OrderDisplayStatus {
  if (o.removed) return "removed";
  if (o.status === "to_ship" && o.hasLabel) return "label_created";
  return o.status as OrderDisplayStatus;
}

export const ORDER_STATUS_TONE: Partial<Record<OrderDisplayStatus, "attention" | "success" | "warning" | "info">> = {
  to_ship: "attention",
  label_created: "info",
  shipped: "success",
  unpaid: "warning",
};
