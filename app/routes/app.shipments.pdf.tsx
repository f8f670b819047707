// The label PDF of one or more of the shop's shipments, fetched from the carrier and merged for the printer:
// GET ?ids=1,2,3&format=A6|A4&start=1..4[&dt=signed download token]. None of the ids is this shop's → 404; the carrier fails → 502.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { requireMerchant } from "~/merchant.server";
import { resolveDownloadToken } from "~/download-token.server";
import { db } from "~/db.server";
import { getRuntime, labelDeps } from "~/runtime.server";
import { labelPdfsForShipments } from "~/core/labels/pdfs.server";
import { mergeLabelPdfs } from "~/core/label-pdf";
import { isCarrierError } from "~/core/ports";
import { carrierReasonCode } from "~/core/reasons";
import { t } from "~/i18n";
import { log } from "~/log.server";

const MAX_IDS = 500;

function text(status: number, body: string): Response {
  return new Response(body, { status, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });
}

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  // A signed link from the Zendingen page (new tabs inside Shopify's admin carry no session token), else the session.
  const dt = url.searchParams.get("dt");
  const merchant = dt ? await resolveDownloadToken(db, dt) : await requireMerchant(request);
  if (!merchant) return text(403, "This download link has expired; open Zendingen again.");
  const Query = z.object({
    ids: z
      .string()
      .max(MAX_IDS * 20)
      .transform((s) => s.split(",").map((x) => x.trim()).filter(Boolean))
      .pipe(z.array(z.string().regex(/^[1-9]\d{0,14}$/).transform(Number)).min(1).max(MAX_IDS)),
    format: z.enum(["A6", "A4"]).catch("A6"),
    start: z.coerce.number().int().min(1).max(4).catch(1),
  });
  const parsed = Query.safeParse({
    ids: url.searchParams.get("ids") ?? "",
    format: url.searchParams.get("format") ?? "A6",
    start: url.searchParams.get("start") ?? "1",
  });
  if (!parsed.success) return text(400, t(merchant.locale, "labels.error.invalid"));
  const { ids, format, start } = parsed.data;

  let pdfs: Uint8Array[];
  try {
    const found = await labelPdfsForShipments(labelDeps(await getRuntime()), merchant.shopId, [...new Set(ids)]);
    if (!found.found) return text(404, t(merchant.locale, "shipments.pdf.notFound"));
    pdfs = found.pdfs;
  } catch (e) {
    // Not `instanceof`: the runtime's adapter (build/server.js) throws its own bundle's copy of CarrierError.
    if (isCarrierError(e)) {
      log.warn("label pdf download failed", { shopId: merchant.shopId, kind: e.kind, error: e.message });
      // Koppel's sentence in the merchant's language, the carrier's own text beneath it.
      const why = t(merchant.locale, `reason.${carrierReasonCode(e.kind)}`);
      return text(502, `${t(merchant.locale, "shipments.pdf.carrierError")}\n${why}\n\n${e.message}`);
    }
    throw e;
  }
  const bytes = await mergeLabelPdfs(pdfs, format === "A4" ? { format: "A4", startPosition: start as 1 | 2 | 3 | 4 } : { format: "A6" });
  return new Response(new Uint8Array(bytes), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": "inline; filename=labels.pdf",
      "Cache-Control": "private, no-store",
    },
  });
}
