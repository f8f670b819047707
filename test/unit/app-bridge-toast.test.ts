// Results as App Bridge's toast inside Shopify's admin; outside it (no App Bridge, or not ready) nothing breaks.
import { afterEach, describe, expect, it } from "vitest";
import { showToast } from "~/components/app-bridge-toast";

const g = globalThis as unknown as { window?: unknown };

afterEach(() => {
  delete g.window;
});

describe("showToast", () => {
  it("shows the message through window.shopify.toast, errors marked", () => {
    const shown: unknown[] = [];
    g.window = { shopify: { toast: { show: (...args: unknown[]) => shown.push(args) } } };
    showToast("Label aangemaakt");
    showToast("Mislukt", true);
    expect(shown).toEqual([["Label aangemaakt", undefined], ["Mislukt", { isError: true }]]);
  });

  it("does nothing without App Bridge, on the server, or when App Bridge throws", () => {
    expect(() => showToast("x")).not.toThrow();
    g.window = {};
    expect(() => showToast("x")).not.toThrow();
    g.window = { shopify: { toast: { show: () => { throw new Error("not ready"); } } } };
    expect(() => showToast("x")).not.toThrow();
  });
});
