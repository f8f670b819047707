// Koppel's own track & trace e-mail (issue 16 item 5) against a real SMTP server on loopback (smtp-server): exactly one
// message per shipment after the write-back, also when the job runs again or a crash left it half done; none when off;
// a refused login shows on the shipment and a retry later sends it once; the password is encrypted at rest and never in
// a page's data; the test e-mail reaches the merchant.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { runtime } from "./helpers";
import { startLabelWorld } from "./support/label-world";
import { startSmtpCatcher } from "../fakes/smtp/server";
import { labelDeps, type Runtime } from "../../app/runtime.server";
import { requestLabels } from "../../app/core/labels/request-labels.server";
import { sendTrackingMail, retryTrackingMail } from "../../app/core/labels/tracking-mail.server";
import { saveMailSettings, sendTestMail, type MailSettingsInput } from "../../app/core/mail/settings.server";
import { activity, orders, shipments, shopMailSettings } from "../../app/db/schema";
import { QUEUES, type JobData } from "../../app/jobs/queue.server";
import { decryptSecret, isEncryptedSecret } from "../../app/crypto.server";
import { createMerchantCookieSession } from "../../app/merchant.server";
import { loader as settingsLoader } from "../../app/routes/app.settings";
import { loader as shipmentsLoader } from "../../app/routes/app.shipments";

const SHOP = "mail-test.myshopify.com";
const OPTIONS = { service: "postnl-standard", colli: 1, packageType: "package" as const };
const USER = "shop@mail-test.nl";
const PASSWORD = "smtp-Pa55word-never-shown";
let rt: Runtime;
let world: Awaited<ReturnType<typeof startLabelWorld>>;
let smtp: Awaited<ReturnType<typeof startSmtpCatcher>>;

function settings(overrides: Partial<MailSettingsInput> = {}): MailSettingsInput {
  return {
    enabled: true,
    host: smtp.host,
    port: smtp.port,
    security: "none",
    username: USER,
    password: PASSWORD,
    fromName: "Mail Test Winkel",
    fromEmail: "winkel@mail-test.nl",
    locale: "nl",
    ...overrides,
  };
}

/** Runs queued label, write-back and mail jobs once each (a throwing mail job is left for the test to retry). */
async function drainAll() {
  await world.drain();
  const outcomes: string[] = [];
  for (;;) {
    const jobs = await rt.boss.fetch<JobData["send-tracking-mail"]>(QUEUES.sendTrackingMail, { batchSize: 50 });
    if (!jobs.length) return outcomes;
    for (const job of jobs) {
      try {
        outcomes.push(await sendTrackingMail(labelDeps(rt), job.data.shipmentId));
      } catch (e) {
        outcomes.push(`threw: ${(e as Error).message}`);
      }
      await rt.boss.complete(QUEUES.sendTrackingMail, job.id);
    }
  }
}

async function shipOne() {
  const [orderId] = await world.paidOrders(1);
  const r = await requestLabels(labelDeps(rt), world.shop.id, { orderIds: [orderId!], options: OPTIONS, source: "merchant" });
  if (!r.ok) throw new Error("label not requested");
  const outcomes = await drainAll();
  const [s] = await rt.db.select().from(shipments).where(eq(shipments.orderId, orderId!));
  const [o] = await rt.db.select().from(orders).where(eq(orders.id, orderId!));
  return { shipment: s!, order: o!, outcomes };
}

const mailsTo = (address: string) => smtp.messages.filter((m) => m.envelope.to.includes(address));
const cookieFor = async (locale: "nl" | "en" = "nl") => (await createMerchantCookieSession(world.shop.id, { locale })).split(";")[0]!;

beforeAll(async () => {
  rt = await runtime();
  world = await startLabelWorld(rt, SHOP);
  smtp = await startSmtpCatcher({ users: { [USER]: PASSWORD } });
});
afterAll(async () => {
  await world.close();
  await smtp.close();
  await rt.stop();
});
beforeEach(() => smtp.refuseLogins(false));

