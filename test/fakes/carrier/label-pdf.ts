// Label PDFs for the fake carrier: one A6 page per label with service, ship-to address, the waybill as text and a
// Code128 (subset B) barcode of the waybill drawn as filled rectangles. Built with pdf-lib, no other dependency.
import { PDFDocument, PDFName, PDFString, StandardFonts, rgb, type PDFFont, type PDFPage } from "pdf-lib";

/** A6 = 105 × 148 mm in PDF points. */
export const A6_WIDTH_PT = (105 / 25.4) * 72;
export const A6_HEIGHT_PT = (148 / 25.4) * 72;

/**
 * Page-dictionary key carrying the waybill as a literal (uncompressed) PDF string, so tests can read it back from
 * the raw bytes: pdf-lib writes drawn text hex-encoded inside compressed content streams.
 */
export const WAYBILL_PAGE_KEY = "KoppelFakeWaybill";

// Code128 bar/space widths for symbol values 0..106 (106 = stop, 7 modules wide pattern "2331112").
export const CODE128_PATTERNS = [
  "212222", "222122", "222221", "121223", "121322", "131222", "122213", "122312", "132212", "221213",
  "221312", "231212", "112232", "122132", "122231", "113222", "123122", "123221", "223211", "221132",
  "221231", "213212", "223112", "312131", "311222", "321122", "321221", "312212", "322112", "322211",
  "212123", "212321", "232121", "111323", "131123", "131321", "112313", "132113", "132311", "211313",
  "231113", "231311", "112133", "112331", "132131", "113123", "113321", "133121", "313121", "211331",
  "231131", "213113", "213311", "213131", "311123", "311321", "331121", "312113", "312311", "332111",
  "314111", "221411", "431111", "111224", "111422", "121124", "121421", "141122", "141221", "112214",
  "112412", "122114", "122411", "142112", "142211", "241211", "221114", "413111", "241112", "134111",
  "111242", "121142", "121241", "114212", "124112", "124211", "411212", "421112", "421211", "212141",
  "214121", "412121", "111143", "111341", "131141", "114113", "114311", "411113", "411311", "113141",
  "114131", "311141", "411131", "211412", "211214", "211232", "2331112",
] as const;

const START_B = 104;
const STOP = 106;

/** Module widths (bar, space, bar, …) of `text` encoded as Code128-B, with start, checksum and stop symbols. */
export function code128B(text: string): number[] {
  const values: number[] = [START_B];
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    if (code < 32 || code > 126) throw new Error(`Code128-B cannot encode ${JSON.stringify(ch)}`);
    values.push(code - 32);
  }
  let checksum = START_B;
  values.slice(1).forEach((v, i) => (checksum += v * (i + 1)));
  values.push(checksum % 103, STOP);
  return values.flatMap((v) => [...CODE128_PATTERNS[v]!].map(Number));
}

function drawBarcode(page: PDFPage, text: string, x: number, y: number, width: number, height: number) {
  const modules = code128B(text);
  const total = modules.reduce((a, b) => a + b, 0);
  const unit = width / total;
  let cx = x;
  modules.forEach((w, i) => {
    if (i % 2 === 0) page.drawRectangle({ x: cx, y, width: w * unit, height, color: rgb(0, 0, 0) });
    cx += w * unit;
  });
}

export type LabelPdfInput = {
  waybill: string;
  serviceDescription: string;
  shipmentSequence: string;
  reference: string;
  colloIndex: number;
  colloCount: number;
  shipTo: { name: string; company?: string; lines: string[] };
  shipFrom: { name: string; lines: string[] } | null;
};

type Fonts = { regular: PDFFont; bold: PDFFont };

function drawLabel(page: PDFPage, fonts: Fonts, label: LabelPdfInput) {
  const w = page.getWidth();
  const h = page.getHeight();
  const m = 14;
  page.drawRectangle({ x: m / 2, y: m / 2, width: w - m, height: h - m, borderColor: rgb(0, 0, 0), borderWidth: 1 });
  let y = h - m - 14;
  const text = (s: string, size: number, bold = false) => {
    page.drawText(s.slice(0, 48), { x: m + 4, y, size, font: bold ? fonts.bold : fonts.regular });
    y -= size + 4;
  };
  text("Boekuwzending", 14, true);
  text(label.serviceDescription, 11, true);
  text(`${label.shipmentSequence} · collo ${label.colloIndex}/${label.colloCount}`.replace("·", "-"), 9);
  text(`Ref: ${label.reference}`, 9);
  y -= 6;
  if (label.shipFrom) {
    text("Afzender:", 7, true);
    text(label.shipFrom.name, 7);
    for (const l of label.shipFrom.lines) text(l, 7);
    y -= 6;
  }
  text("Aan:", 10, true);
  text(label.shipTo.name, 12, true);
  if (label.shipTo.company) text(label.shipTo.company, 11);
  for (const l of label.shipTo.lines) text(l, 12);
  // Barcode and waybill at the bottom.
  drawBarcode(page, label.waybill, m + 4, m + 30, w - 2 * m - 8, 70);
  page.drawText(label.waybill, { x: m + 4, y: m + 12, size: 12, font: fonts.bold });
  page.node.set(PDFName.of(WAYBILL_PAGE_KEY), PDFString.of(label.waybill));
}

/** A PDF with one A6 page per label, in order. */
export async function renderLabelsPdf(labels: LabelPdfInput[]): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setProducer("Koppel fake Boekuwzending");
  doc.setCreationDate(new Date(0));
  doc.setModificationDate(new Date(0));
  const fonts = { regular: await doc.embedFont(StandardFonts.Helvetica), bold: await doc.embedFont(StandardFonts.HelveticaBold) };
  for (const label of labels) drawLabel(doc.addPage([A6_WIDTH_PT, A6_HEIGHT_PT]), fonts, label);
  return doc.save({ useObjectStreams: false });
}

/** Concatenate PDFs page by page (copyPages keeps the waybill page key). */
export async function concatPdfs(pdfs: Uint8Array[]): Promise<Uint8Array> {
  if (pdfs.length === 1) return pdfs[0]!;
  const out = await PDFDocument.create();
  out.setProducer("Koppel fake Boekuwzending");
  for (const bytes of pdfs) {
    const src = await PDFDocument.load(bytes);
    for (const p of await out.copyPages(src, src.getPageIndices())) out.addPage(p);
  }
  return out.save({ useObjectStreams: false });
}

/** Waybills found in the page dictionaries of a PDF made by this fake (in file order). */
export function waybillsInPdf(bytes: Uint8Array): string[] {
  const s = Buffer.from(bytes).toString("latin1");
  return [...s.matchAll(new RegExp(`/${WAYBILL_PAGE_KEY} \\(([^)]*)\\)`, "g"))].map((m) => m[1]!);
}
