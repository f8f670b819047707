// The README's pictures of the admin extensions: the DOM each extension rendered in its test
// (test/integration/extensions-dom.test.ts saves it in test-results/extensions/), photographed in Debian's Chromium.
// Shopify's admin draws the Polaris web components (s-banner, s-select, …) itself; outside the admin they are unknown
// elements, so a small stylesheet below stands in for them: the content, texts and states are the test's, the look is
// an approximation. Writes docs/screenshots/extension-<name>.png.
//   npx vitest run --project integration test/integration/extensions-dom.test.ts && node --import tsx scripts/extension-screenshots.ts
import fs from "node:fs";
import path from "node:path";
import { chromium } from "playwright-core";

const root = path.resolve(import.meta.dirname, "..");
const from = path.join(root, "test-results", "extensions");
const to = path.join(root, "docs", "screenshots");

/** The pictures, and how wide the admin shows each surface. */
const SHOTS: Record<string, { width: number; frame: string }> = {
  "order-action-form": { width: 520, frame: "Meer acties → Label aanmaken (Koppel)" },
  "order-action-created": { width: 520, frame: "Meer acties → Label aanmaken (Koppel)" },
  "order-block-shipped": { width: 380, frame: "Bestelling: blok Koppel" },
  "order-block-writeback-failed": { width: 380, frame: "Bestelling: blok Koppel" },
  "order-print-selection": { width: 520, frame: "Bestellingen → selectie → Afdrukken → Labels (Koppel)" },
};

const STYLE = `
* { box-sizing: border-box; }
body { margin: 0; padding: 16px; background: #f1f1f1; font: 13px/1.45 -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; color: #303030; }
.frame { font-size: 12px; color: #616161; margin: 0 0 8px 2px; }
s-admin-action, s-admin-block, s-admin-print-action { display: flex; flex-direction: column; gap: 12px; background: #fff; border-radius: 12px; padding: 16px; box-shadow: 0 1px 0 rgba(26,26,26,.07), 0 1px 2px rgba(26,26,26,.15); }
s-admin-action::before, s-admin-block::before { content: attr(heading); font-weight: 650; font-size: 14px; }
s-admin-action::before { font-size: 16px; padding-bottom: 12px; border-bottom: 1px solid #ebebeb; }
s-admin-action > [slot] { align-self: flex-end; order: 2; }
s-admin-action > [slot="secondary-actions"] { order: 1; margin-top: 4px; }
s-admin-print-action::after { content: "PDF-voorbeeld (de admin toont de PDF hiernaast)"; display: block; padding: 28px; text-align: center; color: #8a8a8a; border: 1px dashed #c9c9c9; border-radius: 8px; }
s-admin-print-action:not([src])::after { content: "Geen PDF"; }
s-stack { display: flex; flex-direction: column; gap: 12px; }
s-stack[gap="small-200"] { gap: 6px; }
s-stack[direction="inline"] { flex-direction: row; align-items: center; flex-wrap: wrap; }
s-banner { display: flex; flex-direction: column; gap: 6px; padding: 10px 12px; border-radius: 8px; background: #e0f0ff; }
s-banner::before { content: attr(heading); font-weight: 650; }
s-banner:not([heading])::before { display: none; }
s-banner[tone="warning"] { background: #fff1c2; }
s-banner[tone="critical"] { background: #fedad9; }
s-banner[tone="success"] { background: #cdfee1; }
s-text, s-paragraph { display: block; }
s-text[color="subdued"] { color: #616161; font-size: 12px; }
s-link { color: #005bd3; text-decoration: underline; cursor: pointer; }
s-button { display: inline-block; align-self: flex-start; padding: 6px 12px; border-radius: 8px; background: #fff; border: 1px solid #d4d4d4; box-shadow: 0 -1px 0 #b5b5b5 inset; font-weight: 550; }
s-button[variant="primary"] { background: #303030; color: #fff; border-color: #303030; }
s-button[disabled] { opacity: .45; }
s-badge { display: inline-block; padding: 2px 8px; border-radius: 8px; background: #e3e3e3; font-weight: 550; font-size: 12px; }
s-badge[tone="success"] { background: #affebf; } s-badge[tone="warning"] { background: #ffd6a4; } s-badge[tone="critical"] { background: #fed1d7; } s-badge[tone="info"] { background: #e0f0ff; }
s-select, s-number-field { display: flex; flex-direction: column; gap: 4px; }
s-select::before, s-number-field::before { content: attr(label); }
s-select s-option { display: none; }
s-select s-option[data-selected] { display: block; padding: 6px 10px; border: 1px solid #8a8a8a; border-radius: 8px; background: #fdfdfd; }
s-select s-option[data-selected]::after { content: "⌄"; float: right; }
s-number-field::after { content: attr(value); padding: 6px 10px; border: 1px solid #8a8a8a; border-radius: 8px; background: #fdfdfd; }
s-spinner { display: inline-block; width: 16px; height: 16px; border-radius: 50%; border: 2px solid #d4d4d4; border-top-color: #303030; }
s-unordered-list { display: block; padding-left: 18px; }
s-list-item { display: list-item; list-style: disc; }
`;

async function main(): Promise<number> {
  const missing = Object.keys(SHOTS).filter((name) => !fs.existsSync(path.join(from, `${name}.html`)));
  if (missing.length) {
    console.error(`Missing ${missing.join(", ")} in ${path.relative(root, from)}/: run test/integration/extensions-dom.test.ts first.`);
    return 1;
  }
  fs.mkdirSync(to, { recursive: true });
  const browser = await chromium.launch({ executablePath: process.env.KOPPEL_CHROMIUM ?? "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
  try {
    for (const [name, shot] of Object.entries(SHOTS)) {
      const page = await browser.newPage({ viewport: { width: shot.width + 32, height: 200 }, deviceScaleFactor: 2 });
      // Nothing is fetched: the saved DOM's links are attributes only.
      await page.route("**/*", (route) => (route.request().url().startsWith("data:") ? route.continue() : route.abort()));
      const html = fs.readFileSync(path.join(from, `${name}.html`), "utf8");
      await page.setContent(`<!doctype html><html lang="nl"><head><meta charset="utf-8"><style>${STYLE}</style></head><body><div class="frame">${shot.frame}</div>${html}</body></html>`);
      await page.screenshot({ path: path.join(to, `extension-${name}.png`), fullPage: true });
      await page.close();
      console.log(`[info] docs/screenshots/extension-${name}.png`);
    }
  } finally {
    await browser.close();
  }
  return 0;
}

process.exit(await main());
