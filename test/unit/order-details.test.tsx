// @vitest-environment happy-dom
// The order page after "Label aanmaken" (app/components/OrderDetails.tsx): the banner follows the label (being made →
// made, or why not) and the page revalidates itself while it is being made and while its write-back runs, then stops;
// the shipment shows with its tracking without a manual reload (issue 15, the "1 label wordt aangemaakt" banner).
import { act, useEffect } from "react";
import { useFetcher, useLoaderData } from "@remix-run/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { OrderDetails, ORDER_WRITEBACK_POLLS, type OrderPageActionResult } from "~/components/OrderDetails";
import type { OrderPageView, OrderShipmentView } from "~/core/order-page.server";
import type { ShipToView } from "~/core/labels/ship-to-correction";
import { renderInRouter, settle, type Rendered } from "./support/render";

const PATH = "/app/orders/1";

function orderView(over: Partial<OrderPageView> = {}): OrderPageView {
  const address = { name: "Anna de Vries", company: null, street: "Hoofdstraat", houseNumber: "12", houseNumberAddition: null, addressLine1: null, addressLine2: null, postcode: "1234 AB", city: "Amsterdam", country: "NL" };
  return {
    id: 1,
    number: "#1001",
    placedAt: "2026-03-02T10:00:00.000Z",
    status: "to_ship",
    financialStatus: "paid",
    fulfillmentStatus: null,
    removed: false,
    shippedAt: null,
    customerName: "Anna de Vries",
    email: "anna@example.nl",
    phone: null,
    company: null,
    totalPrice: "24.95",
    currency: "EUR",
    itemCount: 1,
    weightGrams: 500,
    shipToImported: { name: "Anna de Vries", address1: "Hoofdstraat 12", postcode: "1234 AB", city: "Amsterdam", country: "NL" },
    billToImported: null,
    carrierShipTo: { orderId: 1, number: "#1001", address, missing: [], corrected: false, correctedAt: null, imported: null, values: {} as ShipToView["values"] },
    lines: [{ sku: "THEE-01", name: "Thee", quantity: 1, weightGrams: 500, requiresShipping: true }],
    shipments: [],
    labelRequest: null,
    timeline: [],
    ...over,
  };
}

function shipment(writebackState: string): OrderShipmentView {
  return {
    id: 5,
    createdAt: "2026-03-02T10:05:00.000Z",
    service: "postnl-standard",
    colli: 1,
    packageType: "package",
    environment: "staging",
    trackingNumber: "3SKOPP0000042",
    trackingUrl: "https://tracking.example/3SKOPP0000042",
    trackingCompany: "PostNL",
    status: "created",
    statusAt: null,
    writebackState,
    writebackError: null,
    writtenBackAt: writebackState === "done" ? "2026-03-02T10:05:03.000Z" : null,
    mailState: "not_needed",
  };
}

const requested = (state: string) => ({ state, attempts: state === "queued" ? 0 : 1, reason: null, createdAt: "2026-03-02T10:04:00.000Z" });

/** The page as the route renders it, plus the test's hand on the page's fetcher (the dialog's submit). */
let submit: (() => void) | null = null;
function Page() {
  const data = useLoaderData() as { order: OrderPageView };
  const fetcher = useFetcher<OrderPageActionResult>({ key: "order-1" });
  useEffect(() => {
    submit = () => fetcher.submit({ intent: "create-label", mode: "rules", overrides: "{}" }, { method: "post" });
  });
  return <OrderDetails order={data.order} carrier={null} customerMail={{ by: "platform", platformName: "Shopify" }} />;
}

let rendered: Rendered | null = null;
const shown: string[] = [];
afterEach(async () => {
  await rendered?.unmount();
  rendered = null;
  submit = null;
  shown.length = 0;
  delete (window as unknown as { shopify?: unknown }).shopify;
  vi.useRealTimers();
});

/**
 * The "server": the order's states in turn, one per page load once it moves (the last one stays). The action (the
 * dialog's submit) starts it moving at states[1]; `moving` starts it at once (a label requested elsewhere).
 */
