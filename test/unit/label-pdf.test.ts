import { PDFDocument, PDFName, PDFDict, PDFRef } from "pdf-lib";
import { describe, expect, it } from "vitest";
import { A4_SIZE, A6_SIZE, mergeLabelPdfs } from "~/core/label-pdf";
import { renderLabelsPdf, type LabelPdfInput } from "../fakes/carrier";

function label(waybill: string): LabelPdfInput {
  return {
    waybill,
    serviceDescription: "PostNL Pakket",
    shipmentSequence: "BUZ1",
    reference: "#1001",
    colloIndex: 1,
    colloCount: 1,
    shipTo: { name: "Jan", lines: ["Coolsingel 40", "3011 AD Rotterdam", "NL"] },
    shipFrom: null,
  };
}
const labelPdfs = (n: number, pagesEach = 1) =>
  Promise.all(Array.from({ length: n }, (_, i) => renderLabelsPdf(Array.from({ length: pagesEach }, (_, j) => label(`3SBUZ${i}${j}`)))));

/** Number of embedded label XObjects drawn on each page, and their placement matrices (from the content streams). */
async function pages(bytes: Uint8Array) {
  const doc = await PDFDocument.load(bytes);
  return doc.getPages().map((p) => {
    const xobjects = p.node.Resources()?.lookup(PDFName.of("XObject"), PDFDict);
    return { width: p.getWidth(), height: p.getHeight(), labels: xobjects ? xobjects.keys().length : 0, page: p };
  });
}

/** The translation (e, f) of each `cm` before a Do in the page's content, to see which A4 cells are used. */
async function placements(bytes: Uint8Array): Promise<{ x: number; y: number }[][]> {
  const doc = await PDFDocument.load(bytes);
  const { inflate } = await import("node:zlib").then((z) => ({ inflate: z.inflateSync }));
  return doc.getPages().map((p) => {
    const contents = p.node.get(PDFName.of("Contents"));
    const refs = contents instanceof PDFRef ? [contents] : ((contents as unknown as { asArray(): PDFRef[] })?.asArray?.() ?? []);
    let text = "";
    for (const ref of refs) {
      const stream = doc.context.lookup(ref) as unknown as { getContents(): Uint8Array; dict: PDFDict };
      const raw = Buffer.from(stream.getContents());
      const filtered = stream.dict.get(PDFName.of("Filter"));
      text += (filtered ? inflate(raw) : raw).toString("latin1") + "\n";
    }
    return [...text.matchAll(/1 0 0 1 ([\d.-]+) ([\d.-]+) cm[\s\S]*?Do/g)].map((m) => ({ x: Number(m[1]), y: Number(m[2]) }));
  });
}

describe("mergeLabelPdfs", () => {
  it("A4: nine labels → three sheets (4 + 4 + 1) of A4 size", async () => {
    const merged = await mergeLabelPdfs(await labelPdfs(9), { format: "A4" });
    expect(new TextDecoder().decode(merged.subarray(0, 5))).toBe("%PDF-");
    const ps = await pages(merged);
    expect(ps.map((p) => p.labels)).toEqual([4, 4, 1]);
    for (const p of ps) {
      expect(p.width).toBeCloseTo(595.28, 1);
      expect(p.height).toBeCloseTo(841.89, 1);
    }
    const place = await placements(merged);
    // Position 1 is top-left: the single label on the last sheet sits in the upper-left quarter.
    expect(place[2]).toHaveLength(1);
    expect(place[2]![0]!.x).toBeLessThan(A4_SIZE.width / 2);
    expect(place[2]![0]!.y).toBeGreaterThanOrEqual(A4_SIZE.height / 2);
  });

  it("A6: nine labels → nine A6 pages", async () => {
    const ps = await pages(await mergeLabelPdfs(await labelPdfs(9), { format: "A6" }));
    expect(ps).toHaveLength(9);
    for (const p of ps) {
      expect(p.width).toBeCloseTo(297.64, 1);
      expect(p.height).toBeCloseTo(419.53, 1);
      expect(p.labels).toBe(1);
    }
    expect(A6_SIZE.width).toBeCloseTo(297.64, 1);
  });

  it("A4 with startPosition 3: nine labels → 2 + 4 + 3, starting bottom-left", async () => {
    const merged = await mergeLabelPdfs(await labelPdfs(9), { format: "A4", startPosition: 3 });
    expect((await pages(merged)).map((p) => p.labels)).toEqual([2, 4, 3]);
    const first = (await placements(merged))[0]!;
    expect(first).toHaveLength(2);
    expect(first.every((c) => c.y < A4_SIZE.height / 2)).toBe(true);
    expect(first[0]!.x).toBeLessThan(A4_SIZE.width / 2);
    expect(first[1]!.x).toBeGreaterThanOrEqual(A4_SIZE.width / 2);
  });

  it("every page of a multi-page label PDF counts as a label", async () => {
    const pdfs = [...(await labelPdfs(1, 2)), ...(await labelPdfs(1, 1))];
    expect((await mergeLabelPdfs(pdfs, { format: "A6" })).length).toBeGreaterThan(0);
    expect(await pages(await mergeLabelPdfs(pdfs, { format: "A6" }))).toHaveLength(3);
    expect((await pages(await mergeLabelPdfs(pdfs, { format: "A4", startPosition: 4 }))).map((p) => p.labels)).toEqual([1, 2]);
  });

  it("scales a larger (A4) label page down into the A6 cell and turns landscape labels", async () => {
    const big = await PDFDocument.create();
    big.addPage([A4_SIZE.width, A4_SIZE.height]);
    big.addPage([A6_SIZE.height, A6_SIZE.width]); // landscape A6
    const merged = await mergeLabelPdfs([await big.save()], { format: "A6" });
    const ps = await pages(merged);
    expect(ps).toHaveLength(2);
    expect(ps[1]!.width).toBeCloseTo(A6_SIZE.width, 1);
    const place = await placements(merged);
    // A4 page scaled by ~0.498 and centred; the landscape page turned 90° (so shifted right by its drawn width).
    expect(place[0]![0]!.x).toBeCloseTo((A6_SIZE.width - A4_SIZE.width * (A6_SIZE.height / A4_SIZE.height)) / 2, 1);
    expect(place[1]![0]).toMatchObject({ x: expect.closeTo(A6_SIZE.width, 1), y: expect.closeTo(0, 1) });
  });

  it("rejects an empty list and a bad start position", async () => {
    await expect(mergeLabelPdfs([], { format: "A6" })).rejects.toThrow(RangeError);
    await expect(mergeLabelPdfs(await labelPdfs(1), { format: "A4", startPosition: 5 as 1 })).rejects.toThrow(RangeError);
  });

  it("merges 500 labels in reasonable time", async () => {
    const one = (await labelPdfs(1))[0]!;
    const started = Date.now();
    const merged = await mergeLabelPdfs(Array.from({ length: 500 }, () => one), { format: "A4" });
    expect((await PDFDocument.load(merged)).getPageCount()).toBe(125);
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});
