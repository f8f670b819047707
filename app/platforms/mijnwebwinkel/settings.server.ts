// A Mijnwebwinkel shop's status settings (table mijnwebwinkel_settings): which of the store's order statuses are "to
// ship" (the poll lists these), which one the write-back sets ("shipped"), and "Alleen betaalde bestellingen" (the
// poll checks each new order's payments; off: every listed order counts as paid). Ids are the store's own
// (GET /v1/orderstatuses); nothing chosen = the name-based defaults of statusPolicy (order-schema.ts).
import { eq } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "../../db/client.server";
import { mijnwebwinkelSettings } from "../../db/schema";
import { t, type Locale } from "../../i18n";

export type MwwShopSettings = {
  /** null: the defaults by name ("Nieuw", "In behandeling", …). */
  toShipStatuses: number[] | null;
  /** null: the default by name ("Verzonden", "Shipped"). */
  shippedStatus: number | null;
  onlyPaid: boolean;
};

export const DEFAULT_MWW_SETTINGS: MwwShopSettings = { toShipStatuses: null, shippedStatus: null, onlyPaid: true };

export async function loadMwwSettings(db: DbOrTx, shopId: number): Promise<MwwShopSettings> {
  const [row] = await db.select().from(mijnwebwinkelSettings).where(eq(mijnwebwinkelSettings.shopId, shopId));
  if (!row) return DEFAULT_MWW_SETTINGS;
  return { toShipStatuses: row.toShipStatuses ?? null, shippedStatus: row.shippedStatus ?? null, onlyPaid: row.onlyPaid };
}

export async function saveMwwSettings(db: DbOrTx, shopId: number, settings: MwwShopSettings): Promise<void> {
  const values = { toShipStatuses: settings.toShipStatuses, shippedStatus: settings.shippedStatus, onlyPaid: settings.onlyPaid, updatedAt: new Date() };
  await db
    .insert(mijnwebwinkelSettings)
    .values({ shopId, ...values })
    .onConflictDoUpdate({ target: mijnwebwinkelSettings.shopId, set: values });
}

export type MwwSettingsErrors = { toShipStatuses?: string; shippedStatus?: string };

/**
 * The settings form: `toShipStatuses` (repeated), `shippedStatus`, `onlyPaid` ("true"/"false"). Every id must be one of
 * the store's statuses now (`known`), to ship and shipped must differ, at least one status to ship.
 */
export function parseMwwSettingsForm(
  locale: Locale,
  form: { toShipStatuses: unknown[]; shippedStatus: unknown; onlyPaid: unknown },
  known: ReadonlySet<number>,
): { ok: true; value: MwwShopSettings } | { ok: false; errors: MwwSettingsErrors } {
  const id = z.coerce.number().int().refine((n) => known.has(n));
  const toShip = z.array(id).min(1).max(50).safeParse(form.toShipStatuses);
  const shipped = id.safeParse(form.shippedStatus);
  const errors: MwwSettingsErrors = {};
  if (!toShip.success) errors.toShipStatuses = t(locale, "mww.settings.error.toShip");
  if (!shipped.success) errors.shippedStatus = t(locale, "mww.settings.error.shipped");
  else if (toShip.success && toShip.data.includes(shipped.data)) errors.shippedStatus = t(locale, "mww.settings.error.same");
  if (!toShip.success || !shipped.success || errors.shippedStatus) return { ok: false, errors };
  return { ok: true, value: { toShipStatuses: [...new Set(toShip.data)].sort((a, b) => a - b), shippedStatus: shipped.data, onlyPaid: form.onlyPaid !== "false" } };
}
