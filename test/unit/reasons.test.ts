// Reason codes stored next to the foreign text: "[code] text" round-trips; a text without a known code stays whole.
import { describe, expect, it } from "vitest";
import { decodeReason, encodeReason, labelFailureMessage, reasonMessage } from "~/core/reasons";
import { t } from "~/i18n";

const nl = (key: string, params?: Record<string, unknown> | null) => t("nl", key, params);
const en = (key: string, params?: Record<string, unknown> | null) => t("en", key, params);

describe("failure reasons", () => {
  it("round-trips a code and the carrier's text", () => {
    const stored = encodeReason("carrier.rejected", "shipTo.address.postcode: This value is not valid.");
    expect(decodeReason(stored)).toEqual({ code: "carrier.rejected", detail: "shipTo.address.postcode: This value is not valid." });
  });

  it("keeps reasons without a known code as they were stored", () => {
    expect(decodeReason("Boekuwzending had a server error 503 (shipment)")).toEqual({ code: null, detail: "Boekuwzending had a server error 503 (shipment)" });
    expect(decodeReason("[warning] something the carrier wrote")).toEqual({ code: null, detail: "[warning] something the carrier wrote" });
    expect(decodeReason(null)).toBeNull();
    expect(decodeReason("")).toBeNull();
  });

  it("says it in the merchant's language, the carrier's text beneath", () => {
    const r = decodeReason(encodeReason("carrier.unreachable", "Boekuwzending had a server error 503 (shipment)"));
    expect(reasonMessage(nl, r)).toEqual({ text: "Vervoerder niet bereikbaar", detail: "Boekuwzending had a server error 503 (shipment)" });
    expect(labelFailureMessage(nl, { state: "sending", reason: r, attempts: 3 })?.text).toBe("Vervoerder niet bereikbaar, nieuwe poging (poging 3)");
    expect(labelFailureMessage(en, { state: "sending", reason: r, attempts: 3 })?.text).toBe("Carrier not reachable, retrying (attempt 3)");
    expect(labelFailureMessage(nl, { state: "failed", reason: r, attempts: 7 })?.text).toBe("Mislukt: Vervoerder niet bereikbaar");
    expect(labelFailureMessage(nl, { state: "sending", reason: null, attempts: 1 })).toBeNull();
    // Stored before codes existed: the text itself, as before.
    expect(labelFailureMessage(nl, { state: "rejected", reason: decodeReason("postcode invalid"), attempts: 1 })).toEqual({ retrying: false, text: "Mislukt: postcode invalid", detail: null });
  });
});
