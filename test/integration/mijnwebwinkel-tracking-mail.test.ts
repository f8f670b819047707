// Koppel's track & trace e-mail for a Mijnwebwinkel shop when the write-back finds the order already shipped (issue 16).
// The decision: the customer gets the e-mail when Koppel made the label (a shipment exists) and the shop's e-mail is on,
// exactly once, whether the PATCH happened now or in an earlier attempt that crashed before its commit (Mijnwebwinkel
// answered "already shipped": its status is the shipped one with Koppel's code in the internal comment). An order the
// merchant shipped in Mijnwebwinkel without Koppel's label leaves the list and gets no e-mail from Koppel; with the
// shop's e-mail off, the customer gets none at all.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { orders, shipments } from "~/db/schema";
import { labelDeps, type Runtime } from "~/runtime.server";
import { connectShop } from "~/core/connect-shop";
import { syncShop } from "~/core/sync.server";
import { shopAccess } from "~/core/shop-access";
import { getShop, saveFromAddress } from "~/core/shops.server";
import { connectCarrier } from "~/core/labels/connection.server";
import { requestLabels } from "~/core/labels/request-labels.server";
import { processLabelRequest } from "~/core/labels/label-job.server";
import { writeBackShipment } from "~/core/labels/write-back.server";
import { sendTrackingMail } from "~/core/labels/tracking-mail.server";
import { saveMailSettings } from "~/core/mail/settings.server";
import { asDistributor } from "~/core/domain";
import { QUEUES, type JobData } from "~/jobs/queue.server";
import { configureCarrierBaseUrls } from "~/carriers/registry.server";
import { configureMijnwebwinkelApi, mijnwebwinkelAdapter } from "~/platforms/registry.server";
import { startFakeMijnwebwinkel, STATUS, type RunningFakeMijnwebwinkel } from "../fakes/mijnwebwinkel";
import { startFakeCarrier } from "../fakes/carrier";
import { startSmtpCatcher } from "../fakes/smtp/server";
import { fromAddressFixture } from "../fixtures/from-address";
import { CARRIER_ACCOUNT } from "./support/label-world";
import { runtime } from "./helpers";

const DOMAIN = "mailwinkel.myonline.store";
const TOKEN = "tok-mailwinkel";
const OPTIONS = { service: "postnl-standard", colli: 1, packageType: "package" as const };
let rt: Runtime;
let mww: RunningFakeMijnwebwinkel;
let carrier: Awaited<ReturnType<typeof startFakeCarrier>>;
let smtp: Awaited<ReturnType<typeof startSmtpCatcher>>;
let shopId: number;

const poll = () => syncShop({ db: rt.db, platform: mijnwebwinkelAdapter(), clock: rt.clock, encryptionKey: rt.encryptionKey }, shopId);
const orderByNumber = async (n: string) => (await rt.db.select().from(orders).where(and(eq(orders.shopId, shopId), eq(orders.number, n))))[0]!;
const emailOf = (n: number) => mww.fake.order(n, TOKEN)!.debtor.email!;
const mailsTo = (address: string) => smtp.messages.filter((m) => m.envelope.to.includes(address));

/** Runs the queued create-label jobs; returns the shipment of the order (its write-back job is left queued). */
async function labelFor(orderId: number) {
  const r = await requestLabels(labelDeps(rt), shopId, { orderIds: [orderId], options: OPTIONS, source: "merchant" });
  if (!r.ok) throw new Error("label not requested");
  for (const job of await rt.boss.fetch<JobData["create-label"]>(QUEUES.createLabel, { batchSize: 10 })) {
    await processLabelRequest(labelDeps(rt), job.data.labelRequestId);
    await rt.boss.complete(QUEUES.createLabel, job.id);
  }
  const [s] = await rt.db.select().from(shipments).where(eq(shipments.orderId, orderId));
  return s!;
}
/** Runs queued write-back and mail jobs, as the workers do. */
async function drain() {
  const outcomes: string[] = [];
  for (;;) {
    const backs = await rt.boss.fetch<JobData["write-back"]>(QUEUES.writeBack, { batchSize: 10 });
    const mails = await rt.boss.fetch<JobData["send-tracking-mail"]>(QUEUES.sendTrackingMail, { batchSize: 10 });
    if (!backs.length && !mails.length) return outcomes;
    for (const job of backs) {
      outcomes.push(`write-back ${await writeBackShipment(labelDeps(rt), job.data.shipmentId)}`);
      await rt.boss.complete(QUEUES.writeBack, job.id);
    }
    for (const job of mails) {
      outcomes.push(`mail ${await sendTrackingMail(labelDeps(rt), job.data.shipmentId)}`);
      await rt.boss.complete(QUEUES.sendTrackingMail, job.id);
    }
  }
}