async function renderOrderPage(states: OrderPageView[], opts: { moving?: boolean } = {}) {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
  const tick = () => vi.advanceTimersByTimeAsync(0);
  const server = { loads: 0, at: 0, moving: opts.moving ?? false, actions: 0 };
  rendered = await renderInRouter(<Page />, {
    path: PATH,
    tick,
    pageLoader: () => {
      server.loads++;
      // A new object per load, as the route's JSON is.
      const order = structuredClone(states[server.at]!);
      if (server.moving) server.at = Math.min(server.at + 1, states.length - 1);
      return { order };
    },
    pageAction: () => {
      server.actions++;
      server.moving = true;
      server.at = 1;
      return { intent: "create-label", ok: true, already: false } satisfies OrderPageActionResult;
    },
    routes: [{ path: "/app/orders/:id/ship-to", loader: () => states[0]!.carrierShipTo }],
  });
  const wait = async (ms: number) => {
    await act(async () => {
      await vi.advanceTimersByTimeAsync(ms);
    });
    await settle(5, tick);
  };
  const click = async () => {
    await act(async () => submit!());
    await settle(5, tick);
  };
  const text = () => rendered!.container.textContent ?? "";
  return { server, wait, text, click };
}

describe("order page: Label aanmaken follows the label", () => {
  it("banner 'wordt aangemaakt' → 'aangemaakt', the shipment with tracking, and the polling stops when written back", async () => {
    (window as unknown as { shopify?: unknown }).shopify = { toast: { show: (m: string) => shown.push(m) } };
    const { server, wait, text, click } = await renderOrderPage([
      orderView(),
      // After the click: queued, then sending, then made (write-back pending), then written back.
      orderView({ labelRequest: requested("queued") }),
      orderView({ labelRequest: requested("sending") }),
      orderView({ labelRequest: requested("created"), shipments: [shipment("pending")] }),
      orderView({ status: "shipped", labelRequest: requested("created"), shipments: [shipment("done")] }),
    ]);
    expect(text()).toContain("Nog geen label voor deze bestelling.");
    await click();
    // The action's own revalidation: queued.
    expect(text()).toContain("1 label wordt aangemaakt.");
    await wait(1000);
    expect(text()).toContain("1 label wordt aangemaakt."); // sending
    await wait(1000);
    // Made: no reload, the banner says so, the shipment is there with its tracking; inside Shopify a toast.
    expect(text()).toContain("1 label aangemaakt.");
    expect(text()).not.toContain("1 label wordt aangemaakt.");
    expect(text()).toContain("3SKOPP0000042");
    expect(shown).toEqual(["Label aangemaakt"]);
    // The write-back is followed too, then the page stops revalidating.
    await wait(2000);
    const loads = server.loads;
    expect(text()).toContain("Verzonden");
    await wait(10_000);
    expect(server.loads).toBe(loads);
    expect(shown).toEqual(["Label aangemaakt"]);
  });

  it("a label that fails for good: the banner says why and the polling stops", async () => {
    const failed = { ...requested("rejected"), reason: { code: "carrier.rejected" as const, detail: "Postcode onbekend" } };
    const { server, wait, text, click } = await renderOrderPage([orderView(), orderView({ labelRequest: requested("queued") }), orderView({ labelRequest: failed })]);
    await click();
    expect(text()).toContain("1 label wordt aangemaakt.");
    await wait(1000);
    expect(text()).not.toContain("1 label wordt aangemaakt.");
    expect(text()).toMatch(/Mislukt: /);
    const loads = server.loads;
    await wait(10_000);
    expect(server.loads).toBe(loads);
  });

  it("opened while the label is being made: follows it without a click; a write-back that stays pending is followed a while, not forever", async () => {
    const { server, wait, text } = await renderOrderPage([orderView({ labelRequest: requested("sending") }), orderView({ labelRequest: requested("created"), shipments: [shipment("pending")] })], { moving: true });
    expect(text()).toContain("Label wordt aangemaakt");
    expect(server.loads).toBe(1);
    await wait(1000);
    expect(server.loads).toBe(2);
    expect(text()).toContain("3SKOPP0000042");
    // Every 2 s while the write-back is pending, ORDER_WRITEBACK_POLLS times, then no more.
    for (let i = 0; i < ORDER_WRITEBACK_POLLS + 5; i++) await wait(2000);
    expect(server.loads).toBe(2 + ORDER_WRITEBACK_POLLS);
    expect(server.actions).toBe(0);
  });
});
