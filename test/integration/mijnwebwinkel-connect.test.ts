// Mijnwebwinkel's connect and sign-in pages (/mijnwebwinkel/connect, /mijnwebwinkel/login) at route level, against the
// fake MyOnlineStore Connect API and real PostgreSQL: a wrong token shows the API's reason and connects nothing; the
// right one connects the shop (token encrypted), saves the from address, schedules the 5-minute poll, sets Koppel's
// cookie and opens the completion page; sign-in checks the stored token; a new token signs the old cookies out; a
// valid token of another store cannot take over a connected shop; two shops stay apart.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { activity, shops } from "~/db/schema";
import type { Runtime } from "~/runtime.server";
import { shopAccess } from "~/core/shop-access";
import { isEncryptedSecret } from "~/crypto.server";
import { configureMijnwebwinkelApi } from "~/platforms/registry.server";
import { MWW_DEFAULT_SYNC_INTERVAL_MINUTES } from "~/platforms/mijnwebwinkel/connect.server";
import { loader as connectLoader, action as connectAction } from "~/routes/mijnwebwinkel.connect";
import { loader as loginLoader, action as loginAction } from "~/routes/mijnwebwinkel.login";
import { loader as ordersLoader } from "~/routes/app._index";
import { loader as setupDoneLoader } from "~/routes/app.setup_.done";
import { QUEUES, type JobData } from "~/jobs/queue.server";
import { startFakeMijnwebwinkel, type RunningFakeMijnwebwinkel } from "../fakes/mijnwebwinkel";
import { countRows, runtime } from "./helpers";

let rt: Runtime;
let mww: RunningFakeMijnwebwinkel;
const KOFFIE = { shopUrl: "koffie.myonline.store", token: "mww-store-token-koffie-7f3a9c2e" };
const THEE = { shopUrl: "thee.myonline.store", token: "mww-store-token-thee-1b8d4e6f" };
const OTHER = { token: "mww-store-token-other-store-5c2a" };
const SECOND = "mww-store-token-koffie-second-9e1d";

const ADDRESS = {
  intent: "from-address",
  company: "Koffie & Co",
  contactName: "Sanne de Vries",
  street: "Oudegracht",
  houseNumber: "112",
  houseNumberAddition: "",
  postcode: "3511 AX",
  city: "Utrecht",
  country: "NL",
  phone: "+31 30 123 4567",
  email: "info@koffie.example",
};

const args = (request: Request) => ({ request, params: {}, context: {} });
const cookieOf = (setCookie: string | null) => (setCookie ?? "").split(";")[0]!;
const shopRow = async (domain: string) => (await rt.db.select().from(shops).where(and(eq(shops.platform, "mijnwebwinkel"), eq(shops.domain, domain))))[0];

