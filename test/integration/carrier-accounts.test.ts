// Every label uses the carrier account it was bought with (issue 11): the shop switches from staging to production
// (another account, another base URL), and an older label's PDF still comes from staging, a request queued before the
// switch is bought on staging, new ones on production; a request whose account is not known is refused with a reason.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { PDFDocument } from "pdf-lib";
import { carrierAccounts, carrierConnections, labelRequests, shipments } from "~/db/schema";
import { labelDeps, type Runtime } from "~/runtime.server";
import { connectCarrier } from "~/core/labels/connection.server";
import { requestLabels } from "~/core/labels/request-labels.server";
import { processLabelRequest } from "~/core/labels/label-job.server";
import { labelPdfsForShipments } from "~/core/labels/pdfs.server";
import { decodeReason } from "~/core/reasons";
import { configureCarrierBaseUrls } from "~/carriers/registry.server";
import { startFakeCarrier, type RunningFakeCarrier } from "../fakes/carrier";
import { startLabelWorld } from "./support/label-world";
import { runtime } from "./helpers";

const STAGING = { clientId: "koppel-staging-client", clientSecret: "staging-secret-value-1234" };
const PRODUCTION = { clientId: "koppel-production-client", clientSecret: "production-secret-value-5678" };
const OPTIONS = { service: "postnl-standard", colli: 1, packageType: "package" as const };

let rt: Runtime;
let world: Awaited<ReturnType<typeof startLabelWorld>>;
let staging: RunningFakeCarrier;
let production: RunningFakeCarrier;

beforeAll(async () => {
  rt = await runtime();
  world = await startLabelWorld(rt, "accounts-switch.myshopify.com");
  staging = await startFakeCarrier({ accounts: [STAGING] });
  production = await startFakeCarrier({ accounts: [PRODUCTION] });
  configureCarrierBaseUrls({ staging: staging.baseUrl, production: production.baseUrl });
  const connected = await connectCarrier(labelDeps(rt), world.shop.id, { carrier: "boekuwzending", environment: "staging", ...STAGING });
  expect(connected.ok).toBe(true);
});
afterAll(async () => {
  await world?.close();
  await staging?.close();
  await production?.close();
  await rt?.stop();
});

async function request(orderId: number): Promise<number> {
  const r = await requestLabels(labelDeps(rt), world.shop.id, { orderIds: [orderId], options: OPTIONS, source: "merchant" });
  if (!r.ok) throw new Error(r.reason);
  return r.queued[0]!.labelRequestId;
}

describe("carrier accounts", () => {
  it("staging → production: old PDFs from staging, a request queued before the switch bought on staging, new ones on production", async () => {
    const [first, queuedBefore, after] = await world.paidOrders(3);
    const firstRequest = await request(first!);
    expect(await processLabelRequest(labelDeps(rt), firstRequest)).toBe("created");
    const queued = await request(queuedBefore!);

    // The merchant switches to production with another account.
    expect((await connectCarrier(labelDeps(rt), world.shop.id, { carrier: "boekuwzending", environment: "production", ...PRODUCTION })).ok).toBe(true);
    const accounts = await rt.db.select().from(carrierAccounts).where(eq(carrierAccounts.shopId, world.shop.id));
    // The label world's own first account, then staging, then production: all kept.
    expect(accounts.map((a) => `${a.environment}:${a.clientId}`)).toEqual(expect.arrayContaining([`production:${PRODUCTION.clientId}`, `staging:${STAGING.clientId}`]));
    const [conn] = await rt.db.select().from(carrierConnections).where(eq(carrierConnections.shopId, world.shop.id));
    expect(accounts.find((a) => a.id === conn!.accountId)?.environment).toBe("production");

    // The request queued on staging is bought on staging, with the staging account.
    expect(await processLabelRequest(labelDeps(rt), queued)).toBe("created");
    expect(staging.fake.shipments(STAGING.clientId)).toHaveLength(2);
    expect(production.fake.shipments()).toHaveLength(0);
    // New requests use production.
    expect(await processLabelRequest(labelDeps(rt), await request(after!))).toBe("created");
    expect(production.fake.shipments(PRODUCTION.clientId)).toHaveLength(1);

    const made = await rt.db.select().from(shipments).where(eq(shipments.shopId, world.shop.id));
    const envOf = (orderId: number) => made.find((s) => s.orderId === orderId)!;
    expect([envOf(first!).environment, envOf(queuedBefore!).environment, envOf(after!).environment]).toEqual(["staging", "staging", "production"]);
    expect(envOf(first!).carrierAccountId).toBe(accounts.find((a) => a.clientId === STAGING.clientId)!.id);

    // One PDF of all three: the staging ones from staging, the production one from production.
    const { pdfs, found } = await labelPdfsForShipments(labelDeps(rt), world.shop.id, made.map((s) => s.id));
    expect(found).toBe(3);
    let pages = 0;
    for (const pdf of pdfs) pages += (await PDFDocument.load(pdf)).getPageCount();
    expect(pages).toBe(3);
  });

  it("a request queued on an account with other services than the one connected now names its own service's distributor", async () => {
    // Service codes are per account: this staging account's "2001" is PostNL's parcel; the production account has no "2001".
    const OWN = { clientId: "koppel-staging-own-codes", clientSecret: "staging-own-secret-4321", services: [{ code: "2001", description: "PostNL Pakket", basePrice: 6.25 }] };
    staging.fake.addAccount(OWN);
    expect((await connectCarrier(labelDeps(rt), world.shop.id, { carrier: "boekuwzending", environment: "staging", clientId: OWN.clientId, clientSecret: OWN.clientSecret })).ok).toBe(true);
    const [orderId] = await world.paidOrders(1);
    const r = await requestLabels(labelDeps(rt), world.shop.id, { orderIds: [orderId!], options: { service: "2001", colli: 1, packageType: "package" }, source: "merchant" });
    if (!r.ok) throw new Error(r.reason);
    // The merchant switches to production before the job runs.
    expect((await connectCarrier(labelDeps(rt), world.shop.id, { carrier: "boekuwzending", environment: "production", ...PRODUCTION })).ok).toBe(true);
    expect(await processLabelRequest(labelDeps(rt), r.queued[0]!.labelRequestId)).toBe("created");
    const [made] = await rt.db.select().from(shipments).where(eq(shipments.orderId, orderId!));
    expect(made).toMatchObject({ service: "2001", environment: "staging", trackingCompany: "PostNL" });
    expect(staging.fake.shipments(OWN.clientId)).toHaveLength(1);
  });

  it("a request whose account is not known (from before accounts were kept, another environment) is refused with its reason", async () => {
    const [orderId] = await world.paidOrders(1);
    const id = await request(orderId!);
    // As a row from before migration 0006 looks when the shop has switched since: no account, staging.
    await rt.db.update(labelRequests).set({ carrierAccountId: null, environment: "staging" }).where(eq(labelRequests.id, id));
    expect(await processLabelRequest(labelDeps(rt), id)).toBe("failed");
    const [r] = await rt.db.select().from(labelRequests).where(eq(labelRequests.id, id));
    expect(decodeReason(r!.lastError)).toMatchObject({ code: "carrier.account_gone" });
  });
});
