import { PDFDocument } from "pdf-lib";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  createBoekuwzendingCarrier,
  DEFAULT_DESTINATION_NEEDS,
  DESTINATION_NEEDS,
  destinationNeeds,
  readableCarrierError,
} from "~/carriers/boekuwzending/adapter.server";
import { carrierFor, configureCarrierBaseUrls } from "~/carriers/registry.server";
import { CarrierError, type CarrierAddress, type CarrierCredentials, type ShipmentRequest } from "~/core/ports";
import { startFakeCarrier, waybillsInPdf, type RunningFakeCarrier } from "../fakes/carrier";

const CREDS: CarrierCredentials = { clientId: "koppel-test", clientSecret: "s3cr3t", environment: "staging" };
const OTHER: CarrierCredentials = { clientId: "other-shop", clientSecret: "other", environment: "production" };

let carrier: RunningFakeCarrier;
beforeAll(async () => {
  carrier = await startFakeCarrier({ accounts: [CREDS, OTHER] });
});
afterAll(() => carrier.close());
beforeEach(() => carrier.fake.reset());

function adapter(opts: { timeoutMs?: number; now?: () => number } = {}) {
  return createBoekuwzendingCarrier({ baseUrls: { staging: carrier.baseUrl, production: carrier.baseUrl }, ...opts });
}

const shipFrom: CarrierAddress = {
  name: "Winkel BV",
  company: "Winkel BV",
  street: "Damrak",
  houseNumber: "1",
  postcode: "1012LG",
  city: "Amsterdam",
  country: "NL",
};
const shipTo: CarrierAddress = {
  name: "Jan Jansen",
  email: "jan@example.com",
  phone: null,
  street: "Coolsingel",
  houseNumber: "40",
  houseNumberAddition: "b",
  postcode: "3011 ad",
  city: "Rotterdam",
  country: "nl",
};
function request(overrides: Partial<ShipmentRequest> = {}): ShipmentRequest {
  return {
    idempotencyKey: "label-req-1",
    reference: "#1001",
    service: "postnl-standard",
    packageType: "package",
    colli: 2,
    weightGrams: 3000,
    shipFrom,
    shipTo,
    ...overrides,
  };
}

async function failure(p: Promise<unknown>): Promise<CarrierError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CarrierError);
  return err as CarrierError;
}

