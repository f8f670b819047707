// Demo only: "CCV Shop demo" plays CCV's App Store (test/demo): the handshake to Koppel's /ccvshop/handshake, then the
// browser goes to the signed install link, as a merchant's does after installing from the App Store.
import { redirect } from "@remix-run/node";
import { env } from "~/env.server";
import { demoHooks } from "~/demo.server";

export async function loader() {
  const start = env.demo ? demoHooks().startCcvShopInstall : undefined;
  if (!start) throw new Response("Not found", { status: 404 });
  return redirect(await start(env.APP_URL));
}
