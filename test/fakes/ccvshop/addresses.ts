// Address and customer defaults. CCV sends every address field; a delivery address equal to billing comes all-empty.
import type { CcvAddress, CcvBillingAddress, CcvCustomer, CcvCustomerInput } from "./types";

export function emptyAddress(): CcvAddress {
  return {
    gender: null,
    initials: "",
    full_name: "",
    company: "",
    street: "",
    housenumber: null,
    housenumber_suffix: "",
    address_line_1: "",
    address_line_2: "",
    zipcode: "",
    city: "",
    province: "",
    country: "",
    country_code: "",
    telephone: "",
    mobile: "",
    comment: "",
  };
}

export function emptyBilling(): CcvBillingAddress {
  return { ...emptyAddress(), first_name: "", last_name: "", fax: "" };
}

/** True when every field is "" or null: the order ships to the billing address. */
export function isEmptyAddress(a: CcvAddress): boolean {
  return Object.values(a).every((v) => v === "" || v === null);
}

const DEFAULT_BILLING: Partial<CcvBillingAddress> = {
  gender: "male",
  initials: "J.",
  first_name: "Jan",
  last_name: "de Vries",
  full_name: "Jan de Vries",
  street: "Damrak",
  housenumber: 1,
  zipcode: "1012 LG",
  city: "Amsterdam",
  country: "Nederland",
  country_code: "NL",
  telephone: "0201234567",
  mobile: "0612345678",
};

export function defaultCustomer(): CcvCustomer {
  return { email: "jan.devries@example.nl", customertype: "b2c", billingaddress: { ...emptyBilling(), ...DEFAULT_BILLING }, deliveryaddress: emptyAddress() };
}

/** Field-wise merge of `input` over `base` (what both addOrder and PATCH customer do). */
export function mergeCustomer(base: CcvCustomer, input: CcvCustomerInput): CcvCustomer {
  const merged: CcvCustomer = {
    ...base,
    ...input,
    billingaddress: { ...base.billingaddress, ...input.billingaddress },
    deliveryaddress: { ...base.deliveryaddress, ...input.deliveryaddress },
  };
  if (input.id === undefined && base.id === undefined) delete merged.id;
  return merged;
}
