// app/scopes_update (shopify.app.toml): stores the granted scopes on the sessions.
import type { ActionFunctionArgs } from "@remix-run/node";
import { handleShopifyWebhook } from "~/webhook-route.server";

export const action = ({ request }: ActionFunctionArgs) => handleShopifyWebhook(request, ["app/scopes_update"]);