describe("Boekuwzending adapter", () => {
  it("creates a shipment with the mapped body and returns labels with tracking links", async () => {
    const bz = adapter();
    const created = await bz.createShipment(CREDS, request());
    expect(created.carrierShipmentId).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.sequence).toMatch(/^BUZ/);
    expect(created.status).toBe("created");
    expect(created.labels).toHaveLength(2);
    for (const l of created.labels) expect(l.trackingUrl).toBe(`https://mijn.boekuwzending.com/track-en-trace/${l.waybill}/3011AD`);
    expect((created.raw as { id: string }).id).toBe(created.carrierShipmentId);

    const [stored] = carrier.fake.shipments(CREDS.clientId);
    expect(stored!.request).toEqual({
      shipFrom: {
        contact: { name: "Winkel BV", company: "Winkel BV" },
        address: { street: "Damrak", number: "1", postcode: "1012 LG", city: "Amsterdam", country: "NL", privateAddress: false },
      },
      shipTo: {
        contact: { name: "Jan Jansen", emailAddress: "jan@example.com" },
        address: { street: "Coolsingel", number: "40", numberAddition: "b", postcode: "3011 AD", city: "Rotterdam", country: "NL", privateAddress: true },
      },
      items: [{ quantity: 2, type: "package", weight: 1.5 }],
      service: "postnl-standard",
      transportType: "road_transport",
      invoiceReference: "#1001",
      dispatch: { reference: "label-req-1" },
    });
  });

  it("caches the token: two calls, one token request", async () => {
    const bz = adapter();
    await bz.listServices(CREDS);
    await bz.createShipment(CREDS, request());
    expect(carrier.fake.tokenRequests()).toBe(1);
    // Another environment or client id gets its own token.
    await bz.listServices({ ...CREDS, environment: "production" });
    expect(carrier.fake.tokenRequests()).toBe(2);
  });

  it("refreshes the token before it expires", async () => {
    let now = 0;
    const bz = adapter({ now: () => now });
    await bz.listServices(CREDS);
    now += 3_599_000; // within the safety margin of expires_in 3600
    await bz.listServices(CREDS);
    expect(carrier.fake.tokenRequests()).toBe(2);
  });

  it("on 401 drops the cached token and retries once with a fresh one", async () => {
    const bz = adapter();
    await bz.listServices(CREDS);
    carrier.fake.expireTokens();
    const services = await bz.listServices(CREDS);
    expect(services.length).toBeGreaterThan(0);
    expect(carrier.fake.tokenRequests()).toBe(2);
    const log = carrier.fake.requestLog().filter((r) => r.path === "/rate-request");
    expect(log.map((r) => r.status)).toEqual([200, 401, 200]);
  });

  it("a 401 that survives the refresh is invalid_credentials", async () => {
    const bz = adapter();
    carrier.fake.failWhen((req) => req.path === "/rate-request", { status: 401, body: { code: 401, message: "Invalid JWT Token" } });
    const err = await failure(bz.listServices(CREDS));
    expect(err.kind).toBe("invalid_credentials");
    expect(err.message).toBe("Invalid JWT Token");
    expect(carrier.fake.tokenRequests()).toBe(2);
  });

  it("verify: bad credentials give the carrier's reason, good ones the services", async () => {
    const bz = adapter();
    expect(await bz.verify({ ...CREDS, clientSecret: "wrong" })).toEqual({ ok: false, reason: "Client authentication failed", kind: "invalid_credentials" });
    const ok = await bz.verify(CREDS);
    expect(ok.ok).toBe(true);
    if (ok.ok) expect(ok.services.map((s) => s.code)).toContain("dpd-classic");
    // verify always checks the secret, even with a cached token for this client id.
    expect(await bz.verify({ ...CREDS, clientSecret: "wrong-again" })).toMatchObject({ ok: false });
  });

  it("bad credentials on an API call → invalid_credentials with the carrier's words", async () => {
    const err = await failure(adapter().createShipment({ ...CREDS, clientSecret: "nope" }, request()));
    expect(err.kind).toBe("invalid_credentials");
    expect(err.status).toBe(401);
    expect(err.message).toBe("Client authentication failed");
  });

  it("422 → rejected with a readable reason", async () => {
    const err = await failure(adapter().createShipment(CREDS, request({ service: "ups-rocket", shipTo: { ...shipTo, postcode: "" } })));
    expect(err.kind).toBe("rejected");
    expect(err.status).toBe(422);
    expect(err.message).toBe('shipTo.address.postcode: This value should not be blank.; service: Unknown service "ups-rocket" for this account.');
    expect(carrier.fake.shipments()).toHaveLength(0);
  });

  it("503, 429 (with Retry-After) and timeouts are transient", async () => {
    const bz = adapter({ timeoutMs: 300 });
    carrier.fake.failNext(1, { status: 503 });
    const e503 = await failure(bz.createShipment(CREDS, request()));
    expect(e503).toMatchObject({ kind: "transient", status: 503 });

    carrier.fake.failNext(1, { status: 429, retryAfterSeconds: 2 });
    const e429 = await failure(bz.createShipment(CREDS, request()));
    expect(e429).toMatchObject({ kind: "transient", status: 429, retryAfterMs: 2000 });

    carrier.fake.timeoutNext(1);
    const started = Date.now();
    const eTimeout = await failure(bz.createShipment(CREDS, request()));
    expect(eTimeout.kind).toBe("transient");
    expect(eTimeout.message).toMatch(/did not answer/);
    expect(Date.now() - started).toBeLessThan(5000);

    carrier.fake.failNext(1, { status: 502, body: "<html>Bad gateway</html>" });
    expect(await failure(bz.listServices(CREDS))).toMatchObject({ kind: "transient", status: 502 });

    // And the next call works again.
    await expect(bz.createShipment(CREDS, request())).resolves.toMatchObject({ labels: expect.any(Array) });
  });

  it("network errors are transient", async () => {
    const bz = createBoekuwzendingCarrier({ baseUrls: { staging: "http://127.0.0.1:1", production: "http://127.0.0.1:1" } });
    expect(await failure(bz.listServices(CREDS))).toMatchObject({ kind: "transient" });
  });

  it("findShipmentByIdempotencyKey finds an earlier shipment by its key, null for unknown keys", async () => {
    const bz = adapter();
    const created = await bz.createShipment(CREDS, request({ idempotencyKey: "k-1", reference: "#1001" }));
    await bz.createShipment(CREDS, request({ idempotencyKey: "k-2", reference: "#1001" }));
    await bz.createShipment(CREDS, request({ idempotencyKey: "k-3", reference: "#1002" }));
    const found = await bz.findShipmentByIdempotencyKey(CREDS, { idempotencyKey: "k-1", reference: "#1001" });
    expect(found?.carrierShipmentId).toBe(created.carrierShipmentId);
    expect(found?.labels.map((l) => l.waybill)).toEqual(created.labels.map((l) => l.waybill));
    expect(await bz.findShipmentByIdempotencyKey(CREDS, { idempotencyKey: "k-404", reference: "#1001" })).toBeNull();
    // Other accounts never see it.
    expect(await bz.findShipmentByIdempotencyKey(OTHER, { idempotencyKey: "k-1", reference: "#1001" })).toBeNull();
  });

  it("findShipmentByIdempotencyKey falls back to paging when the filter finds nothing", async () => {
    const bz = adapter();
    const created = await bz.createShipment(CREDS, request({ idempotencyKey: "k-x", reference: "#2001" }));
    for (let i = 0; i < 3; i++) await bz.createShipment(CREDS, request({ idempotencyKey: `n-${i}`, reference: `#3${i}` }));
    // The merchant's order number changed in between (or the API ignores the filter): paging still finds it.
    const found = await bz.findShipmentByIdempotencyKey(CREDS, { idempotencyKey: "k-x", reference: "#9999" });
    expect(found?.carrierShipmentId).toBe(created.carrierShipmentId);
    const pages = carrier.fake.requestLog().filter((r) => r.path === "/shipments" && r.method === "GET");
    expect(pages).toHaveLength(2);
  });

  it("listServices maps codes, descriptions and distributors", async () => {
    const services = await adapter().listServices(CREDS);
    expect(services).toEqual([
      { code: "postnl-standard", description: "PostNL Pakket", distributor: "PostNL" },
      { code: "postnl-mailbox", description: "PostNL Brievenbuspakje", distributor: "PostNL" },
      { code: "dpd-classic", description: "DPD Classic", distributor: "DPD" },
      { code: "dhl-parcel", description: "DHL Parcel", distributor: "DHL" },
    ]);
    const bz = adapter();
    // Neutral: the distributor's own name; the shop platform maps it (Shopify: "DHL" → "DHL Parcel").
    expect(bz.distributorOf(services[0]!)).toBe("PostNL");
    expect(bz.distributorOf(services[3]!)).toBe("DHL");
    expect(bz.distributorOf({ code: "x-42", description: "Koerier", distributor: null })).toBeNull();
    expect(bz.distributorOf({ code: "x-43", description: "Pakket", distributor: "DHL Parcel" })).toBe("DHL");
    expect(bz.distributorOf(null)).toBeNull();
  });

  it("downloads label PDFs for one and for many shipments", async () => {
    const bz = adapter();
    const a = await bz.createShipment(CREDS, request({ colli: 2 }));
    const b = await bz.createShipment(CREDS, request({ colli: 1, idempotencyKey: "k-b" }));
    const one = await bz.downloadLabels(CREDS, a.carrierShipmentId);
    expect(new TextDecoder().decode(one.subarray(0, 5))).toBe("%PDF-");
    expect((await PDFDocument.load(one)).getPageCount()).toBe(2);
    const both = await bz.downloadLabelsOfShipments(CREDS, [b.carrierShipmentId, a.carrierShipmentId]);
    expect(waybillsInPdf(both)).toEqual([...b.labels, ...a.labels].map((l) => l.waybill));
    const err = await failure(bz.downloadLabels(OTHER, a.carrierShipmentId));
    expect(err).toMatchObject({ kind: "rejected", status: 404 });
  });

  it("downloads labels of many shipments in batches of 50 and keeps their order", async () => {
    const bz = adapter();
    const created = [];
    for (let i = 0; i < 55; i++) created.push(await bz.createShipment(CREDS, request({ colli: 1, idempotencyKey: `k-${i}` })));
    const pdf = await bz.downloadLabelsOfShipments(CREDS, created.map((c) => c.carrierShipmentId));
    expect(waybillsInPdf(pdf)).toEqual(created.map((c) => c.labels[0]!.waybill));
    expect(carrier.fake.requestLog().filter((r) => r.path === "/labels/download-shipments")).toHaveLength(2);
  });

  it("missingAddressFields names what the carrier needs", () => {
    const bz = adapter();
    expect(bz.missingAddressFields(shipTo)).toEqual([]);
    expect(bz.missingAddressFields({ ...shipTo, houseNumber: " ", postcode: "30111" })).toEqual(["houseNumber", "postcode"]);
    expect(bz.missingAddressFields({ country: "BE", postcode: "1000" })).toEqual(["name", "street", "houseNumber", "city"]);
    expect(bz.missingAddressFields({})).toEqual(["name", "street", "houseNumber", "postcode", "city", "country"]);
  });

  it("missingAddressFields takes the street line whole (addressLine1) outside NL, and no postcode where there is none", () => {
    const bz = adapter();
    const palace = { name: "HM The King", street: "", houseNumber: "", addressLine1: "Buckingham Palace", postcode: "SW1A 1AA", city: "London", country: "GB" };
    expect(bz.missingAddressFields(palace)).toEqual([]);
    expect(bz.missingAddressFields({ ...palace, addressLine1: " " })).toEqual(["street", "houseNumber"]);
    // NL: every address has a house number and PostNL checks it, so the line alone is not enough.
    expect(bz.missingAddressFields({ ...shipTo, street: "", houseNumber: "", addressLine1: "Hoofdstraat" })).toEqual(["houseNumber"]);
    expect(bz.missingAddressFields({ ...shipTo, houseNumber: "", addressLine1: "Coolsingel" })).toEqual(["houseNumber"]);
    // Postcodes: optional for IE (Eircode) and HK; still required (and checked for NL's format) elsewhere.
    expect(bz.missingAddressFields({ ...palace, country: "IE", postcode: "" })).toEqual([]);
    expect(bz.missingAddressFields({ ...palace, country: "hk", postcode: null as unknown as string })).toEqual([]);
    expect(bz.missingAddressFields({ ...palace, postcode: "" })).toEqual(["postcode"]);
    expect(destinationNeeds("nl")).toMatchObject({ streetLine: "street_and_number", postcode: "required" });
    expect(destinationNeeds("FR")).toBe(DEFAULT_DESTINATION_NEEDS);
    expect(DESTINATION_NEEDS.IE).toEqual({ streetLine: "street_and_number_or_line", postcode: "optional" });
  });

  it("sends addressLine1 (no street, no number) when the line goes whole; leaves out a postcode the country has none of", async () => {
    const bz = adapter();
    const irish: CarrierAddress = {
      name: "Siobhán Murphy",
      street: "",
      houseNumber: "",
      addressLine1: "Ballymore",
      addressLine2: "Co. Westmeath",
      postcode: "",
      city: "Mullingar",
      country: "IE",
    };
    await bz.createShipment(CREDS, request({ shipTo: irish, service: "dpd-classic" }));
    const [stored] = carrier.fake.shipments(CREDS.clientId);
    expect(stored!.request.shipTo.address).toEqual({
      addressLine1: "Ballymore",
      addressLine2: "Co. Westmeath",
      city: "Mullingar",
      country: "IE",
      privateAddress: true,
    });
    // Street and number win when both are there: never both forms (the label would print the street twice).
    await bz.createShipment(CREDS, request({ idempotencyKey: "k-2", shipTo: { ...shipTo, addressLine1: "Coolsingel 40b" } }));
    const second = carrier.fake.shipments(CREDS.clientId).find((s) => s.request.dispatch?.reference === "k-2")!;
    expect(second.request.shipTo.address).toMatchObject({ street: "Coolsingel", number: "40", numberAddition: "b" });
    expect(second.request.shipTo.address).not.toHaveProperty("addressLine1");
  });

  it("trackingUrl follows the contract's link form", () => {
    expect(adapter().trackingUrl("3SBUZ123", "1234 ab")).toBe("https://mijn.boekuwzending.com/track-en-trace/3SBUZ123/1234AB");
  });

  it("readableCarrierError prefers violations, then detail / description", () => {
    expect(readableCarrierError({ violations: [{ propertyPath: "a", message: "b" }], detail: "x" }, "f")).toBe("a: b");
    expect(readableCarrierError({ error: "invalid_client", error_description: "nope" }, "f")).toBe("nope");
    expect(readableCarrierError("<html>oops</html>", "f")).toBe("f");
  });

  it("registry returns the adapter, pointed at configured base URLs", async () => {
    configureCarrierBaseUrls({ staging: carrier.baseUrl, production: carrier.baseUrl });
    try {
      const bz = carrierFor("boekuwzending");
      expect(bz.displayName).toBe("Boekuwzending");
      expect(bz.packageTypes()).toContain("pallet-euro");
      expect((await bz.listServices(CREDS)).length).toBe(4);
    } finally {
      configureCarrierBaseUrls(null);
    }
  });
});
