// The demo's Mijnwebwinkel e-mail (issue 16 item 7): the demo starts a real SMTP server on loopback, the demo store
// holds 15 orders (two test orders, one without a delivery address, one B2B), the shop connected from the prefilled
// form gets Koppel's track & trace e-mail switched on towards that server, and /demo/mail lists what it caught (to,
// subject, text, the tracking link); Zendingen links there. The demo is switched on for this file only.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";

process.env.KOPPEL_DEMO = "1"; // before any app module loads: every one is imported below, after the demo's fakes

type Runtime = import("~/runtime.server").Runtime;
let rt: Runtime;
let fakes: Awaited<ReturnType<typeof import("../demo/fakes").startDemoFakes>>;
let shopId: number;

beforeAll(async () => {
  const { startDemoFakes } = await import("../demo/fakes");
  fakes = await startDemoFakes();
  const { startDemo } = await import("../demo/demo.server");
  const demo = await startDemo();
  const { runtime } = await import("./helpers");
  rt = await runtime();
  await demo.seed(rt);
});
afterAll(async () => {
  await fakes?.smtp.close();
  await fakes?.mijnwebwinkel.close();
  await fakes?.carrier.close();
  await fakes?.ccvshop.close();
  await rt?.stop();
});

const args = (request: Request) => ({ request, params: {}, context: { clientAddress: "127.0.0.1" } });

describe("the demo's Mijnwebwinkel shop and its mailbox", () => {
  it("the demo store has 15 orders: two test orders, one without a delivery address, one B2B", async () => {
    const { DEMO_MWW_TOKEN } = await import("../demo/fakes");
    const orders = fakes.mijnwebwinkel.fake.store(DEMO_MWW_TOKEN).orders();
    expect(orders).toHaveLength(15);
    expect(orders.filter((o) => String(o.number).startsWith("T-"))).toHaveLength(2);
    expect(orders.filter((o) => !("delivery" in o.debtor.address))).toHaveLength(1);
    expect(orders.filter((o) => "reference" in o)).toHaveLength(1);
  });

  it("connecting from the prefilled form switches Koppel's e-mail on towards the demo's SMTP server", async () => {
    const { loader, action } = await import("~/routes/mijnwebwinkel.connect");
    const page = await loader(args(new Request("http://localhost/mijnwebwinkel/connect")));
    const { fromAddressFixture } = await import("../fixtures/from-address");
    const body = new URLSearchParams({ ...(fromAddressFixture() as unknown as Record<string, string>), shopUrl: page.values.shopUrl, apiToken: page.demoToken });
    const request = new Request("http://localhost/mijnwebwinkel/connect", { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body });
    const thrown = await action(args(request)).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(Response);
    expect((thrown as Response).headers.get("Location")).toBe("/app/setup/done");
    const { findShop } = await import("~/core/shops.server");
    shopId = (await findShop(rt.db, "mijnwebwinkel", "demo-webwinkel.myonline.store"))!.id;
    const { loadMailSettings } = await import("~/core/mail/settings.server");
    expect(await loadMailSettings(rt.db, shopId, rt.encryptionKey)).toMatchObject({ enabled: true, smtp: { host: fakes.smtp.host, port: fakes.smtp.port, security: "none" } });
  });

  it("a label → shipped → the e-mail is caught, and /demo/mail shows it with the tracking link; Zendingen links there", async () => {
    const { syncShop } = await import("~/core/sync.server");
    const { mijnwebwinkelAdapter } = await import("~/platforms/registry.server");
    await syncShop({ db: rt.db, platform: mijnwebwinkelAdapter(), clock: rt.clock, encryptionKey: rt.encryptionKey }, shopId);
    const { orders, shipments } = await import("~/db/schema");
    const [order] = await rt.db.select().from(orders).where(and(eq(orders.shopId, shopId), eq(orders.number, "1007")));
    const { labelDeps } = await import("~/runtime.server");
    const { requestLabels } = await import("~/core/labels/request-labels.server");
    const { processLabelRequest } = await import("~/core/labels/label-job.server");
    const { writeBackShipment } = await import("~/core/labels/write-back.server");
    const { sendTrackingMail } = await import("~/core/labels/tracking-mail.server");
    const { QUEUES } = await import("~/jobs/queue.server");
    const r = await requestLabels(labelDeps(rt), shopId, { orderIds: [order!.id], options: { service: "postnl-standard", colli: 1, packageType: "package" }, source: "merchant" });
    expect(r.ok).toBe(true);
    for (const job of await rt.boss.fetch<{ labelRequestId: number }>(QUEUES.createLabel, { batchSize: 10 })) await processLabelRequest(labelDeps(rt), job.data.labelRequestId);
    const [s] = await rt.db.select().from(shipments).where(eq(shipments.orderId, order!.id));
    expect(await writeBackShipment(labelDeps(rt), s!.id)).toBe("done");
    expect(await sendTrackingMail(labelDeps(rt), s!.id)).toBe("sent");

    const { loader } = await import("~/routes/demo.mail");
    const data = await loader(args(new Request("http://localhost/demo/mail")));
    expect(data.mails).toHaveLength(1);
    expect(data.mails[0]).toMatchObject({ to: [order!.email], subject: expect.stringContaining("1007"), links: [s!.trackingUrl] });
    expect(data.mails[0]!.text).toContain(s!.trackingNumber);

    const { createMerchantCookieSession } = await import("~/merchant.server");
    const cookie = (await createMerchantCookieSession(shopId, { locale: "nl" })).split(";")[0]!;
    const { loader: shipmentsLoader } = await import("~/routes/app.shipments");
    const page = await shipmentsLoader(args(new Request("http://localhost/app/shipments", { headers: { Cookie: cookie } })));
    expect(page).toMatchObject({ demoMail: true, shipments: [expect.objectContaining({ mailState: "sent" })] });
  });
});