describe("track & trace e-mail", () => {
  it("off (the default): no e-mail, the shop is asked to notify the customer as before", async () => {
    const before = smtp.messages.length;
    const { shipment } = await shipOne();
    expect(shipment.writebackState).toBe("done");
    expect(shipment.mailState).toBe("not_needed");
    expect(smtp.messages.length).toBe(before);
    expect(world.shopify.fulfillmentCalls(SHOP).at(-1)!.input).toMatchObject({ notifyCustomer: true });
  });

  it("on: after the write-back exactly one message arrives with the tracking link, also when the job runs again", async () => {
    await saveMailSettings(rt.db, world.shop.id, settings(), rt.encryptionKey);
    const { shipment, order, outcomes } = await shipOne();
    expect(outcomes).toEqual(["sent"]);
    // The shop was told not to e-mail: the customer gets Koppel's instead, not two.
    expect(world.shopify.fulfillmentCalls(SHOP).at(-1)!.input).toMatchObject({ notifyCustomer: false });
    const got = mailsTo(order.email!);
    expect(got).toHaveLength(1);
    const m = got[0]!;
    expect(m.user).toBe(USER);
    expect(m.parsed.subject).toBe(`Je bestelling ${order.number} is onderweg`);
    expect(m.parsed.from?.value[0]).toMatchObject({ name: "Mail Test Winkel", address: "winkel@mail-test.nl" });
    expect(m.parsed.text).toContain(shipment.trackingUrl);
    expect(m.parsed.text).toContain(shipment.trackingNumber);
    expect(m.parsed.html).toContain(`href="${shipment.trackingUrl}"`);
    expect(m.parsed.messageId).toBe(`<koppel-shipment-${shipment.id}@mail-test.nl>`);
    const [after] = await rt.db.select().from(shipments).where(eq(shipments.id, shipment.id));
    expect(after).toMatchObject({ mailState: "sent", mailAttempts: 1, mailedTo: order.email, mailError: null });
    // The job again (a redelivered job, a second worker): nothing more.
    expect(await sendTrackingMail(labelDeps(rt), shipment.id)).toBe("already_sent");
    expect(mailsTo(order.email!)).toHaveLength(1);
  });

  it("a crash between the SMTP server's answer and the commit: the retried job does not send again", async () => {
    await saveMailSettings(rt.db, world.shop.id, settings(), rt.encryptionKey);
    // Hold the job: label and write-back only.
    const [orderId] = await world.paidOrders(1);
    await requestLabels(labelDeps(rt), world.shop.id, { orderIds: [orderId!], options: OPTIONS, source: "merchant" });
    await world.drain();
    const [s] = await rt.db.select().from(shipments).where(eq(shipments.orderId, orderId!));
    const [o] = await rt.db.select().from(orders).where(eq(orders.id, orderId!));
    expect(s!.mailState).toBe("pending");
    // The worker sends, and dies before it records the answer: the mailer delivers, then the process is gone.
    const crashing = {
      ...labelDeps(rt),
      mailer: {
        async send(...args: Parameters<Runtime["mailer"]["send"]>) {
          await rt.mailer.send(...args);
          throw new Error("worker killed");
        },
      },
    };
    await expect(sendTrackingMail(crashing, s!.id)).rejects.toThrow("worker killed");
    expect(mailsTo(o!.email!)).toHaveLength(1);
    // pg-boss hands the job out again: it finds the claim and does not resend.
    const outcomes = await drainAll();
    expect(await sendTrackingMail(labelDeps(rt), s!.id)).toBe("skipped");
    expect(outcomes.filter((x) => x !== "already_sent")).toEqual(["unknown"]);
    expect(mailsTo(o!.email!)).toHaveLength(1);
    const [after] = await rt.db.select().from(shipments).where(eq(shipments.id, s!.id));
    expect(after).toMatchObject({ mailState: "unknown", mailError: "mail.error.interrupted" });
  });

  it("a refused login: failure on the shipment and in Activiteit; 'Opnieuw versturen' later sends it once", async () => {
    await saveMailSettings(rt.db, world.shop.id, settings(), rt.encryptionKey);
    smtp.refuseLogins(true);
    const { shipment, order, outcomes } = await shipOne();
    expect(outcomes).toEqual(["failed"]);
    expect(mailsTo(order.email!)).toHaveLength(0);
    const [failed] = await rt.db.select().from(shipments).where(eq(shipments.id, shipment.id));
    expect(failed!.mailState).toBe("failed");
    expect(failed!.mailError).toMatch(/Invalid|auth/i);
    // Shown on the shipment (Zendingen) …
    const data = await shipmentsLoader({ request: new Request("http://localhost/app/shipments", { headers: { Cookie: await cookieFor() } }), params: {}, context: {} });
    const row = JSON.parse(JSON.stringify(data)).shipments.find((x: { id: string | number }) => String(x.id) === String(shipment.id));
    expect(row).toMatchObject({ mailState: "failed" });
    expect(row.mailError).toMatch(/Invalid|auth/i);
    // … and in Activiteit.
    const log = await rt.db.select().from(activity).where(eq(activity.orderNumber, order.number));
    expect(log.map((a) => a.summary)).toContain("mail.failed");
    // The merchant fixes the password (here: the server accepts again) and presses "Opnieuw versturen".
    smtp.refuseLogins(false);
    expect(await retryTrackingMail(labelDeps(rt), world.shop.id, shipment.id)).toBe(true);
    expect(await retryTrackingMail(labelDeps(rt), world.shop.id, shipment.id)).toBe(false);
    expect(await drainAll()).toEqual(["sent"]);
    expect(mailsTo(order.email!)).toHaveLength(1);
    const [sent] = await rt.db.select().from(shipments).where(eq(shipments.id, shipment.id));
    expect(sent).toMatchObject({ mailState: "sent", mailAttempts: 2, mailError: null });
  });

  it("an SMTP server that is down: retried by the queue (pending with its reason), then sent once", async () => {
    const down = await startSmtpCatcher();
    const port = down.port;
    await down.close();
    await saveMailSettings(rt.db, world.shop.id, settings({ port }), rt.encryptionKey);
    const { shipment, order, outcomes } = await shipOne();
    expect(outcomes[0]).toMatch(/^threw:/);
    const [waiting] = await rt.db.select().from(shipments).where(eq(shipments.id, shipment.id));
    expect(waiting).toMatchObject({ mailState: "pending" });
    expect(waiting!.mailError).toBeTruthy();
    await saveMailSettings(rt.db, world.shop.id, settings(), rt.encryptionKey);
    expect(await sendTrackingMail(labelDeps(rt), shipment.id)).toBe("sent");
    expect(await sendTrackingMail(labelDeps(rt), shipment.id)).toBe("already_sent");
    expect(mailsTo(order.email!)).toHaveLength(1);
  });

  it("stores the password encrypted and never puts it in the settings page's data; the test e-mail reaches the merchant", async () => {
    await saveMailSettings(rt.db, world.shop.id, settings({ locale: "en" }), rt.encryptionKey);
    const [row] = await rt.db.select().from(shopMailSettings).where(eq(shopMailSettings.shopId, world.shop.id));
    expect(isEncryptedSecret(row!.passwordEncrypted!)).toBe(true);
    expect(row!.passwordEncrypted).not.toContain(PASSWORD);
    expect(decryptSecret(row!.passwordEncrypted!, rt.encryptionKey)).toBe(PASSWORD);
    // Saving without a password keeps the stored one.
    await saveMailSettings(rt.db, world.shop.id, settings({ locale: "en", password: null }), rt.encryptionKey);
    const [kept] = await rt.db.select().from(shopMailSettings).where(eq(shopMailSettings.shopId, world.shop.id));
    expect(decryptSecret(kept!.passwordEncrypted!, rt.encryptionKey)).toBe(PASSWORD);

    const data = await settingsLoader({ request: new Request("http://localhost/app/settings", { headers: { Cookie: await cookieFor("en") } }), params: {}, context: {} });
    const json = JSON.stringify(data);
    expect(json).not.toContain(PASSWORD);
    expect(json).not.toContain(kept!.passwordEncrypted!);
    expect(data.mail).toMatchObject({ enabled: true, passwordHint: "••••", username: USER });
    expect(data.mailPreview.subject).toBe("Your order #1001 is on its way");

    const result = await sendTestMail({ db: rt.db, mailer: rt.mailer, encryptionKey: rt.encryptionKey }, world.shop.id);
    expect(result.ok).toBe(true);
    const got = mailsTo("winkel@mail-test.nl");
    expect(got).toHaveLength(1);
    expect(got[0]!.parsed.subject).toBe("[Test] Your order #1001 is on its way");
    expect(got[0]!.parsed.text).toContain("https://jouw.postnl.nl/track-and-trace/");
  });
});