beforeAll(async () => {
  rt = await runtime();
  mww = await startFakeMijnwebwinkel({ stores: [{ token: TOKEN, name: "Mailwinkel" }], seed: "demo" });
  configureMijnwebwinkelApi({ apiUrl: mww.apiUrl, partnerToken: mww.partnerToken });
  carrier = await startFakeCarrier({ accounts: [CARRIER_ACCOUNT] });
  configureCarrierBaseUrls({ staging: carrier.baseUrl, production: carrier.baseUrl });
  smtp = await startSmtpCatcher();
  const shop = await connectShop(rt, { platform: "mijnwebwinkel", domain: DOMAIN, credentials: { shopUrl: DOMAIN, apiToken: TOKEN } });
  if (!shop.ok) throw new Error(shop.reason);
  shopId = shop.value.id;
  await saveFromAddress(rt.db, shopId, fromAddressFixture());
  const connected = await connectCarrier(labelDeps(rt), shopId, { carrier: "boekuwzending", environment: "staging", ...CARRIER_ACCOUNT });
  if (!connected.ok) throw new Error(connected.reason);
  await saveMailSettings(
    rt.db,
    shopId,
    { enabled: true, host: smtp.host, port: smtp.port, security: "none", username: null, password: null, fromName: "Mailwinkel", fromEmail: "winkel@mailwinkel.nl", locale: "nl" },
    rt.encryptionKey,
  );
  await poll();
});
afterAll(async () => {
  configureMijnwebwinkelApi(null);
  configureCarrierBaseUrls(null);
  await smtp?.close();
  await carrier?.close();
  await mww?.close();
  await rt?.stop();
});

describe("Mijnwebwinkel write-back that finds the order already shipped", () => {
  it("a normal write-back: one PATCH, one e-mail with the tracking link", async () => {
    const order = await orderByNumber("1007");
    const s = await labelFor(order.id);
    expect(await drain()).toEqual(["write-back done", "mail sent"]);
    expect(mww.fake.patches.filter((p) => p.number === "1007")).toHaveLength(1);
    const mails = mailsTo(emailOf(1007));
    expect(mails).toHaveLength(1);
    expect(mails[0]!.parsed.text).toContain(s.trackingUrl);
  });

  it("the PATCH went through in an attempt that crashed before its commit: the retry is 'already shipped' and the customer still gets the e-mail once", async () => {
    const order = await orderByNumber("1009");
    const s = await labelFor(order.id);
    // The crashed attempt: Mijnwebwinkel took the PATCH, Koppel never recorded it.
    const shop = (await getShop(rt.db, shopId))!;
    const tracking = { distributor: asDistributor(s.trackingCompany), carrierName: "Boekuwzending", number: s.trackingNumber, url: s.trackingUrl };
    expect(await mijnwebwinkelAdapter().markShipped(shopAccess(shop, rt.encryptionKey), "1009", tracking, { notifyCustomer: false })).toMatchObject({ ok: true, value: { alreadyShipped: false } });
    expect(mww.fake.order(1009, TOKEN)).toMatchObject({ status: STATUS.VERZONDEN });

    expect(await drain()).toEqual(["write-back already_done", "mail sent"]);
    // No second PATCH, the shipment is written back, and exactly one e-mail.
    expect(mww.fake.patches.filter((p) => p.number === "1009")).toHaveLength(1);
    const [after] = await rt.db.select().from(shipments).where(eq(shipments.id, s.id));
    expect(after).toMatchObject({ writebackState: "done", mailState: "sent" });
    expect((await orderByNumber("1009")).status).toBe("shipped");
    expect(mailsTo(emailOf(1009))).toHaveLength(1);

    // The write-back job again (a redelivered job): nothing more, no second e-mail.
    expect(await writeBackShipment(labelDeps(rt), s.id)).toBe("already_done");
    expect(await drain()).toEqual([]);
    expect(mailsTo(emailOf(1009))).toHaveLength(1);
  });

  it("with the track & trace e-mail off: the write-back PATCHes, and the customer gets no e-mail (Mijnwebwinkel sends none either)", async () => {
    await saveMailSettings(
      rt.db,
      shopId,
      { enabled: false, host: smtp.host, port: smtp.port, security: "none", username: null, password: null, fromName: "Mailwinkel", fromEmail: "winkel@mailwinkel.nl", locale: "nl" },
      rt.encryptionKey,
    );
    const received = smtp.messages.length;
    const order = await orderByNumber("1011");
    const s = await labelFor(order.id);
    expect(await drain()).toEqual(["write-back done"]);
    const patches = mww.fake.patches.filter((p) => p.number === "1011");
    expect(patches).toHaveLength(1);
    expect(patches[0]!.body).toMatchObject({ status: STATUS.VERZONDEN, comments: { internal: expect.stringContaining(s.trackingUrl!) } });
    const [after] = await rt.db.select().from(shipments).where(eq(shipments.id, s.id));
    expect(after).toMatchObject({ writebackState: "done", mailState: "not_needed" });
    // The write-back job again: still nothing sent.
    expect(await writeBackShipment(labelDeps(rt), s.id)).toBe("already_done");
    expect(await drain()).toEqual([]);
    expect(mailsTo(emailOf(1011))).toHaveLength(0);
    expect(smtp.messages.length).toBe(received);
    await saveMailSettings(
      rt.db,
      shopId,
      { enabled: true, host: smtp.host, port: smtp.port, security: "none", username: null, password: null, fromName: "Mailwinkel", fromEmail: "winkel@mailwinkel.nl", locale: "nl" },
      rt.encryptionKey,
    );
  });

  it("an order the merchant shipped in Mijnwebwinkel without Koppel's label leaves the list and gets no e-mail from Koppel", async () => {
    mww.fake.setStatus(1010, STATUS.VERZONDEN, TOKEN);
    await poll();
    expect((await orderByNumber("1010")).status).toBe("fulfilled_elsewhere");
    expect(await drain()).toEqual([]);
    expect(mailsTo(emailOf(1010))).toHaveLength(0);
  });
});
