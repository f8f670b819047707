// POST /ccvshop/handshake: CCV's App Store hands over the shop's API credentials (app/platforms/ccvshop/install.server.ts).
import type { ActionFunctionArgs } from "@remix-run/node";
import { handleHandshake } from "~/platforms/ccvshop/app-store-routes.server";

export const action = ({ request }: ActionFunctionArgs) => handleHandshake(request);
export const loader = () => new Response("Method not allowed", { status: 405, headers: { Allow: "POST" } });
