// Parcel status pieces that need no database: PHP's json_encode as Boekuwzending signs over it, the carrier's dates,
// its statuses in Koppel's words, and "2 working days".
import { describe, expect, it } from "vitest";
import { phpJsonEncode } from "../../app/carriers/boekuwzending/php-json";
import { mapLabelStatus, parseCarrierDate } from "../../app/carriers/boekuwzending/parcel-status";
import { createBoekuwzendingCarrier, labelWebhookHmac } from "../../app/carriers/boekuwzending/adapter.server";
import { FakeCarrier } from "../fakes/carrier";
import { dutchCarrierHoliday, workingDaysBefore, isStuck } from "../../app/core/parcels/stuck";

describe("PHP json_encode (what the signature is computed over)", () => {
  it("escapes slashes and non-ASCII as PHP does, and encodes decoded empty / list-like objects as lists", () => {
    expect(phpJsonEncode({ url: "https://x/y", name: "Café ☕ 😀", n: 3, ok: true, none: null })).toBe(
      '{"url":"https:\\/\\/x\\/y","name":"Caf\\u00e9 \\u2615 \\ud83d\\ude00","n":3,"ok":true,"none":null}',
    );
    expect(phpJsonEncode({ a: {}, b: { "0": "x", "1": "y" }, c: [1, "t\n"] })).toBe('{"a":[],"b":["x","y"],"c":[1,"t\\n"]}');
  });
});

describe("Boekuwzending dates and statuses", () => {
  it("reads PHP DateTime objects in their zone, offsets and ISO text", () => {
    expect(parseCarrierDate({ date: "2026-12-01 11:30:00.000000", timezone_type: 3, timezone: "Europe/Amsterdam" })?.toISOString()).toBe("2026-12-01T10:30:00.000Z");
    expect(parseCarrierDate({ date: "2026-07-01 11:30:00.000000", timezone_type: 3, timezone: "Europe/Amsterdam" })?.toISOString()).toBe("2026-07-01T09:30:00.000Z");
    expect(parseCarrierDate({ date: "2026-12-01 11:30:00.000000", timezone_type: 1, timezone: "+02:00" })?.toISOString()).toBe("2026-12-01T09:30:00.000Z");
    expect(parseCarrierDate("2026-12-01T11:30:00+01:00")?.toISOString()).toBe("2026-12-01T10:30:00.000Z");
    expect(parseCarrierDate({ date: "yesterday" })).toBeNull();
  });
  it("maps every documented label status to one of Koppel's", () => {
    const documented = ["created", "scanned", "in_transit", "at_customs", "delivered", "at_pickup_point", "picked_up", "rejected", "return_in_transit", "return_delivered", "missing", "canceled"];
    expect(documented.map((s) => mapLabelStatus(s)?.status)).toEqual([
      "created", "scanned", "in_transit", "at_customs", "delivered", "at_pickup_point", "delivered", "problem", "returned", "returned", "problem", "problem",
    ]);
    expect(mapLabelStatus("delivered")?.final).toBe(true);
    expect(mapLabelStatus("something_new")).toBeNull();
  });
});

describe("label-update signatures", () => {
  const creds = { clientId: "client-1", clientSecret: "secret-1", environment: "staging" as const };
  it("accepts what the fake carrier signs, and refuses it with another account's credentials", () => {
    const fake = new FakeCarrier({ accounts: [creds] });
    const label = { id: "l1", waybill: "3SBUZ1", reference: "#1001", status: "in_transit", trackAndTraceLink: "" };
    const body = fake.signedLabelUpdate(creds.clientId, label, [{ status: "in_transit", code: "03", description: "Zending is onderweg / €", date: "2026-12-01T10:00:00+00:00" }], "evt-1");
    const carrier = createBoekuwzendingCarrier();
    const ok = carrier.verifyLabelWebhook(creds, body);
    expect(ok).toMatchObject({ ok: true, value: { eventId: "evt-1", waybill: "3SBUZ1", updates: [{ status: "in_transit", at: new Date("2026-12-01T10:00:00Z") }] } });
    expect(carrier.verifyLabelWebhook({ ...creds, clientSecret: "other" }, body).ok).toBe(false);
    // The key is the id and secret concatenated (the plugins' hash_hmac key), not either alone.
    const data = (JSON.parse(body) as { data: unknown }).data;
    expect(labelWebhookHmac(creds, data)).toBe((JSON.parse(body) as { meta: { hmac: string } }).meta.hmac);
  });
});

