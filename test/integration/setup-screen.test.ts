// The install screen and after it: no staging banner on /app/setup (a new merchant reads how to connect first, even when
// a staging carrier connection exists already, as in the demo); once installed, /app/setup goes to Instellingen.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { database, db } from "~/db.server";
import { carrierConnections, shops } from "~/db/schema";
import { createMerchantCookieSession } from "~/merchant.server";
import { loader as layoutLoader } from "~/routes/app";
import { loader as setupLoader } from "~/routes/app.setup";
import { fromAddressFixture } from "../fixtures/from-address";

let shopId: number;
let cookie: string;

const args = (path: string) => ({ request: new Request(`http://localhost${path}`, { headers: { Cookie: cookie } }), params: {}, context: {} });
const payload = <T,>(v: T) => (v && typeof v === "object" && "data" in v && "init" in v ? (v as unknown as { data: T }).data : v) as { carrierStaging: boolean };
async function thrown(p: Promise<unknown>): Promise<Response> {
  try {
    await p;
  } catch (e) {
    if (e instanceof Response) return e;
    throw e;
  }
  throw new Error("expected a thrown Response");
}

beforeAll(async () => {
  const [s] = await db.insert(shops).values({ platform: "ccvshop", domain: "setup-screen.ccvshop.example" }).returning();
  shopId = s!.id;
  cookie = (await createMerchantCookieSession(shopId)).split(";")[0]!;
  await db.insert(carrierConnections).values({ shopId, carrier: "boekuwzending", environment: "staging", clientId: "c", clientSecretEncrypted: "x", clientSecretLast4: "abcd" });
});

afterAll(async () => {
  await database.close();
});

describe("install screen", () => {
  it("shows no staging banner while installing, and the banner everywhere once installed", async () => {
    expect(payload(await layoutLoader(args("/app/setup"))).carrierStaging).toBe(false);
    // The setup form itself renders (not installed yet).
    expect(await setupLoader(args("/app/setup"))).toMatchObject({ platform: "ccvshop" });

    await db.update(shops).set({ fromAddress: fromAddressFixture() }).where(eq(shops.id, shopId));
    expect(payload(await layoutLoader(args("/app"))).carrierStaging).toBe(true);
  });

  it("after installation /app/setup goes to Instellingen, keeping the page's own query", async () => {
    const res = await thrown(setupLoader(args("/app/setup?locale=en&_data=routes%2Fapp.setup")));
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/app/settings?locale=en");
  });
});