function post(path: string, fields: Record<string, string>, cookie?: string): Request {
  return new Request(`http://localhost${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", "Accept-Language": "nl-NL", ...(cookie ? { Cookie: cookie } : {}) },
    body: new URLSearchParams(fields).toString(),
  });
}

/** What the connect and login actions return when they do not redirect. */
type ActionData = { errors: Record<string, string>; values: Record<string, string>; failure?: { key: string; detail: string | null }; refused?: true; shopUrl?: string };

/** The action's answer: what it returned, or the redirect it threw. */
async function run(action: (a: ReturnType<typeof args>) => Promise<unknown>, request: Request): Promise<{ redirect: Response | null; data: ActionData }> {
  try {
    return { redirect: null, data: (await action(args(request))) as ActionData };
  } catch (e) {
    if (e instanceof Response && e.status >= 300 && e.status < 400) return { redirect: e, data: null as unknown as ActionData };
    throw e;
  }
}

const connect = (fields: Record<string, string>, cookie?: string) => run(connectAction as never, post("/mijnwebwinkel/connect", { ...ADDRESS, ...fields }, cookie));
const login = (fields: Record<string, string>) => run(loginAction as never, post("/mijnwebwinkel/login", fields));

/** The orders page with this cookie: its data, or the status it was refused with. */
async function ordersWith(cookie: string): Promise<{ status: number; data: { customerMail: unknown } | null }> {
  try {
    return { status: 200, data: await ordersLoader(args(new Request("http://localhost/app", { headers: { Cookie: cookie } })) as never) };
  } catch (e) {
    if (e instanceof Response) return { status: e.status, data: null };
    throw e;
  }
}

async function drainSyncJobs(): Promise<number[]> {
  const jobs = await rt.boss.fetch<JobData["sync-shop"]>(QUEUES.syncShop, { batchSize: 50 });
  for (const j of jobs) await rt.boss.complete(QUEUES.syncShop, j.id);
  return jobs.map((j) => j.data.shopId);
}

beforeAll(async () => {
  rt = await runtime();
  mww = await startFakeMijnwebwinkel({ stores: [{ token: KOFFIE.token, name: "Koffie" }, { token: THEE.token, name: "Thee" }, { token: OTHER.token, name: "Ander" }], seed: "demo" });
  configureMijnwebwinkelApi({ apiUrl: mww.apiUrl, partnerToken: mww.partnerToken });
});
afterAll(async () => {
  configureMijnwebwinkelApi(null);
  await mww?.close();
  await rt?.stop();
});

describe("Mijnwebwinkel connect", () => {
  it("the page is served (KOPPEL_PLATFORMS names mijnwebwinkel) with the setup step's from-address fields", async () => {
    const page = (await connectLoader(args(new Request("http://localhost/mijnwebwinkel/connect")) as never)) as { values: Record<string, string> };
    expect(Object.keys(page.values).sort()).toEqual(["city", "company", "contactName", "country", "email", "houseNumber", "houseNumberAddition", "phone", "postcode", "shopUrl", "street"]);
    expect(await loginLoader(args(new Request("http://localhost/mijnwebwinkel/login")) as never)).toMatchObject({ locale: "nl" });
  });

  it("missing or malformed fields: one Dutch reason per field, no API call, nothing stored", async () => {
    const calls = mww.fake.requests.length;
    const r = await connect({ shopUrl: "koffie.nl", apiToken: "", postcode: "" });
    expect(r.redirect).toBeNull();
    expect(r.data.errors).toMatchObject({
      shopUrl: "Vul de Shop-URL in zoals jouwwinkel.myonline.store.",
      apiToken: "Vul het API-token in (zonder spaties, hoogstens 200 tekens).",
      postcode: "Vul een postcode in",
    });
    expect(r.data.values.shopUrl).toBe("koffie.nl");
    expect(r.data.values).not.toHaveProperty("apiToken");
    expect(mww.fake.requests.length).toBe(calls);
    expect(await countRows(rt, "shops", "platform = 'mijnwebwinkel'")).toBe(0);
  });

  it("a wrong token: the API's reason beneath Koppel's sentence, nothing connected, no cookie", async () => {
    const r = await connect({ shopUrl: `https://${KOFFIE.shopUrl}/`, apiToken: "not-the-token" });
    expect(r.redirect).toBeNull();
    expect(r.data.failure?.key).toBe("mijnwebwinkel.connect.failed");
    expect(r.data.failure?.detail).toBe("Mijnwebwinkel answered 401: Unauthorized: Invalid store token");
    expect(r.data.values.shopUrl).toBe(KOFFIE.shopUrl);
    expect(JSON.stringify(r.data)).not.toContain("not-the-token");
    expect(await shopRow(KOFFIE.shopUrl)).toBeUndefined();
    expect(await countRows(rt, "shops", "platform = 'mijnwebwinkel'")).toBe(0);
    // The token was checked with a real call (token + partner_token).
    const last = mww.fake.requests.at(-1)!;
    expect(last.endpoint).toBe("GET /v1/orders/count");
    expect(last.status).toBe(401);
  });

  it("the right token: connected with the token encrypted, the from address saved, the 5-minute poll scheduled, cookie set → /app/setup/done", async () => {
    const r = await connect({ shopUrl: "Koffie.myonline.store", apiToken: KOFFIE.token });
    expect(r.redirect?.headers.get("Location")).toBe("/app/setup/done");
    const cookie = cookieOf(r.redirect!.headers.get("Set-Cookie"));
    expect(cookie).toMatch(/^__koppel_session=/);

    const row = (await shopRow(KOFFIE.shopUrl))!;
    expect(row).toMatchObject({ platform: "mijnwebwinkel", domain: KOFFIE.shopUrl, uninstalledAt: null });
    expect(isEncryptedSecret(row.credentialsEncrypted!)).toBe(true);
    expect(JSON.stringify(row)).not.toContain(KOFFIE.token);
    expect(shopAccess(row, rt.encryptionKey).credentials).toEqual({ shopUrl: KOFFIE.shopUrl, apiToken: KOFFIE.token });
    expect(row.fromAddress).toMatchObject({ company: "Koffie & Co", postcode: "3511 AX", city: "Utrecht", email: "info@koffie.example" });
    expect(row.settings.syncIntervalMinutes).toBe(MWW_DEFAULT_SYNC_INTERVAL_MINUTES);

    const schedules = await rt.boss.getSchedules();
    expect(schedules.find((s) => s.name === QUEUES.syncShop && s.key === String(row.id))).toMatchObject({ cron: "*/5 * * * *" });
    expect(await drainSyncJobs()).toContain(row.id);
    const log = await rt.db.select().from(activity).where(eq(activity.shopId, row.id));
    expect(log.map((a) => a.summary)).toEqual(expect.arrayContaining(["install"]));
    expect(JSON.stringify(log)).not.toContain(KOFFIE.token);

    // The cookie opens Koppel: the completion page and the orders (whose label dialog says no e-mail goes out).
    expect(await setupDoneLoader(args(new Request("http://localhost/app/setup/done", { headers: { Cookie: cookie } })) as never)).toMatchObject({ returnUrl: null });
    const orders = await ordersWith(cookie);
    expect(orders.status).toBe(200);
    expect(orders.data?.customerMail).toEqual({ by: "none", platformName: "Mijnwebwinkel" });
  });

  it("no page without proof: no cookie → 401", async () => {
    expect((await ordersWith("")).status).toBe(401);
  });
});

