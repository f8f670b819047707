// One order's ship-to for the label dialog (JSON): GET shows it as the shop's carrier will receive it; POST
// intent=save stores Koppel's own correction ("Adres aanpassen"), intent=clear undoes it. Another shop's order id is
// simply not found. Never written back to the shop: no platform is involved.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { db } from "~/db.server";
import { requireMerchant } from "~/merchant.server";
import { readFormData } from "~/body-limit.server";
import { carrierFor } from "~/carriers/registry.server";
import { clearShipToCorrection, correctShipTo, shipToView, type ShipToView } from "~/core/labels/correct-ship-to.server";
import type { ShipToErrors, ShipToValues } from "~/core/labels/ship-to-correction";

const OrderId = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

function notFound(): Response {
  return new Response("Not found", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

export async function loader({ request, params }: LoaderFunctionArgs): Promise<ShipToView> {
  const merchant = await requireMerchant(request);
  const id = OrderId.safeParse(params.orderId);
  if (!id.success) throw notFound();
  const view = await shipToView(db, merchant.shopId, id.data, { carrierFor });
  if (!view) throw notFound();
  return view;
}

export type ShipToActionResult =
  | { intent: "save"; ok: true; view: ShipToView }
  | { intent: "save"; ok: false; errors: ShipToErrors; values: ShipToValues }
  | { intent: "clear"; ok: boolean; view: ShipToView };

export async function action({ request, params }: ActionFunctionArgs): Promise<ShipToActionResult> {
  const merchant = await requireMerchant(request);
  const id = OrderId.safeParse(params.orderId);
  if (!id.success) throw notFound();
  const form = await readFormData(request);
  const intent = z.enum(["save", "clear"]).safeParse(form.get("intent"));
  if (!intent.success) throw new Response("Bad request", { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });

  if (intent.data === "clear") {
    const ok = await clearShipToCorrection(db, merchant.shopId, id.data, { source: "merchant" });
    const view = await shipToView(db, merchant.shopId, id.data, { carrierFor });
    if (!view) throw notFound();
    return { intent: "clear", ok, view };
  }

  const r = await correctShipTo(db, merchant.shopId, id.data, Object.fromEntries(form), { carrierFor, locale: merchant.locale, source: "merchant" });
  if (!r.ok) {
    if (r.reason === "not_found") throw notFound();
    return { intent: "save", ok: false, errors: r.errors, values: r.values };
  }
  const view = await shipToView(db, merchant.shopId, id.data, { carrierFor });
  if (!view) throw notFound();
  return { intent: "save", ok: true, view };
}
