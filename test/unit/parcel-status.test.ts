// Parcel status pieces that need no database: PHP's json_encode as Boekuwzending signs over it, the carrier's dates,
// its statuses in Koppel's words, and "2 working days".
import { describe, expect, it } from "vitest";
import { phpJsonEncode } from "../../app/carriers/boekuwzending/php-json";
import { mapLabelStatus, parseCarrierDate } from "../../app/carriers/boekuwzending/parcel-status";
import { createHmac } from "node:crypto";
import { createBoekuwzendingCarrier, labelWebhookHmac } from "../../app/carriers/boekuwzending/adapter.server";
import { topLevelMemberText } from "../../app/carriers/boekuwzending/json-span";
import { FakeCarrier, fakePhpJsonEncode, phpAssoc, phpFloat } from "../fakes/carrier";
import { dutchCarrierHoliday, workingDaysBefore, isStuck } from "../../app/core/parcels/stuck";
import { shipmentStatusOfColli } from "../../app/core/parcels/colli";
import type { ParcelStatus } from "../../app/core/domain";

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

describe("label-update signatures over the bytes PHP sent", () => {
  const creds = { clientId: "client-php", clientSecret: "secret-php", environment: "staging" as const };
  // Literal json_encode($data) output as a PHP sender writes it: a float 5.0 (JSON_PRESERVE_ZERO_FRACTION) and 1.0e-5
  // (any flags), an integer above 2^53, an array whose integer keys are not in order (JSON.parse reorders them, and
  // Koppel's re-encoding then writes a list), "/" escaped and "é" as \u00e9. None survives JSON.parse + re-encoding.
  const date = String.raw`{"date":"2026-12-01 11:30:00.000000","timezone_type":3,"timezone":"Europe\/Amsterdam"}`;
  const data = String.raw`{"id":"evt-php-1","event":"webhook-label-update","date":${date},"payload":{"reference":"#1001","waybill":"3SBUZ77","weight":5.0,"ratio":1.0e-5,"labelNumber":9007199254740993,"colli":{"1":"b","0":"a"},"active":{"status":"in_transit","code":"03","description":"Caf\u00e9 https:\/\/x.nl \"ok\"","date":${date}},"details":[]}}`;
  // The key the contract gives: the client id and secret concatenated (the plugins' hash_hmac key).
  const hmac = createHmac("sha256", creds.clientId + creds.clientSecret).update(data, "utf8").digest("hex");
  const carrier = createBoekuwzendingCarrier();

  it("accepts genuine PHP-signed bytes that a re-encoding of the parsed data cannot reproduce", () => {
    expect(labelWebhookHmac(creds, JSON.parse(data))).not.toBe(hmac);
    const body = `{"data":${data},"meta":{"hmac":"${hmac}"}}`;
    expect(carrier.verifyLabelWebhook(creds, body)).toMatchObject({
      ok: true,
      value: { eventId: "evt-php-1", waybill: "3SBUZ77", updates: [{ status: "in_transit", description: 'Café https://x.nl "ok"', at: new Date("2026-12-01T10:30:00Z") }] },
    });
    // Whitespace around the members, "meta" first, the signature in capitals: the same bytes of `data`.
    expect(carrier.verifyLabelWebhook(creds, `{\n  "meta" : { "hmac" : "${hmac.toUpperCase()}" } ,\n  "data" :\t${data}\n}\n`).ok).toBe(true);
    // The fake carrier signs the same way: its envelope around these bytes is the one above.
    const fake = new FakeCarrier({ accounts: [creds] });
    expect(fake.signLabelWebhookBytes(creds.clientId, data)).toBe(body);
  });

  it("refuses the same bytes with one byte changed, or another account's key", () => {
    const tampered = [
      data.replace("5.0", "6.0"),
      data.replace("1.0e-5", "1.0e-6"),
      data.replace('{"1":"b","0":"a"}', '{"1":"a","0":"b"}'),
      data.replace("9007199254740993", "9007199254740995"),
      data.replace(String.raw`\u00e9`, String.raw`\u00e8`),
    ];
    for (const t of tampered) {
      expect(t).not.toBe(data);
      expect(carrier.verifyLabelWebhook(creds, `{"data":${t},"meta":{"hmac":"${hmac}"}}`)).toEqual({ ok: false, reason: "HMAC mismatch" });
    }
    expect(carrier.verifyLabelWebhook({ ...creds, clientSecret: "other" }, `{"data":${data},"meta":{"hmac":"${hmac}"}}`).ok).toBe(false);
    // A second "data" member (JSON.parse takes the last): no span is trusted, and the parsed data's re-encoding fails.
    expect(carrier.verifyLabelWebhook(creds, `{"data":${data},"meta":{"hmac":"${hmac}"},"data":{"id":"x","event":"webhook-label-update","payload":{}}}`).ok).toBe(false);
  });

  it("finds the top-level member's text through strings, escapes and nesting", () => {
    expect(topLevelMemberText(String.raw`{"x":"} \" {\"data\":1}","nested":{"data":[1,{"a":"]"}]},"d\u0061ta" : [ 1 , 2 ] }`, "data")).toBe("[ 1 , 2 ]");
    expect(topLevelMemberText('{"data":-1.5e+3}', "data")).toBe("-1.5e+3");
    expect(topLevelMemberText(String.raw`{"data":"a\\"}`, "data")).toBe(String.raw`"a\\"`);
    expect(topLevelMemberText('{"nested":{"data":1}}', "data")).toBeNull();
    expect(topLevelMemberText('{"data":1,"data":2}', "data")).toBeNull();
    expect(topLevelMemberText('[{"data":1}]', "data")).toBeNull();
    expect(topLevelMemberText('{"data":{"a":1}', "data")).toBeNull();
  });

  it("the fake's encoder writes what PHP's json_encode writes", () => {
    expect(fakePhpJsonEncode({ url: "https://x/y", name: "Café ☕ 😀", n: 3, big: 9007199254740993n, ok: true, none: null })).toBe(
      String.raw`{"url":"https:\/\/x\/y","name":"Caf\u00e9 \u2615 \ud83d\ude00","n":3,"big":9007199254740993,"ok":true,"none":null}`,
    );
    expect(fakePhpJsonEncode([phpFloat(5), 0.5, 0.0001, 0.00001, 1.5e-7, 1e16, 1e17, -123456.75])).toBe("[5,0.5,0.0001,1.0e-5,1.5e-7,10000000000000000,1.0e+17,-123456.75]");
    expect(fakePhpJsonEncode({ w: phpFloat(5), z: phpFloat(0) }, { preserveZeroFraction: true })).toBe('{"w":5.0,"z":0.0}');
    expect(fakePhpJsonEncode({ a: {}, b: { "0": "x", "1": "y" }, c: phpAssoc([["1", "a"], ["0", "b"]]), d: "t\n\u007f<&>'" })).toBe(String.raw`{"a":[],"b":["x","y"],"c":{"1":"a","0":"b"},"d":"t\n` + "\u007f" + `<&>'"}`);
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

describe("a forged webhook nested deeper than re-encoding can go", () => {
  it("is a mismatch, not a thrown error", () => {
    const creds = { clientId: "c", clientSecret: "s", environment: "staging" as const };
    const deep = "[".repeat(20_000) + "]".repeat(20_000);
    const body = `{"data":{"id":"evt-x","a":${deep}},"meta":{"hmac":"00"}}`;
    expect(createBoekuwzendingCarrier().verifyLabelWebhook(creds, body)).toEqual({ ok: false, reason: "HMAC mismatch" });
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

describe("a multi-colli shipment's status", () => {
  const at = (min: number) => new Date(Date.UTC(2026, 11, 1, 10, min));
  const c = (status: ParcelStatus, min: number | null) => ({ status, at: min === null ? null : at(min), event: min });
  it("is the least advanced collo's, a problem (then a return) winning, a collo without news counting as aangemaakt", () => {
    expect(shipmentStatusOfColli([c("delivered", 30), c("in_transit", 10)])).toEqual(c("in_transit", 10));
    expect(shipmentStatusOfColli([c("in_transit", 5), c("in_transit", 20), c("delivered", 30)])).toEqual(c("in_transit", 20));
    expect(shipmentStatusOfColli([c("at_pickup_point", 5), c("delivered", 30)]).status).toBe("at_pickup_point");
    expect(shipmentStatusOfColli([c("delivered", 30), c("created", null)])).toEqual(c("created", null));
    expect(shipmentStatusOfColli([c("delivered", 30), c("returned", 10), c("problem", 5)])).toEqual(c("problem", 5));
    expect(shipmentStatusOfColli([c("delivered", 30), c("returned", 10), c("scanned", 5)])).toEqual(c("returned", 10));
    expect(shipmentStatusOfColli([c("delivered", 30)])).toEqual(c("delivered", 30));
  });
});
