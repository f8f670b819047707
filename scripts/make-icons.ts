// Koppel's icons in public/, drawn from one geometry: a rounded square with two linked rings ("koppelen": to link).
// Writes public/icon.svg (the vector), public/favicon.svg, public/favicon.ico (32×32 and 16×16 PNGs in an ICO) and
// public/app-icon.png (1200×1200, the size Shopify asks for an app icon). The PNGs are rasterised here (4×4 samples a
// pixel) so no image tool is needed; run it again after changing the geometry and commit what it writes.
//   node --import tsx scripts/make-icons.ts
import fs from "node:fs";
import path from "node:path";
import { crc32, deflateSync } from "node:zlib";

const PUBLIC = path.resolve(import.meta.dirname, "..", "public");

/** In a 100×100 box. */
const ICON = {
  background: "#0B5C4B",
  cornerRadius: 22,
  rings: [
    { cx: 39, cy: 50, r: 17.5, stroke: 9, color: "#FFFFFF" },
    { cx: 61, cy: 50, r: 17.5, stroke: 9, color: "#7FE0C2" },
  ],
} as const;

export function iconSvg(): string {
  const rings = ICON.rings.map((g) => `<circle cx="${g.cx}" cy="${g.cy}" r="${g.r}" fill="none" stroke="${g.color}" stroke-width="${g.stroke}"/>`).join("");
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100"><title>Koppel</title><rect width="100" height="100" rx="${ICON.cornerRadius}" fill="${ICON.background}"/>${rings}</svg>\n`;
}

const rgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];

/** The colour at a point of the 100×100 box, or null outside the rounded square. */
function colourAt(x: number, y: number): [number, number, number] | null {
  const r = ICON.cornerRadius;
  const dx = Math.max(r - x, 0, x - (100 - r));
  const dy = Math.max(r - y, 0, y - (100 - r));
  if (dx * dx + dy * dy > r * r) return null;
  let colour = rgb(ICON.background);
  for (const g of ICON.rings) {
    const d = Math.hypot(x - g.cx, y - g.cy);
    if (Math.abs(d - g.r) <= g.stroke / 2) colour = rgb(g.color);
  }
  return colour;
}

/** RGBA pixels of the icon at `size`×`size`, anti-aliased. */
function rasterise(size: number): Buffer {
  const n = 4;
  const px = Buffer.alloc(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const c = colourAt(((x + (sx + 0.5) / n) / size) * 100, ((y + (sy + 0.5) / n) / size) * 100);
          if (!c) continue;
          r += c[0];
          g += c[1];
          b += c[2];
          a++;
        }
      }
      const o = (y * size + x) * 4;
      if (a) {
        px[o] = Math.round(r / a);
        px[o + 1] = Math.round(g / a);
        px[o + 2] = Math.round(b / a);
      }
      px[o + 3] = Math.round((a / (n * n)) * 255);
    }
  }
  return px;
}

/** A PNG (RGBA, 8 bit) of `rgba`. https://www.w3.org/TR/png/ */
export function encodePng(size: number, rgba: Buffer): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.writeUInt8(8, 8); // bit depth
  header.writeUInt8(6, 9); // RGBA
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) rgba.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", header), chunk("IDAT", deflateSync(rows, { level: 9 })), chunk("IEND", Buffer.alloc(0))]);
}

/** An ICO holding PNG images (every browser reads PNG-in-ICO). */
export function encodeIco(pngs: { size: number; png: Buffer }[]): Buffer {
  const head = Buffer.alloc(6);
  head.writeUInt16LE(0, 0);
  head.writeUInt16LE(1, 2); // icon
  head.writeUInt16LE(pngs.length, 4);
  let offset = 6 + 16 * pngs.length;
  const entries = pngs.map(({ size, png }) => {
    const e = Buffer.alloc(16);
    e.writeUInt8(size >= 256 ? 0 : size, 0);
    e.writeUInt8(size >= 256 ? 0 : size, 1);
    e.writeUInt16LE(1, 4); // colour planes
    e.writeUInt16LE(32, 6); // bits per pixel
    e.writeUInt32LE(png.length, 8);
    e.writeUInt32LE(offset, 12);
    offset += png.length;
    return e;
  });
  return Buffer.concat([head, ...entries, ...pngs.map((p) => p.png)]);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  fs.mkdirSync(PUBLIC, { recursive: true });
  fs.writeFileSync(path.join(PUBLIC, "icon.svg"), iconSvg());
  fs.writeFileSync(path.join(PUBLIC, "favicon.svg"), iconSvg());
  const png = (size: number) => encodePng(size, rasterise(size));
  fs.writeFileSync(path.join(PUBLIC, "favicon.ico"), encodeIco([32, 16].map((size) => ({ size, png: png(size) }))));
  fs.writeFileSync(path.join(PUBLIC, "app-icon.png"), png(1200));
  fs.writeFileSync(path.join(PUBLIC, "apple-touch-icon.png"), png(180));
  console.log(`[info] wrote public/icon.svg, favicon.svg, favicon.ico, app-icon.png, apple-touch-icon.png`);
}
