// Attempt limits on Mijnwebwinkel's connect and sign-in (issue 16): five failed token checks per client address and
// Shop-URL within 15 minutes, then "Te veel pogingen" with the minutes to wait — even for the right token — without
// asking Mijnwebwinkel; another address or another shop is not affected; connect and sign-in count together; the
// window's end (moved back in the database, not waited for) lets the merchant in again, and a success forgets the
// failures. Stored in PostgreSQL (attempt_limits), shared by every server process.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { attemptLimits } from "~/db/schema";
import type { Runtime } from "~/runtime.server";
import { configureMijnwebwinkelApi } from "~/platforms/registry.server";
import { MAX_FAILURES } from "~/attempt-limit.server";
import { tokenAttemptKey } from "~/platforms/mijnwebwinkel/pages.server";
import { action as connectAction } from "~/routes/mijnwebwinkel.connect";
import { action as loginAction } from "~/routes/mijnwebwinkel.login";
import { startFakeMijnwebwinkel, type RunningFakeMijnwebwinkel } from "../fakes/mijnwebwinkel";
import { runtime } from "./helpers";

let rt: Runtime;
let mww: RunningFakeMijnwebwinkel;
const SHOP = "poging.myonline.store";
const TOKEN = "mww-store-token-poging-4d2e8a";
const ATTACKER = "203.0.113.7";
const MERCHANT = "198.51.100.20";
const ADDRESS = {
  company: "Poging BV",
  contactName: "Sanne de Vries",
  street: "Oudegracht",
  houseNumber: "112",
  houseNumberAddition: "",
  postcode: "3511 AX",
  city: "Utrecht",
  country: "NL",
  phone: "+31 30 123 4567",
  email: "info@poging.example",
};

type Answer = { redirect: Response | null; data: { tooMany?: { minutes: number }; failure?: { key: string }; refused?: true } | null };

async function run(action: (a: never) => Promise<unknown>, path: string, fields: Record<string, string>, clientAddress: string): Promise<Answer> {
  const request = new Request(`http://localhost${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", "Accept-Language": "nl-NL" },
    body: new URLSearchParams(fields).toString(),
  });
  try {
    return { redirect: null, data: (await action({ request, params: {}, context: { clientAddress } } as never)) as Answer["data"] };
  } catch (e) {
    if (e instanceof Response && e.status >= 300 && e.status < 400) return { redirect: e, data: null };
    throw e;
  }
}
const connect = (apiToken: string, from: string, shopUrl = SHOP) => run(connectAction as never, "/mijnwebwinkel/connect", { ...ADDRESS, shopUrl, apiToken }, from);
const login = (apiToken: string, from: string, shopUrl = SHOP) => run(loginAction as never, "/mijnwebwinkel/login", { shopUrl, apiToken }, from);

beforeAll(async () => {
  rt = await runtime();
  mww = await startFakeMijnwebwinkel({ stores: [{ token: TOKEN, name: "Poging" }, { token: "mww-store-token-ander-9f1c", name: "Ander" }] });
  configureMijnwebwinkelApi({ apiUrl: mww.apiUrl, partnerToken: mww.partnerToken });
});
afterAll(async () => {
  configureMijnwebwinkelApi(null);
  await mww?.close();
  await rt?.stop();
});

describe("attempt limits on Mijnwebwinkel's connect and sign-in", () => {
  it("five wrong tokens from one address (connect and sign-in together), then 'Te veel pogingen' even for the right token, without asking Mijnwebwinkel", async () => {
    for (let i = 0; i < 3; i++) expect((await connect(`wrong-${i}`, ATTACKER)).data).toMatchObject({ failure: { key: "mijnwebwinkel.connect.failed" } });
    for (let i = 0; i < MAX_FAILURES - 3; i++) expect((await login(`wrong-login-${i}`, ATTACKER)).data).toMatchObject({ refused: true });
    const checksBefore = mww.fake.callCount("GET /v1/orders/count");
    const blocked = await connect(TOKEN, ATTACKER);
    expect(blocked.redirect).toBeNull();
    expect(blocked.data).toEqual({ errors: {}, values: expect.objectContaining({ shopUrl: SHOP }), tooMany: { minutes: 15 } });
    expect((await login(TOKEN, ATTACKER)).data).toMatchObject({ tooMany: { minutes: 15 } });
    expect(mww.fake.callCount("GET /v1/orders/count")).toBe(checksBefore);
  });

  it("attempts sent at the same moment are counted before the token check: only five of twelve reach it", async () => {
    const from = "192.0.2.55";
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? login(`par-${i}`, from) : connect(`par-${i}`, from))));
    const checked = answers.filter((a) => a.data?.refused || a.data?.failure);
    expect(checked).toHaveLength(MAX_FAILURES);
    expect(answers.filter((a) => a.data?.tooMany)).toHaveLength(12 - MAX_FAILURES);
  });

  it("another address, or another shop from the same address, is not affected", async () => {
    expect((await connect(TOKEN, MERCHANT)).redirect?.headers.get("Location")).toBe("/app/setup/done");
    expect((await connect("wrong", ATTACKER, "ander.myonline.store")).data).toMatchObject({ failure: { key: "mijnwebwinkel.connect.failed" } });
  });

  it("once the window has ended the address may try again; a success forgets its failures", async () => {
    const key = tokenAttemptKey({ clientAddress: ATTACKER }, SHOP);
    // 15 minutes later, without waiting: the window moved back.
    await rt.db.update(attemptLimits).set({ windowStartedAt: new Date(Date.now() - 15 * 60_000 - 1000) }).where(eq(attemptLimits.key, key));
    expect((await login("wrong-again", ATTACKER)).data).toMatchObject({ refused: true });
    const [row] = await rt.db.select().from(attemptLimits).where(eq(attemptLimits.key, key));
    expect(row!.failures).toBe(1);
    expect((await login(TOKEN, ATTACKER)).redirect?.headers.get("Location")).toBe("/app");
    expect(await rt.db.select().from(attemptLimits).where(eq(attemptLimits.key, key))).toEqual([]);
  });

  it("the page says it in Dutch with the wait", async () => {
    const { t } = await import("~/i18n");
    expect(t("nl", "mww.attempts.tooMany", { minutes: 12 })).toBe("Te veel pogingen met deze Shop-URL. Probeer het over 12 min. opnieuw.");
  });
});
