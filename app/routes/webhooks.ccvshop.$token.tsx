// CCV Shop's order webhooks (orders.created, orders.updated.ispaid, orders.updated.status), registered by Koppelen at
// /webhooks/ccvshop/{token}: handled by the CCV door (app/platforms/ccvshop/webhook-door.server.ts). The server's fast
// path answers the same path before Remix (server-app.ts).
import type { ActionFunctionArgs } from "@remix-run/node";
import { handleWebhookRequest } from "~/webhook-route.server";
import { CCV_ACCEPTED_EVENTS } from "~/platforms/ccvshop/deliveries";

export const action = ({ request }: ActionFunctionArgs) => handleWebhookRequest(request, { platform: "ccvshop", accepts: CCV_ACCEPTED_EVENTS });
