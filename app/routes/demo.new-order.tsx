// Demo only: "Nieuwe testbestelling". The demo's fake Shopify gets a new paid order and delivers its signed webhooks to
// this Koppel (APP_URL), exactly as Shopify would; then back to the demo page, which says what happened.
import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { env } from "~/env.server";
import { demoHooks } from "~/demo.server";

export async function action({ request }: ActionFunctionArgs) {
  const create = env.demo ? demoHooks().createTestOrder : undefined;
  if (!create || request.method !== "POST") throw new Response("Not found", { status: 404 });
  const q = new URLSearchParams();
  try {
    const r = await create(env.APP_URL);
    q.set("newOrder", r.number);
    q.set("status", String(r.status));
  } catch (e) {
    q.set("newOrderFailed", (e as Error).message.slice(0, 200));
  }
  return redirect(`/demo?${q.toString()}`);
}

export const loader = () => redirect("/demo");