describe("Mijnwebwinkel login", () => {
  it("the right Shop-URL and token: cookie → /app", async () => {
    const r = await login({ shopUrl: "https://koffie.myonline.store", apiToken: KOFFIE.token });
    expect(r.redirect?.headers.get("Location")).toBe("/app");
    const cookie = cookieOf(r.redirect!.headers.get("Set-Cookie"));
    expect((await ordersWith(cookie)).status).toBe(200);
  });

  it("a wrong token, an unknown shop, or a missing field: refused with a reason, no cookie", async () => {
    for (const fields of [
      { shopUrl: KOFFIE.shopUrl, apiToken: `${KOFFIE.token}x` },
      { shopUrl: KOFFIE.shopUrl, apiToken: THEE.token },
      { shopUrl: "onbekend.myonline.store", apiToken: KOFFIE.token },
    ]) {
      const r = await login(fields);
      expect(r.redirect).toBeNull();
      expect(r.data).toMatchObject({ refused: true, errors: {} });
    }
    const empty = await login({ shopUrl: "", apiToken: "" });
    expect(empty.redirect).toBeNull();
    expect(Object.keys(empty.data.errors).sort()).toEqual(["apiToken", "shopUrl"]);
  });
});

describe("Mijnwebwinkel reconnect and isolation", () => {
  it("a valid token of another store cannot take over a connected shop whose token still works", async () => {
    const before = (await shopRow(KOFFIE.shopUrl))!;
    const r = await connect({ shopUrl: KOFFIE.shopUrl, apiToken: OTHER.token });
    expect(r.redirect).toBeNull();
    expect(r.data.failure).toEqual({ key: "mijnwebwinkel.connect.inUse", detail: null });
    const after = (await shopRow(KOFFIE.shopUrl))!;
    expect(after.credentialsEncrypted).toBe(before.credentialsEncrypted);
    expect(after.sessionVersion).toBe(before.sessionVersion);
  });

  it("the same token again: signed in, the old cookie still works (nothing changed)", async () => {
    const first = cookieOf((await login({ shopUrl: KOFFIE.shopUrl, apiToken: KOFFIE.token })).redirect!.headers.get("Set-Cookie"));
    const again = await connect({ shopUrl: KOFFIE.shopUrl, apiToken: KOFFIE.token });
    expect(again.redirect?.headers.get("Location")).toBe("/app/setup/done");
    expect((await ordersWith(first)).status).toBe(200);
  });

  it("a new token while the old one still works: refused without a session; from the signed-in merchant, credentials replaced, session version bumped, old cookies dead", async () => {
    const old = cookieOf((await login({ shopUrl: KOFFIE.shopUrl, apiToken: KOFFIE.token })).redirect!.headers.get("Set-Cookie"));
    const before = (await shopRow(KOFFIE.shopUrl))!;
    // A second token of the store (in the fake: a store behind it); the first one keeps working.
    mww.fake.addStore({ token: SECOND, name: "Koffie" });
    expect((await connect({ shopUrl: KOFFIE.shopUrl, apiToken: SECOND })).data.failure?.key).toBe("mijnwebwinkel.connect.inUse");

    const r = await connect({ shopUrl: KOFFIE.shopUrl, apiToken: SECOND }, old);
    expect(r.redirect?.headers.get("Location")).toBe("/app/setup/done");
    const fresh = cookieOf(r.redirect!.headers.get("Set-Cookie"));
    const after = (await shopRow(KOFFIE.shopUrl))!;
    expect(after.id).toBe(before.id);
    expect(after.sessionVersion).toBe(before.sessionVersion + 1);
    expect(shopAccess(after, rt.encryptionKey).credentials).toEqual({ shopUrl: KOFFIE.shopUrl, apiToken: SECOND });
    expect(JSON.stringify(after)).not.toContain(SECOND);
    expect((await ordersWith(old)).status).toBe(401);
    expect((await ordersWith(fresh)).status).toBe(200);
    expect((await login({ shopUrl: KOFFIE.shopUrl, apiToken: KOFFIE.token })).data).toMatchObject({ refused: true });
    expect((await login({ shopUrl: KOFFIE.shopUrl, apiToken: SECOND })).redirect?.headers.get("Location")).toBe("/app");
  });

  it("once the stored token is refused by Mijnwebwinkel (revoked), a new token connects without a session", async () => {
    const before = (await shopRow(KOFFIE.shopUrl))!;
    // The merchant revoked the second token at Mijnwebwinkel.
    (mww.fake.store(SECOND) as unknown as { token: string }).token = "revoked-token-0000";
    const r = await connect({ shopUrl: KOFFIE.shopUrl, apiToken: KOFFIE.token });
    expect(r.redirect?.headers.get("Location")).toBe("/app/setup/done");
    const after = (await shopRow(KOFFIE.shopUrl))!;
    expect(after.sessionVersion).toBe(before.sessionVersion + 1);
    expect(shopAccess(after, rt.encryptionKey).credentials).toEqual({ shopUrl: KOFFIE.shopUrl, apiToken: KOFFIE.token });
  });

  it("two shops: each cookie opens its own shop, each token signs in only to its own", async () => {
    const thee = await connect({ shopUrl: THEE.shopUrl, apiToken: THEE.token, company: "Thee & Zo", email: "info@thee.example" });
    expect(thee.redirect?.headers.get("Location")).toBe("/app/setup/done");
    const theeRow = (await shopRow(THEE.shopUrl))!;
    const koffieRow = (await shopRow(KOFFIE.shopUrl))!;
    expect(theeRow.id).not.toBe(koffieRow.id);
    expect(theeRow.fromAddress).toMatchObject({ company: "Thee & Zo" });
    expect(koffieRow.fromAddress).toMatchObject({ company: "Koffie & Co" });
    expect(shopAccess(theeRow, rt.encryptionKey).credentials).toEqual({ shopUrl: THEE.shopUrl, apiToken: THEE.token });

    const theeCookie = cookieOf(thee.redirect!.headers.get("Set-Cookie"));
    const koffieCookie = cookieOf((await login({ shopUrl: KOFFIE.shopUrl, apiToken: KOFFIE.token })).redirect!.headers.get("Set-Cookie"));
    expect(theeCookie).not.toBe(koffieCookie);
    // Thee's token is not Koffie's: no sign-in to Koffie with it, and no takeover through connect either.
    expect((await login({ shopUrl: KOFFIE.shopUrl, apiToken: THEE.token })).data).toMatchObject({ refused: true });
    expect((await connect({ shopUrl: KOFFIE.shopUrl, apiToken: THEE.token })).data.failure?.key).toBe("mijnwebwinkel.connect.inUse");
    expect(await countRows(rt, "shops", "platform = 'mijnwebwinkel'")).toBe(2);
  });
});
