// Renders a component in happy-dom (the test file says `// @vitest-environment happy-dom`) inside a memory data router
// (Remix's useFetcher / useRevalidator are react-router's), Polaris and Koppel's i18n, as the app's pages do. Each
// route's loader is the test's own function: what the browser would fetch from Koppel.
import { act, type ReactNode } from "react";
import { createRoot } from "react-dom/client";
import { createMemoryRouter, RouterProvider, type ActionFunction, type LoaderFunction, type RouteObject } from "react-router-dom";
import { PolarisShell } from "~/components/PolarisShell";
import type { Locale } from "~/i18n";

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

export type Rendered = { container: HTMLElement; router: ReturnType<typeof createMemoryRouter>; unmount: () => Promise<void> };

/**
 * `element` at `path`; `routes`: the resource routes it fetches (path + loader/action), `pageLoader` / `pageAction`:
 * the page's own;
 * `tick`: how to let time pass when the test fakes the timers (vi.advanceTimersByTimeAsync).
 */
export async function renderInRouter(
  element: ReactNode,
  opts: { path?: string; routes?: RouteObject[]; pageLoader?: LoaderFunction; pageAction?: ActionFunction; locale?: Locale; tick?: () => Promise<unknown> } = {},
): Promise<Rendered> {
  const path = opts.path ?? "/app";
  const router = createMemoryRouter(
    [{ path, element: <PolarisShell locale={opts.locale ?? "nl"}>{element}</PolarisShell>, loader: opts.pageLoader ?? (() => null), action: opts.pageAction }, ...(opts.routes ?? [])],
    { initialEntries: [path] },
  );
  const container = document.createElement("div");
  document.body.appendChild(container);
  const root = createRoot(container);
  await act(async () => {
    root.render(<RouterProvider router={router} future={{ v7_startTransition: true }} />);
  });
  await settle(5, opts.tick);
  return {
    container,
    router,
    unmount: async () => {
      await act(async () => root.unmount());
      container.remove();
    },
  };
}

/** Lets effects, fetcher loads and their re-renders run (no timers advanced). */
export async function settle(rounds = 5, tick: () => Promise<unknown> = () => new Promise((r) => setTimeout(r, 0))): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    await act(async () => {
      await tick();
    });
  }
}
