// Shopify's names for who delivers a parcel (FulfillmentTrackingInfo.company). With a name from Shopify's list the
// admin and the shipping e-mail link the right tracking page; any other name is shown as is, with our URL.
// https://shopify.dev/docs/api/admin-graphql/latest/objects/FulfillmentTrackingInfo#supported-tracking-companies
import type { Distributor, ShipmentTracking } from "../../core/ports";

const SHOPIFY_COMPANY: Record<Distributor, string> = {
  PostNL: "PostNL",
  DPD: "DPD",
  // Shopify lists DHL by service line; parcels booked in the Netherlands go with DHL Parcel (formerly DHL eCommerce NL).
  DHL: "DHL Parcel",
  UPS: "UPS",
  GLS: "GLS",
  FedEx: "FedEx",
  TNT: "TNT",
  bpost: "Bpost",
};

export function shopifyTrackingCompany(tracking: Pick<ShipmentTracking, "distributor" | "carrierName">): string {
  return tracking.distributor ? SHOPIFY_COMPANY[tracking.distributor] : tracking.carrierName;
}
