// The order page (/app/orders/:id, from the list's order number): the order as the shop sent it and as the carrier
// will receive it, its items, shipments and Koppel timeline (orderPageView), and the actions that apply: Label aanmaken,
// Adres aanpassen (the ship-to route), Verwijderen / Herstellen, Opnieuw terugschrijven. Another shop's order id is 404.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { db } from "~/db.server";
import { requireMerchant } from "~/merchant.server";
import { readFormData } from "~/body-limit.server";
import { carrierFor } from "~/carriers/registry.server";
import { orderPageView } from "~/core/order-page.server";
import { ordersAwaitingWriteBack, removeOrders, restoreOrders } from "~/core/orders.server";
import { requestLabels } from "~/core/labels/request-labels.server";
import { retryWriteBack } from "~/core/labels/retries.server";
import { MAX_COLLI } from "~/core/labels/deps";
import { PACKAGE_TYPES } from "~/core/ports";
import { getRuntime, labelDeps } from "~/runtime.server";
import { labelDialogData } from "~/label-dialog.server";
import { textInput } from "~/core/text-input";
import { readGroupOverrides } from "~/core/rules/overrides";
import { OrderDetails, type OrderPageActionResult } from "~/components/OrderDetails";
import { RouteErrorContent } from "~/components/RouteErrorContent";

const OrderId = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

function notFound(): Response {
  return new Response("Not found", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const merchant = await requireMerchant(request);
  const id = OrderId.safeParse(params.orderId);
  if (!id.success) throw notFound();
  const order = await orderPageView(db, merchant.shopId, id.data, { carrierFor });
  if (!order) throw notFound();
  return { order, ...(await labelDialogData(merchant)) };
}

export async function action({ request, params }: ActionFunctionArgs): Promise<OrderPageActionResult> {
  const merchant = await requireMerchant(request);
  const id = OrderId.safeParse(params.orderId);
  if (!id.success) throw notFound();
  const orderId = id.data;
  // Every intent acts on this order of this shop only: another shop's id is not found before anything changes.
  if (!(await orderPageView(db, merchant.shopId, orderId))) throw notFound();
  const form = await readFormData(request);
  const intent = z.enum(["create-label", "remove", "restore", "retry-writeback"]).safeParse(form.get("intent"));
  if (!intent.success) return { intent: null, ok: false };

  switch (intent.data) {
    case "create-label": {
      // The dialog: by the shipping rules, with its changes (overrides); else one set of options.
      if (form.get("mode") === "rules") {
        const overrides = readGroupOverrides(form.get("overrides"));
        if (!overrides.ok) return { intent: "create-label", ok: false, reason: overrides.reason };
        const r = await requestLabels(labelDeps(await getRuntime()), merchant.shopId, { orderIds: [orderId], overrides: overrides.overrides, source: "merchant" });
        if (!r.ok) return { intent: "create-label", ok: false, reason: r.reason };
        if (r.incomplete.length) return { intent: "create-label", ok: false, reason: "incomplete", missing: r.incomplete[0]!.missing };
        if (r.notAllowed.length) return { intent: "create-label", ok: false, reason: "not_allowed" };
        if (r.skipped.length) return { intent: "create-label", ok: false, reason: "skipped_by_rule" };
        if (r.refused.length) return { intent: "create-label", ok: false, reason: "too_heavy" };
        return { intent: "create-label", ok: true, already: r.alreadyRequested.length > 0 };
      }
      const Options = z.object({
        service: textInput().trim().min(1).max(200),
        colli: z.coerce.number().int().min(1).max(MAX_COLLI),
        packageType: z.enum(PACKAGE_TYPES),
      });
      const options = Options.safeParse({ service: form.get("service"), colli: form.get("colli"), packageType: form.get("packageType") });
      if (!options.success) return { intent: "create-label", ok: false, reason: "invalid" };
      const r = await requestLabels(labelDeps(await getRuntime()), merchant.shopId, { orderIds: [orderId], options: options.data, source: "merchant" });
      if (!r.ok) return { intent: "create-label", ok: false, reason: r.reason };
      if (r.incomplete.length) return { intent: "create-label", ok: false, reason: "incomplete", missing: r.incomplete[0]!.missing };
      if (r.notAllowed.length) return { intent: "create-label", ok: false, reason: "not_allowed" };
      return { intent: "create-label", ok: true, already: r.alreadyRequested.length > 0 };
    }
    case "remove": {
      // A label exists but the shop has not been told yet: the merchant chooses (keep = still tell the shop).
      const choice = z.enum(["keep", "cancel"]).optional().catch(undefined).parse(form.get("writeBack") ?? undefined);
      if (!choice && (await ordersAwaitingWriteBack(db, merchant.shopId, [orderId])).length) {
        return { intent: "remove", ok: false, needsWriteBackChoice: true };
      }
      const count = await removeOrders(db, merchant.shopId, [orderId], { cancelWriteBack: choice === "cancel" });
      return { intent: "remove", ok: count > 0 };
    }
    case "restore":
      return { intent: "restore", ok: (await restoreOrders(db, merchant.shopId, [orderId])) > 0 };
    case "retry-writeback": {
      const shipmentId = OrderId.safeParse(form.get("shipmentId"));
      if (!shipmentId.success) return { intent: "retry-writeback", ok: false };
      return { intent: "retry-writeback", ok: await retryWriteBack(labelDeps(await getRuntime()), merchant.shopId, shipmentId.data) };
    }
  }
}

export default function OrderPage() {
  const data = useLoaderData<typeof loader>();
  return <OrderDetails order={data.order} carrier={data.carrier} customerMail={data.customerMail} />;
}

// Inside the app's layout (navigation stays): a Koppel page in the merchant's language, not a bare error.
export function ErrorBoundary() {
  return <RouteErrorContent />;
}
