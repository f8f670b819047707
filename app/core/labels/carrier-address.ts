// Koppel's addresses in the carrier's shape (pure): the shop's from address, and an order's ship-to with street and
// house number split only where that is certain (app/core/address.ts understandAddress), else the whole line. The
// ship-to is the effective one: the merchant's correction ("Adres aanpassen") when there is one, else the imported.
// requestLabels and the order list check it with missingShipToFields (one check), the create-label job sends both.
import type { FromAddress, ShipTo } from "../../db/schema";
import type { Carrier, CarrierAddress } from "../ports";
import { understandAddress } from "../address";

/** The order's address fields as the label flow reads them (a row of `orders`, or the list's selection of it). */
export type ShipToOfOrder = { shipTo: ShipTo | null; shipToCorrected?: ShipTo | null; email?: string | null };

/** The ship-to labels go to: Koppel's own correction when the merchant made one, else the shop's (imported) address. */
export function effectiveShipTo(order: ShipToOfOrder): ShipTo | null {
  return order.shipToCorrected ?? order.shipTo;
}

/**
 * What the carrier would refuse about the order's effective ship-to, before any call ([] = it will take it): the
 * carrier's own missingAddressFields of shipToToCarrier, ["address"] when there is none. The one check the order list
 * (its badge), requestLabels (its `incomplete`) and the address dialog share.
 */
export function missingShipToFields(carrier: Pick<Carrier, "missingAddressFields">, order: ShipToOfOrder): string[] {
  const shipTo = effectiveShipTo(order);
  return shipTo ? carrier.missingAddressFields(shipToToCarrier(shipTo, order.email ?? null)) : ["address"];
}

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

/**
 * The ship-to as the carrier wants it. Street and number: the shop platform's own when it gives them apart (CCV Shop,
 * Shopify for NL/BE/LU), else understandAddress of address1/address2. When no split is certain the whole line goes as
 * `addressLine1` and street/houseNumber stay empty: the carrier decides (missingAddressFields) whether that will do.
 */
export function shipToToCarrier(shipTo: ShipTo, email: string | null): Partial<CarrierAddress> {
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

