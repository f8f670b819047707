// An order's ship-to in the carrier port's shape. Pure: labels.server.ts and the order list call it.
import { understandAddress } from "./address";
import type { ShipTo } from "./domain";
import type { CarrierAddress } from "./ports";

/**
 * The ship-to as the carrier wants it. Street and number: the shop platform's own when it gives them apart (CCV Shop,
 * Shopify for NL/BE/LU), else understandAddress of address1/address2. When no split is certain the whole line goes as
 * `addressLine1` and street/houseNumber stay empty: the carrier decides (missingAddressFields) whether that will do.
 */
export function shipToCarrierAddress(shipTo: ShipTo, email: string | null): Partial<CarrierAddress> {
  const base = {
    name: shipTo.name,
    company: shipTo.company ?? null,
    email,
    phone: shipTo.phone ?? null,
    postcode: shipTo.postcode,
    city: shipTo.city,
    country: shipTo.country,
    privateAddress: !shipTo.company,
  };
  const street = shipTo.street?.trim();
  const houseNumber = shipTo.houseNumber?.trim();
  if (street && houseNumber) {
    return {
      ...base,
      street,
      houseNumber,
      houseNumberAddition: shipTo.houseNumberAddition?.trim() || null,
      addressLine1: null,
      addressLine2: shipTo.address2?.trim() || null,
    };
  }
  const understood = understandAddress({ address1: shipTo.address1, address2: shipTo.address2, country: shipTo.country });
  if (understood.kind === "split") {
    return {
      ...base,
      street: understood.street,
      houseNumber: understood.houseNumber,
      houseNumberAddition: understood.houseNumberAddition,
      addressLine1: null,
      addressLine2: understood.addressLine2,
    };
  }
  return { ...base, street: "", houseNumber: "", houseNumberAddition: null, addressLine1: understood.addressLine1 || null, addressLine2: understood.addressLine2 };
}

