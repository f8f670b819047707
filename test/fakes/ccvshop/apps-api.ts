// GET /apps (exactly one item: the app these credentials belong to) and PATCH /apps/{id} {"is_installed": true}, the
// mandatory last step of the install flow (contract §2.2).
import type { Route } from "./api";
import { collection, readPage } from "./collection";
import { badRequest, json, noContent, notFound } from "./http";
import type { FakeCcvShop } from "./fake";
import type { CcvApp } from "./types";
import { isBool, problem } from "./validate";

function appResource(shop: FakeCcvShop): CcvApp {
  return { id: shop.app.id, href: `${shop.apiRoot}/api/rest/v1/apps/${shop.app.id}`, name: shop.app.name, is_installed: shop.app.is_installed };
}

export const appRoutes: Route[] = [
  {
    pattern: /^\/apps$/,
    methods: {
      GET: ({ shop, query }) => {
        const page = readPage(query);
        if (!("start" in page)) return page;
        return json(200, collection(`${shop.apiRoot}/api/rest/v1/apps`, query, page, [appResource(shop)]));
      },
    },
  },
  {
    pattern: /^\/apps\/(\d+)$/,
    methods: {
      GET: ({ shop, params }) => (Number(params[0]) === shop.app.id ? json(200, appResource(shop)) : notFound()),
      PATCH: ({ shop, params, body }) => {
        if (Number(params[0]) !== shop.app.id) return notFound();
        shop.appPatches.push(body);
        const p = problem(body, { is_installed: isBool });
        if (p) return badRequest(p);
        const installed = (body as { is_installed?: boolean }).is_installed;
        if (installed === undefined) return badRequest("Field is_installed is required");
        shop.app.is_installed = installed;
        return noContent();
      },
    },
  },
];
