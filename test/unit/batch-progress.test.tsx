// @vitest-environment happy-dom
// The label batch card (app/components/BatchProgress.tsx): inside Shopify's admin the result is App Bridge's toast
// "Label aangemaakt". A batch whose labels were all made before the page first showed it (a fast carrier) gets its
// toast too, once; a batch seen pending gets it when it finishes.
import { act } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { BatchProgress, type BatchProgressData } from "~/components/BatchProgress";
import { renderInRouter, settle, type Rendered } from "./support/render";

const done = (batchId: number, created: number): BatchProgressData => ({ batchId, total: created, done: created, created, pending: 0, failed: [], retrying: [] });

let shown: string[] = [];
let rendered: Rendered | null = null;
const g = window as unknown as { shopify?: unknown };

afterEach(async () => {
  await rendered?.unmount();
  rendered = null;
  delete g.shopify;
  shown = [];
  vi.useRealTimers();
});

function withToast() {
  g.shopify = { toast: { show: (m: string) => shown.push(m) } };
}

describe("BatchProgress toast", () => {
  it("a batch already done at first render gets its toast, once", async () => {
    withToast();
    rendered = await renderInRouter(<BatchProgress initial={done(7, 2)} onClose={() => {}} />);
    expect(shown).toEqual(["2 labels aangemaakt"]);
    // The page revalidates or re-renders the card: no second toast for the same batch.
    await rendered.unmount();
    rendered = await renderInRouter(<BatchProgress initial={done(7, 2)} onClose={() => {}} />);
    expect(shown).toEqual(["2 labels aangemaakt"]);
  });

  it("a batch seen pending: the toast when its poll says it is done, and the page revalidates once", async () => {
    withToast();
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    let polls = 0;
    let pageLoads = 0;
    const pending: BatchProgressData = { ...done(8, 0), total: 3, pending: 3 };
    const tick = () => vi.advanceTimersByTimeAsync(0);
    rendered = await renderInRouter(<BatchProgress initial={pending} onClose={() => {}} />, {
      tick,
      pageLoader: () => ++pageLoads,
      routes: [{ path: "/app/batches/:id", loader: () => (++polls < 2 ? { ...pending, done: 1, created: 1, pending: 2 } : done(8, 3)) }],
    });
    expect(shown).toEqual([]);
    for (let i = 0; i < 2; i++) {
      await act(async () => {
        await vi.advanceTimersByTimeAsync(1000);
      });
      await settle(5, tick);
    }
    expect(polls).toBeGreaterThanOrEqual(2); // (the revalidation reloads the poll too)
    expect(shown).toEqual(["3 labels aangemaakt"]);
    expect(pageLoads).toBe(2); // the first load and the one revalidation
    expect(rendered.container.textContent).toContain("3 van 3");
  });

  it("no toast for a batch that made no label, nor outside Shopify's admin", async () => {
    withToast();
    rendered = await renderInRouter(<BatchProgress initial={{ ...done(9, 0), total: 1, done: 1, failed: [{ labelRequestId: 1, orderId: 1, orderNumber: "#1001", state: "rejected", reason: null }] }} onClose={() => {}} />);
    expect(shown).toEqual([]);
    await rendered.unmount();
    delete g.shopify;
    rendered = await renderInRouter(<BatchProgress initial={done(10, 1)} onClose={() => {}} />);
    expect(rendered.container.textContent).toContain("1 van 1");
  });
});