describe("stuck parcels", () => {
  it("counts two working days back over weekends", () => {
    // Monday 10:00 → the Thursday before; Wednesday → Monday.
    expect(workingDaysBefore(new Date("2026-11-30T10:00:00Z")).toISOString()).toBe("2026-11-26T10:00:00.000Z");
    expect(workingDaysBefore(new Date("2026-12-02T10:00:00Z")).toISOString()).toBe("2026-11-30T10:00:00.000Z");
    const now = new Date("2026-12-02T10:00:00Z");
    expect(isStuck({ parcelStatus: "created", createdAt: new Date("2026-11-30T09:00:00Z") }, now)).toBe(true);
    expect(isStuck({ parcelStatus: "created", createdAt: new Date("2026-11-30T11:00:00Z") }, now)).toBe(false);
    expect(isStuck({ parcelStatus: "in_transit", createdAt: new Date("2026-11-01T00:00:00Z") }, now)).toBe(false);
    expect(isStuck({ parcelStatus: "returned", createdAt: now }, now)).toBe(true);
  });
  it("does not count Dutch public holidays on which the carriers do not work", () => {
    // Easter 2027 is 28 March: Tuesday 30 March 10:00 → back over Easter Monday and the weekend → Thursday 25 March.
    expect(workingDaysBefore(new Date("2027-03-30T08:00:00Z")).toISOString()).toBe("2027-03-25T08:00:00.000Z");
    // Monday 28 December 2026 → Thursday 24th, Wednesday 23rd (Christmas on the Friday skipped).
    expect(workingDaysBefore(new Date("2026-12-28T09:00:00Z")).toISOString()).toBe("2026-12-23T09:00:00.000Z");
    // So a label made on Thursday 24 December at 15:00 is not yet stuck on Monday 28th (Monday–Friday alone said so).
    expect(isStuck({ parcelStatus: "created", createdAt: new Date("2026-12-24T14:00:00Z") }, new Date("2026-12-28T16:00:00Z"))).toBe(false);
    // Good Friday is a working day for the carriers; Easter Monday, Ascension (Easter + 39), Whit Monday (+ 50) are not.
    expect(dutchCarrierHoliday(2027, 3, 26)).toBe(false);
    expect(dutchCarrierHoliday(2027, 3, 29)).toBe(true);
    expect(dutchCarrierHoliday(2027, 5, 6)).toBe(true);
    expect(dutchCarrierHoliday(2027, 5, 17)).toBe(true);
    expect(dutchCarrierHoliday(2026, 4, 6)).toBe(true); // Easter 2026 is 5 April
    expect(dutchCarrierHoliday(2026, 5, 14)).toBe(true);
    expect(dutchCarrierHoliday(2026, 5, 25)).toBe(true);
    // King's Day: the 27th, or the 26th when the 27th is a Sunday (2025); Liberation Day is not a carrier holiday.
    expect(dutchCarrierHoliday(2026, 4, 27)).toBe(true);
    expect(dutchCarrierHoliday(2025, 4, 26)).toBe(true);
    expect(dutchCarrierHoliday(2025, 4, 27)).toBe(false);
    expect(dutchCarrierHoliday(2026, 5, 5)).toBe(false);
    expect(dutchCarrierHoliday(2027, 1, 1)).toBe(true);
    expect(workingDaysBefore(new Date("2027-01-04T08:00:00Z"), 1).toISOString()).toBe("2026-12-31T08:00:00.000Z");
    // The day is Amsterdam's: Sunday 3 January 23:30 UTC is Monday 00:30 there, a working day.
    expect(workingDaysBefore(new Date("2027-01-04T23:30:00Z"), 1).toISOString()).toBe("2027-01-03T23:30:00.000Z");
  });
});

describe("a genuine webhook Koppel cannot read", () => {
  it("is taken without updates instead of refused (the carrier would retry it forever)", () => {
    const creds = { clientId: "c", clientSecret: "s", environment: "staging" as const };
    const data = { id: "evt-9", event: "webhook-shipment-update", payload: "something else" };
    const body = JSON.stringify({ data, meta: { hmac: labelWebhookHmac(creds, data) } });
    expect(createBoekuwzendingCarrier().verifyLabelWebhook(creds, body)).toEqual({
      ok: true,
      value: { eventId: "evt-9", event: "webhook-shipment-update", waybill: null, reference: null, updates: [] },
    });
  });
});
