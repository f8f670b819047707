// The print actions (extensions/order-print: one order's page, and a selection in the order list):
//   GET  /api/extensions/print?ids=gid,gid[&locale=]          the labels as one signed PDF link, in the shop's format
//   POST /api/extensions/print {ids: [gid], format, start}    the merchant changes the format: stored for the shop, same answer
// Orders without a label (or not in Koppel, or another shop's) are listed with why, never dropped silently.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { db } from "~/db.server";
import { extensionJson, readJsonBody, requireExtensionMerchant, shopifyOrderIdOfGid, type ExtensionMerchant } from "~/platforms/shopify/extension-request.server";
import { printView } from "~/extension-views.server";
import { updateShopSettings } from "~/core/shops.server";

/** Shopify's order list selects at most 250 orders a page. */
const MAX_SELECTION = 250;

function selectionOf(ids: string[]) {
  const selection: { gid: string; platformOrderId: string }[] = [];
  for (const gid of ids) {
    const platformOrderId = shopifyOrderIdOfGid(gid);
    if (!platformOrderId) return null;
    if (!selection.some((s) => s.gid === gid)) selection.push({ gid, platformOrderId });
  }
  return selection.length && selection.length <= MAX_SELECTION ? selection : null;
}

async function answer(merchant: ExtensionMerchant, ids: string[]) {
  const selection = selectionOf(ids);
  if (!selection) return extensionJson(merchant, 400, { error: "invalid_order_id" });
  return extensionJson(merchant, 200, await printView(merchant, selection));
}

export async function loader({ request }: LoaderFunctionArgs) {
  const merchant = await requireExtensionMerchant(request);
  const ids = (new URL(request.url).searchParams.get("ids") ?? "").slice(0, MAX_SELECTION * 40).split(",").filter(Boolean);
  return answer(merchant, ids);
}

export async function action({ request }: ActionFunctionArgs) {
  const merchant = await requireExtensionMerchant(request);
  if (request.method !== "POST") return extensionJson(merchant, 405, { error: "method_not_allowed" });
  const Body = z.object({
    ids: z.array(z.string().max(100)).min(1).max(MAX_SELECTION),
    format: z.enum(["A6", "A4"]),
    start: z.coerce.number().int().min(1).max(4).catch(1),
  });
  const parsed = Body.safeParse(await readJsonBody(request));
  if (!parsed.success) return extensionJson(merchant, 400, { error: "invalid" });
  const labelPrint = { format: parsed.data.format, start: parsed.data.start as 1 | 2 | 3 | 4 };
  await updateShopSettings(db, merchant.shopId, { labelPrint });
  return answer({ ...merchant, shop: { ...merchant.shop, settings: { ...merchant.shop.settings, labelPrint } } }, parsed.data.ids);
}
