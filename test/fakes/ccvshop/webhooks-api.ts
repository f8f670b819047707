// /webhooks: list, register (201 with the resource and a random `key`), read, change address/is_active, delete.
import { randomBytes } from "node:crypto";
import type { Route } from "./api";
import { collection, readPage } from "./collection";
import { badRequest, json, noContent, notFound } from "./http";
import type { FakeCcvShop } from "./fake";
import { isoSeconds } from "./signing";
import type { CcvWebhook, CcvWebhookEvent } from "./types";
import { webhookCreateProblem, webhookPatchProblem } from "./webhooks";

const find = (shop: FakeCcvShop, id: string | undefined) => shop.webhooks.find((w) => w.id === Number(id));

export const webhookRoutes: Route[] = [
  {
    pattern: /^\/webhooks$/,
    methods: {
      GET: ({ shop, query }) => {
        const page = readPage(query);
        if (!("start" in page)) return page;
        return json(200, collection(`${shop.apiRoot}/api/rest/v1/webhooks`, query, page, structuredClone(shop.webhooks)));
      },
      POST: ({ shop, body }) => {
        const p = webhookCreateProblem(body);
        if (p) return badRequest(p);
        const b = body as { event: CcvWebhookEvent; address: string; is_active?: boolean };
        const id = shop.nextWebhookId();
        const hook: CcvWebhook = {
          id,
          href: `${shop.apiRoot}/api/rest/v1/webhooks/${id}`,
          createdate: isoSeconds(shop.now()),
          event: b.event,
          address: b.address,
          is_active: b.is_active ?? true,
          key: randomBytes(16).toString("hex"),
        };
        shop.webhooks.push(hook);
        return json(201, hook, { location: hook.href });
      },
    },
  },
  {
    pattern: /^\/webhooks\/(\d+)$/,
    methods: {
      GET: ({ shop, params }) => {
        const hook = find(shop, params[0]);
        return hook ? json(200, hook) : notFound();
      },
      PATCH: ({ shop, params, body }) => {
        const hook = find(shop, params[0]);
        if (!hook) return notFound();
        const p = webhookPatchProblem(body);
        if (p) return badRequest(p);
        Object.assign(hook, body as Partial<Pick<CcvWebhook, "address" | "is_active">>);
        return noContent();
      },
      DELETE: ({ shop, params }) => {
        const hook = find(shop, params[0]);
        if (!hook) return notFound();
        shop.webhooks.splice(shop.webhooks.indexOf(hook), 1);
        return noContent();
      },
    },
  },
];
