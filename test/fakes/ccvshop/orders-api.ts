// /orders, /orders/{id}, its orderrows/ordernotes/ordernotifications, and /orderrows/{id}.
import type { ApiCall, Route } from "./api";
import { collection, readPage } from "./collection";
import { badRequest, json, noContent, notFound } from "./http";
import type { FakeCcvShop } from "./fake";
import { listOrders, orderResource } from "./orders";
import { readOrderPatch } from "./patch-order";
import type { FakeCcvResponse } from "./types";
import { isStr, problem } from "./validate";

const orderOf = (shop: FakeCcvShop, id: string | undefined) => shop.order(Number(id));
const base = (shop: FakeCcvShop, path: string) => `${shop.apiRoot}/api/rest/v1${path}`;

function page<T>(call: ApiCall, path: string, items: T[]): FakeCcvResponse {
  const p = readPage(call.query);
  if (!("start" in p)) return p;
  return json(200, collection(base(call.shop, path), call.query, p, items));
}

function patchOrder({ shop, params, body }: ApiCall): FakeCcvResponse {
  const id = Number(params[0]);
  const answer = (res: FakeCcvResponse) => {
    shop.patches.push({ id, body, status: res.status });
    return res;
  };
  const order = shop.order(id);
  if (!order) return answer(notFound());
  const patch = readOrderPatch(body);
  if (typeof patch === "string") return answer(badRequest(patch));
  shop.updateOrder(id, patch.update);
  if (patch.mail) {
    shop.mails.push({ orderId: id, kind: "status", status: order.status, track_and_trace_code: order.track_and_trace_code, ...(patch.note !== undefined ? { note: patch.note } : {}) });
  }
  return answer(noContent());
}

/** "Will trigger an e-mail of the given type" (contract §5); the response shape is unconfirmed. */
function postNotification({ shop, params, body }: ApiCall): FakeCcvResponse {
  const order = orderOf(shop, params[0]);
  if (!order) return notFound();
  const p = problem(body, { type: isStr });
  if (p) return badRequest(p);
  const type = (body as { type?: string }).type;
  if (!type || !/^(customer|merchant|printer)_[a-z_]+$/.test(type)) return badRequest("Field type must be like customer_<type>");
  shop.mails.push({ orderId: order.id, kind: "notification", type, status: order.status, track_and_trace_code: order.track_and_trace_code });
  const id = shop.nextNotificationId();
  return json(201, { id, href: base(shop, `/ordernotifications/${id}`), type });
}

export const orderRoutes: Route[] = [
  {
    pattern: /^\/orders$/,
    methods: {
      GET: (call) => {
        const picked = listOrders(call.shop.orders(), call.query);
        return Array.isArray(picked) ? page(call, "/orders", picked.map(orderResource)) : picked;
      },
    },
  },
  {
    pattern: /^\/orders\/(\d+)$/,
    methods: {
      GET: ({ shop, params }) => {
        const order = orderOf(shop, params[0]);
        return order ? json(200, orderResource(order)) : notFound();
      },
      PATCH: patchOrder,
    },
  },
  {
    pattern: /^\/orders\/(\d+)\/orderrows$/,
    methods: {
      GET: (call) => {
        const order = orderOf(call.shop, call.params[0]);
        return order ? page(call, `/orders/${order.id}/orderrows`, structuredClone(order.rows)) : notFound();
      },
    },
  },
  {
    pattern: /^\/orders\/(\d+)\/ordernotes$/,
    methods: {
      GET: (call) => {
        const order = orderOf(call.shop, call.params[0]);
        return order ? page(call, `/orders/${order.id}/ordernotes`, []) : notFound();
      },
    },
  },
  { pattern: /^\/orders\/(\d+)\/ordernotifications$/, methods: { POST: postNotification } },
  {
    pattern: /^\/orderrows\/(\d+)$/,
    methods: {
      GET: ({ shop, params }) => {
        const row = shop
          .orders()
          .flatMap((o) => o.rows)
          .find((r) => r.id === Number(params[0]));
        return row ? json(200, structuredClone(row)) : notFound();
      },
    },
  },
];
