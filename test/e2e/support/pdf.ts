// Getting a label PDF the way a merchant does: click the download link (it opens in a new tab, target=_blank). The
// tab shows Chromium's PDF viewer, so the bytes are taken where the browser receives them: the tab's request is
// routed through the test (route.fetch → the server, unchanged) and its body kept before the viewer gets it.
import { expect } from "vitest";
import { PDFDocument } from "pdf-lib";
import type { Locator, Page } from "playwright-core";

export type DownloadedPdf = { url: string; status: number; contentType: string; bytes: Uint8Array; pages: number; pageSizes: { width: number; height: number }[] };

export async function downloadPdfByClick(page: Page, link: Locator): Promise<DownloadedPdf> {
  const href = await link.getAttribute("href");
  if (!href) throw new Error("download link has no href");
  const target = new URL(href, page.url()).toString();
  const context = page.context();
  let resolveCaptured!: (v: { status: number; contentType: string; bytes: Uint8Array }) => void;
  const captured = new Promise<{ status: number; contentType: string; bytes: Uint8Array }>((r) => (resolveCaptured = r));
  const handler = async (route: import("playwright-core").Route) => {
    const response = await route.fetch();
    const body = await response.body();
    resolveCaptured({ status: response.status(), contentType: response.headers()["content-type"] ?? "", bytes: new Uint8Array(body) });
    await route.fulfill({ response, body });
  };
  await context.route(target, handler);
  try {
    const popupPromise = context.waitForEvent("page");
    await link.click();
    const popup = await popupPromise;
    const got = await captured;
    await popup.waitForLoadState("load");
    expect(popup.url()).toBe(target);
    await popup.close();
    return { url: target, ...got, ...(await pdfInfo(got.bytes)) };
  } finally {
    await context.unroute(target, handler);
  }
}

export async function pdfInfo(bytes: Uint8Array) {
  if (Buffer.from(bytes.subarray(0, 5)).toString("latin1") !== "%PDF-") throw new Error(`not a PDF: ${Buffer.from(bytes.subarray(0, 600)).toString("latin1")}`);
  const doc = await PDFDocument.load(bytes);
  return { pages: doc.getPageCount(), pageSizes: doc.getPages().map((p) => p.getSize()) };
}
