// The CCV App Store's server-to-server calls (handshake, uninstall) as HTTP: body read with the form limit, verified
// and applied by install.server.ts, answered as CCV expects (200, or 401 for a wrong x-hash: nothing stored).
import { bodyRefused, readRequestBody, MAX_FORM_BYTES } from "../../body-limit.server";
import { env } from "../../env.server";
import { getRuntime } from "../../runtime.server";
import { log } from "../../log.server";
import { afterShopInstalled } from "../../demo.server";
import { ccvAppConfig } from "../registry.server";
import { receiveHandshake, receiveUninstall } from "./install.server";

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json; charset=utf-8" } });

/** 404 when this installation does not serve CCV Shop (KOPPEL_PLATFORMS). */
export function ccvShopServed(): boolean {
  return env.platforms.includes("ccvshop");
}

async function signedBody(request: Request): Promise<{ ok: true; rawBody: string; hash: string | null } | { ok: false; response: Response }> {
  if (!ccvShopServed()) return { ok: false, response: bodyRefused(404) };
  if (request.method !== "POST") return { ok: false, response: new Response("Method not allowed", { status: 405, headers: { Allow: "POST" } }) };
  const read = await readRequestBody(request, MAX_FORM_BYTES);
  if (!read.ok) return { ok: false, response: bodyRefused(read.status) };
  return { ok: true, rawBody: read.body.toString("utf8"), hash: request.headers.get("x-hash") };
}

/** One App Store call: read and verify its body, apply it, answer 200 `{ok: true}` or the refusal CCV should see. */
async function appStoreCall(
  request: Request,
  name: string,
  apply: (rt: Awaited<ReturnType<typeof getRuntime>>, body: { rawBody: string; hash: string | null }) => Promise<{ ok: true } | { ok: false; reason: string; status?: number }>,
): Promise<Response> {
  const body = await signedBody(request);
  if (!body.ok) return body.response;
  const result = await apply(await getRuntime(), body);
  if (!result.ok) {
    log.warn(`ccvshop ${name} refused`, { status: result.status, reason: result.reason });
    return json(result.status ?? 400, { error: result.reason });
  }
  return json(200, { ok: true });
}

export const handleHandshake = (request: Request) =>
  appStoreCall(request, "handshake", async (rt, body) => {
    const result = await receiveHandshake(rt, ccvAppConfig(), body);
    if (!result.ok) return result;
    log.info("ccvshop handshake", { shop: result.value.domain });
    await afterShopInstalled(result.value.id);
    return result;
  });

export const handleUninstall = (request: Request) => appStoreCall(request, "uninstall", (rt, body) => receiveUninstall(rt, ccvAppConfig(), body));
