// "Koppelen": the one submit of every platform's install step (Shopify's /app/setup, CCV Shop's Mijn account): the
// from address is validated with the same rules and field names everywhere, then the platform finishes its install
// (registry finishSetup). Routes call submitSetup and render what it returns.
import { redirect } from "@remix-run/node";
import { readFormData } from "./body-limit.server";
import { fromAddressFormValues, parseFromAddress, type FromAddressErrors, type FromAddressValues } from "./core/from-address";
import { finishSetup } from "./platforms/registry.server";
import { setupInsideAdmin } from "./platforms/names";
import { getRuntime } from "./runtime.server";
import type { Merchant } from "./merchant.server";

export type SetupPageData = {
  values: FromAddressValues;
  /** The shop's address as its platform names it, shown read-only (CCV Shop); null inside Shopify's admin. */
  shopUrl: string | null;
  platform: Merchant["platform"];
};

export type SetupSubmitResult = { errors: FromAddressErrors; values: FromAddressValues; failure?: string };

export function setupPageData(merchant: Merchant): SetupPageData {
  return { values: fromAddressFormValues(merchant.shop.fromAddress), shopUrl: setupInsideAdmin(merchant.platform) ? null : merchant.domain, platform: merchant.platform };
}

/** Validate and finish; on success throws the redirect to the completion page (with `headers`, e.g. a new cookie). */
export async function submitSetup(request: Request, merchant: Merchant, headers?: HeadersInit): Promise<SetupSubmitResult> {
  const form = Object.fromEntries(await readFormData(request));
  const parsed = parseFromAddress(merchant.locale, form);
  if (!parsed.ok) return { errors: parsed.errors, values: parsed.values };
  const finished = await finishSetup(await getRuntime(), merchant.shop, parsed.address);
  if (!finished.ok) return { errors: {}, values: fromAddressFormValues(parsed.address), failure: finished.reason };
  throw redirect("/app/setup/done", headers ? { headers } : undefined);
}
