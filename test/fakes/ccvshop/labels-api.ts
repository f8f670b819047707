// /labels, /labels/{id} and /orders/{id}/orderlabels: the shop's labels and the ones attached to an order. Collections
// as CCV's schemas give them (jacobdekeizer/ccvshop-client Models/Labels, Models/Orderlabels): `href` and `items` only,
// no paging. Orderlabel items are `{label_id, parent}` (parent: the order's href).
import type { Route } from "./api";
import { json, notFound } from "./http";

export const labelRoutes: Route[] = [
  {
    pattern: /^\/labels$/,
    methods: { GET: ({ shop }) => json(200, { href: `${shop.apiRoot}/api/rest/v1/labels`, items: shop.labels() }) },
  },
  {
    pattern: /^\/labels\/(\d+)$/,
    methods: {
      GET: ({ shop, params }) => {
        const label = shop.labels().find((l) => l.id === Number(params[0]));
        return label ? json(200, label) : notFound();
      },
    },
  },
  {
    pattern: /^\/orders\/(\d+)\/orderlabels$/,
    methods: {
      GET: ({ shop, params }) => {
        const order = shop.order(Number(params[0]));
        if (!order) return notFound();
        return json(200, { href: `${order.href}/orderlabels`, items: shop.labelIdsOf(order.id).map((label_id) => ({ label_id, parent: order.href })) });
      },
    },
  },
];
