// Demo only: sign in as the seeded demo shop with Koppel's own cookie (there is no Shopify admin around the demo).
import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { env } from "~/env.server";
import { db } from "~/db.server";
import { DEMO_SHOP_DOMAIN } from "~/demo.server";
import { findShop } from "~/core/shops.server";
import { createMerchantCookieSession } from "~/merchant.server";

export async function loader({ request }: LoaderFunctionArgs) {
  if (!env.demo) throw new Response("Not found", { status: 404 });
  const shop = await findShop(db, "shopify", DEMO_SHOP_DOMAIN);
  if (!shop) throw new Response("The demo shop is not seeded yet; restart `npm run dev`.", { status: 503 });
  const locale = new URL(request.url).searchParams.get("locale") === "en" ? "en" : "nl";
  return redirect("/app", { headers: { "Set-Cookie": await createMerchantCookieSession(shop.id, { locale }) } });
}
