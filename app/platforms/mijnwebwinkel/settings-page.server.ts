// Instellingen → "Mijnwebwinkel: orderstatussen" (shown only for Mijnwebwinkel shops): the loader's view and the form's
// action. The store's statuses come from GET /v1/orderstatuses (read fresh for the page, by name); the current choice
// is the effective one (the name-based defaults until the merchant saves).
import type { Shop } from "../../core/shops.server";
import { shopAccess } from "../../core/shop-access";
import { logActivity } from "../../core/activity.server";
import type { Db } from "../../db/client.server";
import type { Locale } from "../../i18n";
import { statusPolicy } from "./order-schema";
import { loadMwwSettings, parseMwwSettingsForm, saveMwwSettings, type MwwSettingsErrors } from "./settings.server";
import type { MijnwebwinkelPlatform } from "./adapter.server";

export const MWW_SETTINGS_INTENT = "mijnwebwinkel-statuses";

export type MwwSettingsView = {
  /** The store's statuses by name; null when Mijnwebwinkel could not be asked (then `error` holds its reason). */
  statuses: { id: number; name: string }[] | null;
  error: string | null;
  toShipStatuses: number[];
  shippedStatus: number | null;
  onlyPaid: boolean;
  /** Nothing saved yet: the choice shown is the default by name. */
  defaults: boolean;
};

type Deps = { db: Db; encryptionKey: string; platform: MijnwebwinkelPlatform };

export async function mwwSettingsView(deps: Deps, shop: Shop): Promise<MwwSettingsView | null> {
  if (shop.platform !== "mijnwebwinkel") return null;
  const settings = await loadMwwSettings(deps.db, shop.id);
  const defaults = settings.toShipStatuses === null && settings.shippedStatus === null;
  try {
    const list = await deps.platform.orderStatuses(shopAccess(shop, deps.encryptionKey), { fresh: true });
    const policy = statusPolicy(list, settings);
    return {
      statuses: list.filter((s) => !s.credit_order).map((s) => ({ id: s.status, name: s.description.trim() || `#${s.status}` })),
      error: null,
      toShipStatuses: [...policy.toShip].sort((a, b) => a - b),
      shippedStatus: policy.shipped,
      onlyPaid: settings.onlyPaid,
      defaults,
    };
  } catch (e) {
    return { statuses: null, error: (e as Error).message, toShipStatuses: settings.toShipStatuses ?? [], shippedStatus: settings.shippedStatus, onlyPaid: settings.onlyPaid, defaults };
  }
}

export type MwwSettingsResult = { intent: typeof MWW_SETTINGS_INTENT; saved: true } | { intent: typeof MWW_SETTINGS_INTENT; saved: false; errors: MwwSettingsErrors; reason?: string };

export async function saveMwwSettingsForm(deps: Deps, shop: Shop, locale: Locale, form: FormData): Promise<MwwSettingsResult> {
  if (shop.platform !== "mijnwebwinkel") return { intent: MWW_SETTINGS_INTENT, saved: false, errors: {} };
  let known: Set<number>;
  try {
    const list = await deps.platform.orderStatuses(shopAccess(shop, deps.encryptionKey), { fresh: true });
    known = new Set(list.filter((s) => !s.credit_order).map((s) => s.status));
  } catch (e) {
    return { intent: MWW_SETTINGS_INTENT, saved: false, errors: {}, reason: (e as Error).message };
  }
  const parsed = parseMwwSettingsForm(locale, { toShipStatuses: form.getAll("toShipStatuses"), shippedStatus: form.get("shippedStatus"), onlyPaid: form.get("onlyPaid") }, known);
  if (!parsed.ok) return { intent: MWW_SETTINGS_INTENT, saved: false, errors: parsed.errors };
  await saveMwwSettings(deps.db, shop.id, parsed.value);
  await logActivity(deps.db, { shopId: shop.id, kind: "settings", source: "merchant", result: "ok", summary: "mww.settings.logged", details: { ...parsed.value } });
  return { intent: MWW_SETTINGS_INTENT, saved: true };
}
