// Merging carrier label PDFs into one print file: A6 (one label per page, label printers) or A4 (four A6 labels per
// sheet, 2×2, with a start position so a half-used sheet of sticker paper can be reused). Pure; uses pdf-lib.
import { PDFDocument, PDFName, degrees, type PDFEmbeddedPage } from "pdf-lib";

const MM = 72 / 25.4;
export const A6_SIZE = { width: 105 * MM, height: 148 * MM } as const;
export const A4_SIZE = { width: 210 * MM, height: 297 * MM } as const;

export type LabelSheetPosition = 1 | 2 | 3 | 4;
export type LabelPdfFormat = { format: "A6" } | { format: "A4"; startPosition?: LabelSheetPosition };

type Cell = { x: number; y: number; width: number; height: number };

/** A4 cells in reading order: 1 top-left, 2 top-right, 3 bottom-left, 4 bottom-right. */
function a4Cells(): Cell[] {
  const width = A4_SIZE.width / 2;
  const height = A4_SIZE.height / 2;
  return [
    { x: 0, y: height, width, height },
    { x: width, y: height, width, height },
    { x: 0, y: 0, width, height },
    { x: width, y: 0, width, height },
  ];
}

/** Draw `page` as large as fits into `box` (an A6 area), centred; landscape labels are turned a quarter. */
function drawFitted(target: ReturnType<PDFDocument["addPage"]>, page: PDFEmbeddedPage, box: Cell) {
  const rotate = page.width > page.height && box.height > box.width;
  const w = rotate ? page.height : page.width;
  const h = rotate ? page.width : page.height;
  const scale = Math.min(box.width / w, box.height / h);
  const dx = box.x + (box.width - w * scale) / 2;
  const dy = box.y + (box.height - h * scale) / 2;
  if (rotate) {
    // Rotating 90° counter-clockwise about (x, y) puts the page left of x: shift right by its drawn width.
    target.drawPage(page, { x: dx + w * scale, y: dy, xScale: scale, yScale: scale, rotate: degrees(90) });
  } else {
    target.drawPage(page, { x: dx, y: dy, xScale: scale, yScale: scale });
  }
}

/** The A6 area inside an A4 cell (the cell is a hair taller than A6), centred. */
function a6Box(cell: Cell): Cell {
  const width = Math.min(cell.width, A6_SIZE.width);
  const height = Math.min(cell.height, A6_SIZE.height);
  return { x: cell.x + (cell.width - width) / 2, y: cell.y + (cell.height - height) / 2, width, height };
}

/**
 * One PDF with every page of every input as a label, in order. Every input page counts as one label (carriers put one
 * collo per page). A4: `startPosition` (default 1) is where the first label goes on the first sheet.
 */
export async function mergeLabelPdfs(pdfs: Uint8Array[], opts: LabelPdfFormat): Promise<Uint8Array> {
  const start = opts.format === "A4" ? (opts.startPosition ?? 1) : 1;
  if (!Number.isInteger(start) || start < 1 || start > 4) throw new RangeError(`startPosition must be 1-4, got ${start}`);
  const out = await PDFDocument.create();
  out.setProducer("Koppel");
  out.setCreator("Koppel");
  const cells = a4Cells();
  let sheet: ReturnType<PDFDocument["addPage"]> | null = null;
  let slot = start - 1;
  let labels = 0;

  for (const bytes of pdfs) {
    // Each source is embedded, then flushed so its parsed document can be collected before the next one is read.
    const src = await PDFDocument.load(bytes, { updateMetadata: false });
    // pdf-lib cannot embed a page without content (a blank page): give it an empty content stream.
    for (const page of src.getPages()) {
      if (!page.node.Contents()) page.node.set(PDFName.of("Contents"), src.context.register(src.context.contentStream([])));
    }
    const embedded = await out.embedPdf(src, src.getPageIndices());
    for (const page of embedded) {
      labels++;
      if (opts.format === "A6") {
        drawFitted(out.addPage([A6_SIZE.width, A6_SIZE.height]), page, { x: 0, y: 0, width: A6_SIZE.width, height: A6_SIZE.height });
        continue;
      }
      if (!sheet) {
        sheet = out.addPage([A4_SIZE.width, A4_SIZE.height]);
      } else if (slot >= 4) {
        sheet = out.addPage([A4_SIZE.width, A4_SIZE.height]);
        slot = 0;
      }
      drawFitted(sheet, page, a6Box(cells[slot]!));
      slot++;
    }
    await out.flush();
  }
  if (labels === 0) throw new RangeError("No label pages to merge");
  return out.save();
}

/** Concatenate PDFs page by page, unchanged (e.g. label PDFs fetched in batches). */
export async function concatPdfs(pdfs: Uint8Array[]): Promise<Uint8Array> {
  if (pdfs.length === 1) return pdfs[0]!;
  if (pdfs.length === 0) throw new RangeError("No PDFs to concatenate");
  const out = await PDFDocument.create();
  for (const bytes of pdfs) {
    const src = await PDFDocument.load(bytes, { updateMetadata: false });
    for (const page of await out.copyPages(src, src.getPageIndices())) out.addPage(page);
  }
  // Without object streams page dictionaries stay readable in the bytes (the carrier fake's tests rely on that).
  return out.save({ useObjectStreams: false });
}
