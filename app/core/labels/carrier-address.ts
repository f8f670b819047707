// Koppel's addresses in the carrier's shape (pure): the shop's from address, and an order's ship-to with street and
// house number split from address1 where the platform gave one line. requestLabels checks the ship-to with it, the
// create-label job sends both.
import type { FromAddress, ShipTo } from "../../db/schema";
import type { CarrierAddress } from "../ports";
import { splitStreetLine } from "../address";

export function fromAddressToCarrier(a: FromAddress): CarrierAddress {
  return {
    name: a.contactName,
    company: a.company,
    email: a.email,
    phone: a.phone,
    street: a.street,
    houseNumber: a.houseNumber,
    houseNumberAddition: a.houseNumberAddition ?? null,
    postcode: a.postcode,
    city: a.city,
    country: a.country,
    privateAddress: false,
  };
}

/** The order's ship-to in the carrier's shape; street and number come from the adapter's split of address1. */
export function shipToToCarrier(s: ShipTo, email: string | null): Partial<CarrierAddress> {
  const split = !s.street || !s.houseNumber ? splitStreetLine(s.address1) : null;
  return {
    name: s.name,
    company: s.company ?? null,
    email,
    phone: s.phone ?? null,
    street: s.street ?? split?.street ?? "",
    houseNumber: s.houseNumber ?? split?.houseNumber ?? "",
    houseNumberAddition: s.houseNumberAddition ?? split?.houseNumberAddition ?? null,
    addressLine2: s.address2 ?? null,
    postcode: s.postcode,
    city: s.city,
    country: s.country,
    privateAddress: !s.company,
  };
}
