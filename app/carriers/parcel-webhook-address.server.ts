// The address Koppel registers with a carrier for its label-update webhooks: under APP_URL, the token last
// (app/routes/carrier-webhooks.boekuwzending.$token.tsx).
import { env } from "../env.server";
import type { CarrierId } from "../core/ports";

export function parcelWebhookAddress(carrier: CarrierId): (token: string) => string {
  return (token) => `${env.APP_URL}/carrier-webhooks/${carrier}/${token}`;
}
