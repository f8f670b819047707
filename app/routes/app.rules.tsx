// "Verzendregels": the shop's shipping rules in order (first enabled match wins, the carrier's defaults catch the
// rest): add, edit, move with arrows, switch on/off, delete, and a live preview of how many orders to ship each rule
// matches. The rules themselves are core functions (app/core/rules/); this page only edits and previews them.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { db } from "~/db.server";
import { requireMerchant } from "~/merchant.server";
import { readFormData } from "~/body-limit.server";
import { getCarrierConnection } from "~/core/labels/connection.server";
import { deleteRule, listRules, moveRule, ruleDefaults, saveRule, setRuleEnabled } from "~/core/rules/rules.server";
import { ordersToShipForRules, previewRules } from "~/core/rules/preview.server";
import { updateShopSettings, getShop } from "~/core/shops.server";
import { RulesPage } from "~/components/rules/RulesPage";
import { t as translate } from "~/i18n";

export async function loader({ request }: LoaderFunctionArgs) {
  const merchant = await requireMerchant(request);
  const [rules, conn, defaults, toShip, shop] = await Promise.all([
    listRules(db, merchant.shopId),
    getCarrierConnection(db, merchant.shopId),
    ruleDefaults(db, merchant.shopId),
    ordersToShipForRules(db, merchant.shopId),
    getShop(db, merchant.shopId),
  ]);
  const preview = defaults ? previewRules(rules, toShip.orders, defaults) : null;
  return {
    rules,
    services: conn?.services.map((s) => ({ code: s.code, description: s.description })) ?? [],
    defaults: defaults ? { service: defaults.service, packageType: defaults.packageType } : null,
    defaultItemWeightGrams: shop?.settings?.defaultItemWeightGrams ?? 0,
    preview,
    toShip: toShip.orders.length,
    capped: toShip.capped,
  };
}

export type RulesActionResult =
  | { intent: "save"; ok: true; id: number }
  | { intent: "save"; ok: false; reason: "invalid" | "not_found" | "too_many"; detail?: string }
  | { intent: "move" | "toggle" | "delete"; ok: boolean }
  /** The settings form: Koppel's own message per field (the form has noValidate: no browser bubbles). */
  | { intent: "settings"; ok: true }
  | { intent: "settings"; ok: false; errors: { defaultItemWeightGrams?: string } }
  | { intent: null; ok: false };

const Id = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

function json(value: FormDataEntryValue | null): unknown {
  if (typeof value !== "string" || value.length > 50_000) return undefined;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

export async function action({ request }: ActionFunctionArgs): Promise<RulesActionResult> {
  const merchant = await requireMerchant(request);
  const form = await readFormData(request);
  const intent = form.get("intent");
  const id = Id.safeParse(form.get("id"));
  switch (intent) {
    case "save": {
      const r = await saveRule(db, merchant.shopId, json(form.get("rule")), form.get("id") ? (id.success ? id.data : -1) : undefined);
      return r.ok ? { intent: "save", ok: true, id: r.rule.id } : { intent: "save", ok: false, reason: r.reason, ...(r.detail ? { detail: r.detail } : {}) };
    }
    case "move": {
      const dir = form.get("direction") === "up" ? -1 : 1;
      return { intent: "move", ok: id.success && (await moveRule(db, merchant.shopId, id.data, dir)) };
    }
    case "toggle":
      return { intent: "toggle", ok: id.success && (await setRuleEnabled(db, merchant.shopId, id.data, form.get("enabled") === "true")) };
    case "delete":
      return { intent: "delete", ok: id.success && (await deleteRule(db, merchant.shopId, id.data)) };
    case "settings": {
      // Empty = 0 (none); anything but a whole number of grams from 0 to 1 000 000 gets the merchant's sentence.
      const message = translate(merchant.locale, "rules.settingsInvalid");
      const Grams = z
        .string(message)
        .trim()
        .regex(/^\d{0,7}$/, message)
        .transform((v) => Number(v || "0"))
        .pipe(z.number().max(1_000_000, message));
      const grams = Grams.safeParse(form.get("defaultItemWeightGrams") ?? "");
      if (!grams.success) return { intent: "settings", ok: false, errors: { defaultItemWeightGrams: grams.error.issues[0]?.message ?? message } };
      await updateShopSettings(db, merchant.shopId, { defaultItemWeightGrams: grams.data });
      return { intent: "settings", ok: true };
    }
    default:
      return { intent: null, ok: false };
  }
}

export type RulesLoaderData = ReturnType<typeof useLoaderData<typeof loader>>;

export default function RulesRoute() {
  const data = useLoaderData<typeof loader>();
  return <RulesPage data={data} />;
}
