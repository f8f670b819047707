import { PDFDocument } from "pdf-lib";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { A6_HEIGHT_PT, A6_WIDTH_PT, startFakeCarrier, waybillsInPdf, type RunningFakeCarrier } from "../fakes/carrier";

const A = { clientId: "acc-a", clientSecret: "secret-a" };
const B = { clientId: "acc-b", clientSecret: "secret-b" };

let carrier: RunningFakeCarrier;
beforeAll(async () => {
  carrier = await startFakeCarrier({ accounts: [A, B] });
});
afterAll(() => carrier.close());
beforeEach(() => carrier.fake.reset());

async function tokenFor(acc: { clientId: string; clientSecret: string }, grant = "client_credentials") {
  return fetch(`${carrier.baseUrl}/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: grant, client_id: acc.clientId, client_secret: acc.clientSecret }).toString(),
  });
}
async function bearer(acc: { clientId: string; clientSecret: string }) {
  const body = (await (await tokenFor(acc)).json()) as { access_token: string };
  return body.access_token;
}
async function api(token: string, method: string, path: string, body?: unknown) {
  return fetch(`${carrier.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
}

function shipment(overrides: Record<string, unknown> = {}) {
  return {
    shipFrom: {
      contact: { name: "Winkel BV", company: "Winkel BV" },
      address: { street: "Damrak", number: "1", postcode: "1012 LG", city: "Amsterdam", country: "NL", privateAddress: false },
    },
    shipTo: {
      contact: { name: "Jan Jansen", emailAddress: "jan@example.com" },
      address: { street: "Coolsingel", number: "40", numberAddition: "B", postcode: "3011 AD", city: "Rotterdam", country: "NL", privateAddress: true },
    },
    items: [{ quantity: 3, type: "package", weight: 1.2 }],
    service: "postnl-standard",
    transportType: "road_transport",
    invoiceReference: "#1001",
    dispatch: { reference: "koppel-key-1" },
    ...overrides,
  };
}

type Created = {
  id: string;
  sequence: string;
  status: string;
  dispatch: { reference: string };
  labels: { id: string; waybill: string; trackAndTraceLink: string; status: string }[];
};

describe("fake Boekuwzending", () => {
  it("rejects wrong credentials with 401 invalid_client and a wrong grant with 400", async () => {
    const res = await tokenFor({ clientId: A.clientId, clientSecret: "nope" });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: "invalid_client", error_description: expect.any(String) });
    const grant = await tokenFor(A, "password");
    expect(grant.status).toBe(400);
    expect(await grant.json()).toMatchObject({ error: "unsupported_grant_type" });
    const ok = await tokenFor(A);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ token_type: "Bearer", expires_in: 3600, access_token: expect.any(String) });
    expect(carrier.fake.tokenRequests()).toBe(3);
  });

  it("requires a valid bearer token", async () => {
    const res = await api("bogus", "GET", "/shipments");
    expect(res.status).toBe(401);
    expect((await fetch(`${carrier.baseUrl}/shipments`)).status).toBe(401);
  });

  it("lists the account's services with prices via /rate-request", async () => {
    const res = await api(await bearer(A), "POST", "/rate-request", shipment());
    expect(res.status).toBe(200);
    const rates = (await res.json()) as { service: { code: string; description: string }; price: number; tax: number }[];
    expect(rates.map((r) => r.service.code)).toEqual(["postnl-standard", "postnl-mailbox", "dpd-classic", "dhl-parcel"]);
    expect(rates[0]).toMatchObject({ service: { description: "PostNL Pakket" }, price: expect.any(Number), tax: expect.any(Number) });
  });

  it("422 names the missing postcode, an unknown service, a bad Dutch postcode and too many colli", async () => {
    const token = await bearer(A);
    const noPostcode = shipment();
    delete (noPostcode.shipTo.address as Partial<typeof noPostcode.shipTo.address>).postcode;
    const res = await api(token, "POST", "/shipments", noPostcode);
    expect(res.status).toBe(422);
    const body = (await res.json()) as { detail: string; violations: { propertyPath: string }[] };
    expect(body.detail).toContain("shipTo.address.postcode");
    expect(body.violations.map((v) => v.propertyPath)).toEqual(["shipTo.address.postcode"]);

    const unknown = await api(token, "POST", "/shipments", shipment({ service: "ups-rocket" }));
    expect(unknown.status).toBe(422);
    expect(((await unknown.json()) as { detail: string }).detail).toMatch(/^service: Unknown service "ups-rocket"/);

    const badPc = shipment();
    badPc.shipTo.address.postcode = "30111";
    const bad = await api(token, "POST", "/shipments", badPc);
    expect(((await bad.json()) as { detail: string }).detail).toContain("shipTo.address.postcode: This value is not a valid postcode");

    const many = await api(token, "POST", "/shipments", shipment({ items: [{ quantity: 11, type: "package" }], invoiceReference: "" }));
    const manyBody = (await many.json()) as { violations: { propertyPath: string }[] };
    expect(manyBody.violations.map((v) => v.propertyPath)).toEqual(["items[0].quantity", "invoiceReference"]);

    const type = await api(token, "POST", "/shipments", shipment({ items: [{ quantity: 1, type: "crate" }] }));
    expect(((await type.json()) as { detail: string }).detail).toContain("items[0].type");

    expect((await api(token, "POST", "/shipments", "{not json")).status).toBe(400);
    expect(carrier.fake.shipments()).toHaveLength(0);
    expect(carrier.fake.createCalls()).toBe(6);
  });

  it("takes the street line whole as addressLine1; a street without number is refused; IE may go without postcode", async () => {
    const token = await bearer(A);
    const whole = shipment({
      shipTo: {
        contact: { name: "Siobhán Murphy" },
        address: { addressLine1: "Ballymore", addressLine2: "Co. Westmeath", city: "Mullingar", country: "IE", privateAddress: true },
      },
    });
    const ok = await api(token, "POST", "/shipments", whole);
    expect(ok.status).toBe(201);
    expect(((await ok.json()) as { shipTo: unknown }).shipTo).toEqual(whole.shipTo);

    const noNumber = shipment();
    delete (noNumber.shipTo.address as Partial<typeof noNumber.shipTo.address>).number;
    const refused = await api(token, "POST", "/shipments", noNumber);
    expect(refused.status).toBe(422);
    expect(((await refused.json()) as { violations: { propertyPath: string }[] }).violations.map((v) => v.propertyPath)).toEqual(["shipTo.address.number"]);

    const nothing = shipment({ shipTo: { contact: { name: "X" }, address: { postcode: "3011 AD", city: "Rotterdam", country: "NL" } } });
    const none = await api(token, "POST", "/shipments", nothing);
    expect(((await none.json()) as { violations: { propertyPath: string }[] }).violations.map((v) => v.propertyPath)).toEqual([
      "shipTo.address.street",
      "shipTo.address.number",
    ]);
    const gbNoPostcode = shipment({ shipTo: { contact: { name: "X" }, address: { addressLine1: "Buckingham Palace", city: "London", country: "GB" } } });
    const gb = await api(token, "POST", "/shipments", gbNoPostcode);
    expect(((await gb.json()) as { violations: { propertyPath: string }[] }).violations.map((v) => v.propertyPath)).toEqual(["shipTo.address.postcode"]);
    expect(carrier.fake.shipments(A.clientId)).toHaveLength(1);
  });

  it("creates a shipment with one label per collo, isolated per account", async () => {
    const token = await bearer(A);
    const res = await api(token, "POST", "/shipments", shipment({ items: [{ quantity: 2, type: "package" }, { quantity: 1, type: "envelop" }] }));
    expect(res.status).toBe(201);
    const created = (await res.json()) as Created;
    expect(created.sequence).toMatch(/^BUZ\d+$/);
    expect(created.status).toBe("created");
    expect(created.dispatch.reference).toBe("koppel-key-1");
    expect(created.labels).toHaveLength(3);
    const waybills = created.labels.map((l) => l.waybill);
    expect(new Set(waybills).size).toBe(3);
    for (const l of created.labels) {
      expect(l.waybill).toMatch(/^3SBUZ\d{9}$/);
      expect(l.trackAndTraceLink).toBe(`https://mijn.boekuwzending.com/track-en-trace/${l.waybill}/3011AD`);
    }
    expect(carrier.fake.shipments(A.clientId)).toHaveLength(1);
    expect(carrier.fake.shipments(A.clientId)[0]!.request.invoiceReference).toBe("#1001");

    const own = await api(token, "GET", `/shipments/${created.id}`);
    expect(own.status).toBe(200);
    const labels = (await (await api(token, "GET", `/shipments/${created.id}/labels`)).json()) as unknown[];
    expect(labels).toHaveLength(3);

    const other = await bearer(B);
    expect((await api(other, "GET", `/shipments/${created.id}`)).status).toBe(404);
    expect((await api(other, "GET", `/shipments/${created.id}/labels/download`)).status).toBe(404);
    expect(await (await api(other, "GET", "/shipments")).json()).toEqual([]);
  });

  it("lists newest first with paging and the invoiceReference filter", async () => {
    const token = await bearer(A);
    for (let i = 1; i <= 5; i++) await api(token, "POST", "/shipments", shipment({ invoiceReference: `#${i}`, dispatch: { reference: `k${i}` } }));
    const page1 = (await (await api(token, "GET", "/shipments?_page=1&_items_per_page=2")).json()) as { invoiceReference: string }[];
    const page3 = (await (await api(token, "GET", "/shipments?_page=3&_items_per_page=2")).json()) as { invoiceReference: string }[];
    expect(page1.map((s) => s.invoiceReference)).toEqual(["#5", "#4"]);
    expect(page3.map((s) => s.invoiceReference)).toEqual(["#1"]);
    const filtered = (await (await api(token, "GET", "/shipments?invoiceReference=%233")).json()) as { dispatch: { reference: string } }[];
    expect(filtered.map((s) => s.dispatch.reference)).toEqual(["k3"]);
  });

  it("serves label PDFs: one A6 page per collo, and many shipments in one PDF", async () => {
    const token = await bearer(A);
    const one = (await (await api(token, "POST", "/shipments", shipment())).json()) as Created;
    const two = (await (await api(token, "POST", "/shipments", shipment({ items: [{ quantity: 1, type: "package" }] }))).json()) as Created;

    const res = await api(token, "GET", `/shipments/${one.id}/labels/download`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/pdf");
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(Buffer.from(bytes.subarray(0, 5)).toString("latin1")).toBe("%PDF-");
    const doc = await PDFDocument.load(bytes);
    expect(doc.getPageCount()).toBe(3);
    for (const page of doc.getPages()) {
      expect(page.getWidth()).toBeCloseTo(A6_WIDTH_PT, 1);
      expect(page.getHeight()).toBeCloseTo(A6_HEIGHT_PT, 1);
    }
    expect(A6_WIDTH_PT).toBeCloseTo(297.64, 1);
    expect(A6_HEIGHT_PT).toBeCloseTo(419.53, 1);
    expect(waybillsInPdf(bytes)).toEqual(one.labels.map((l) => l.waybill));

    const many = await api(token, "GET", `/labels/download-shipments?shipments[0]=${two.id}&shipments[1]=${one.id}`);
    const manyBytes = new Uint8Array(await many.arrayBuffer());
    expect((await PDFDocument.load(manyBytes)).getPageCount()).toBe(4);
    expect(waybillsInPdf(manyBytes)).toEqual([...two.labels, ...one.labels].map((l) => l.waybill));

    const brackets = await api(token, "GET", `/labels/download-shipments?shipments%5B%5D=${one.id}`);
    expect((await PDFDocument.load(new Uint8Array(await brackets.arrayBuffer()))).getPageCount()).toBe(3);
  });

  it("injects 429 with Retry-After once, then answers normally", async () => {
    const token = await bearer(A);
    carrier.fake.failNext(1, { status: 429, retryAfterSeconds: 2 });
    const first = await api(token, "POST", "/shipments", shipment());
    expect(first.status).toBe(429);
    expect(first.headers.get("retry-after")).toBe("2");
    const second = await api(token, "POST", "/shipments", shipment());
    expect(second.status).toBe(201);
    expect(carrier.fake.createCalls()).toBe(2);
    expect(carrier.fake.shipments()).toHaveLength(1);
  });

  it("failRate is deterministic for a seed and failWhen picks requests", async () => {
    const run = async () => {
      carrier.fake.reset();
      const token = await bearer(A);
      carrier.fake.failRate(0.5, { status: 503 });
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) statuses.push((await api(token, "POST", "/rate-request", shipment())).status);
      return statuses;
    };
    const first = await run();
    expect(first).toContain(503);
    expect(first).toContain(200);
    expect(await run()).toEqual(first);

    carrier.fake.reset();
    carrier.fake.failWhen((req) => req.path === "/shipments" && req.method === "POST", { status: 502 });
    const t = await bearer(A);
    expect((await api(t, "POST", "/shipments", shipment())).status).toBe(502);
    expect((await api(t, "POST", "/rate-request", shipment())).status).toBe(200);
  });

  it("timeoutNext hangs until the client gives up", async () => {
    const token = await bearer(A);
    carrier.fake.timeoutNext(1);
    const err = await fetch(`${carrier.baseUrl}/shipments`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(200) }).catch(
      (e: unknown) => e,
    );
    expect((err as Error).name).toBe("TimeoutError");
    expect((await api(token, "GET", "/shipments")).status).toBe(200);
  });

  it("expired tokens get 401", async () => {
    let now = 1_000_000;
    const local = await startFakeCarrier({ accounts: [A], tokenTtlSeconds: 60, now: () => now });
    try {
      const res = await fetch(`${local.baseUrl}/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: `grant_type=client_credentials&client_id=${A.clientId}&client_secret=${A.clientSecret}`,
      });
      const { access_token } = (await res.json()) as { access_token: string };
      const get = () => fetch(`${local.baseUrl}/shipments`, { headers: { authorization: `Bearer ${access_token}` } });
      expect((await get()).status).toBe(200);
      now += 61_000;
      const expired = await get();
      expect(expired.status).toBe(401);
      expect(await expired.json()).toMatchObject({ message: "Expired JWT Token" });
    } finally {
      await local.close();
    }
  });
});
