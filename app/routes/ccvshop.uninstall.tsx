// POST /ccvshop/uninstall: the merchant removed Koppel in CCV's App Store (app/platforms/ccvshop/install.server.ts).
import type { ActionFunctionArgs } from "@remix-run/node";
import { handleUninstall } from "~/platforms/ccvshop/app-store-routes.server";

export const action = ({ request }: ActionFunctionArgs) => handleUninstall(request);
export const loader = () => new Response("Method not allowed", { status: 405, headers: { Allow: "POST" } });
