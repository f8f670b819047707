// Why a label or a write-back failed, in two parts: a code that Koppel says in the merchant's language (app/i18n
// "reason.<code>") and the outside party's own words (the carrier's or the shop's text), shown beneath it as written.
// Columns with no jsonb next to them (label_requests.last_error, shipments.writeback_error) store both as
// "[code] text"; activity rows keep the text in `reason` and the code in details.reasonCode.
// Shared by server and browser code: no server-only imports.
import type { CarrierFailureKind } from "./ports";

export const REASON_CODES = [
  "carrier.unreachable",
  "carrier.rejected",
  "carrier.invalid_credentials",
  "carrier.not_connected",
  "carrier.account_gone",
  "label.missing_data",
  "shop.unreachable",
  "shop.refused",
  "shop.not_ready",
  "shop.not_installed",
  "internal",
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

/** `code` null: a reason stored without one (before codes existed, or by another writer): `detail` is all there is. */
export type Reason = { code: ReasonCode | null; detail: string };

export function isReasonCode(value: unknown): value is ReasonCode {
  return (REASON_CODES as readonly unknown[]).includes(value);
}

export function encodeReason(code: ReasonCode, detail: string): string {
  return `[${code}] ${detail}`;
}

export function decodeReason(stored: string | null | undefined): Reason | null {
  if (stored === null || stored === undefined || stored === "") return null;
  const m = /^\[([a-z_.]+)\] ?/.exec(stored);
  // Only known codes: a carrier text that happens to start with brackets stays whole.
  if (m && isReasonCode(m[1])) return { code: m[1], detail: stored.slice(m[0].length) };
  return { code: null, detail: stored };
}

export function carrierReasonCode(kind: CarrierFailureKind): ReasonCode {
  return kind === "transient" ? "carrier.unreachable" : kind === "rejected" ? "carrier.rejected" : "carrier.invalid_credentials";
}

type Translate = (key: string, params?: Record<string, unknown> | null) => string;

/**
 * Koppel's sentence for a reason (`text`) and the foreign text to show beneath it (`detail`, null when none).
 * A reason without a code shows its stored text as the sentence, as before codes existed.
 */
export function reasonMessage(t: Translate, reason: Reason | null): { text: string; detail: string | null } {
  if (!reason) return { text: t("labels.state.unknownReason"), detail: null };
  if (!reason.code) return { text: reason.detail || t("labels.state.unknownReason"), detail: null };
  return { text: t(`reason.${reason.code}`), detail: reason.detail.trim() || null };
}

/**
 * What a label request's failure says, for the order list and the batch progress: a pending request whose last
 * attempt failed is "retrying (attempt n)" from the first failure on; a failed or rejected one "Mislukt: …".
 * Null when nothing failed.
 */
export function labelFailureMessage(
  t: Translate,
  l: { state: string; reason: Reason | null; attempts: number },
): { retrying: boolean; text: string; detail: string | null } | null {
  const why = reasonMessage(t, l.reason);
  if ((l.state === "queued" || l.state === "sending") && l.reason)
    return { retrying: true, text: t("labels.state.retrying", { reason: why.text, attempt: Math.max(1, l.attempts) }), detail: why.detail };
  if (l.state === "failed" || l.state === "rejected") return { retrying: false, text: t("labels.state.failed", { reason: why.text }), detail: why.detail };
  return null;
}
