// Boekuwzending's label-update webhooks, at the address Koppel registered per carrier account
// (/carrier-webhooks/boekuwzending/{token}, app/core/parcels/register-webhook.server.ts). Verified with the account's
// credentials, stored once, answered; applied by a job. Outside /webhooks/ (the platforms' doors): Remix serves it.
import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { readRequestBody, MAX_FORM_BYTES } from "~/body-limit.server";
import { getRuntime, labelDeps } from "~/runtime.server";
import { receiveLabelWebhook } from "~/core/parcels/webhook.server";

const Token = z.string().regex(/^[A-Za-z0-9_-]{20,100}$/);

export async function action({ request, params }: ActionFunctionArgs) {
  if (request.method !== "POST") return new Response("Method Not Allowed", { status: 405 });
  const token = Token.safeParse(params.token);
  if (!token.success) return new Response("Unknown webhook address", { status: 404 });
  const body = await readRequestBody(request, MAX_FORM_BYTES);
  if (!body.ok) return new Response("Webhook body too large", { status: body.status });
  const answer = await receiveLabelWebhook(labelDeps(await getRuntime()), { carrier: "boekuwzending", token: token.data, rawBody: body.body.toString("utf8") });
  return new Response(answer.body, { status: answer.status, headers: { "content-type": "text/plain; charset=utf-8" } });
}

export const loader = () => new Response("Method Not Allowed", { status: 405 });
