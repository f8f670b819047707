// Operator CLI: `npm run koppel -- <command>`. Calls the same use cases as the app. --json prints one object per line.
// With the embedded database (no DATABASE_URL), stop the server first: PGlite is single-process.
import { parseArgs } from "node:util";
import { and, count, desc, eq, isNull, or } from "drizzle-orm";
import { env } from "../env.server";
import { database } from "../db.server";
import { migrateDatabase } from "../db/client.server";
import { labelRequests, orders, shops, PLATFORMS, type PlatformId } from "../db/schema";
import { findShop } from "../core/shops.server";
import { syncShop } from "../core/sync.server";
import { systemClock } from "../core/ports";
import { createBoss, QUEUES } from "../jobs/queue.server";
import { getCarrierConnection } from "../core/labels/connection.server";
import { requestLabels } from "../core/labels/request-labels.server";
import { labelStateForOrders, listShipments } from "../core/labels/reads.server";
import type { PackageType } from "../core/ports";

export const USAGE = `Usage: npm run koppel -- <command> [options]
  migrate                                   apply database migrations (Koppel's and pg-boss's)
  shops [--json]                            list shops
  orders --shop <domain> [--json] [--all]   orders of a shop (default: to ship; --all: every status, removed too)
  sync --shop <domain>                      run the periodic sync for a shop now
  jobs [--failed] [--json]                  background jobs (newest first)
  shipments --shop <domain> [--json]        a shop's shipments: order, service, colli, waybill, tracking URL, written back
  label --shop <domain> --order <number> [--service <code>] [--colli <n>] [--format <type>]   (no options: the shipping rules choose)
                                            "Label aanmaken" for one order (idempotent, job-based); waits and prints
Options: --platform shopify|ccvshop|mijnwebwinkel (default shopify)`;

type Out = { json: boolean };
function print(out: Out, rows: Record<string, unknown>[], columns: string[]) {
  if (out.json) {
    for (const r of rows) console.log(JSON.stringify(r));
    return;
  }
  if (!rows.length) {
    console.log("(none)");
    return;
  }
  const cell = (v: unknown) => (v instanceof Date ? v.toISOString() : v === null || v === undefined ? "" : typeof v === "object" ? JSON.stringify(v) : String(v));
  const widths = columns.map((c) => Math.min(40, Math.max(c.length, ...rows.map((r) => cell(r[c]).length))));
  console.log(columns.map((c, i) => c.padEnd(widths[i]!)).join("  "));
  for (const r of rows) console.log(columns.map((c, i) => cell(r[c]).slice(0, 40).padEnd(widths[i]!)).join("  "));
}

async function requireShop(domain: string | undefined, platform: PlatformId) {
  if (!domain) throw new UsageError("--shop <domain> is required");
  const shop = await findShop(database.db, platform, domain);
  if (!shop) throw new UsageError(`No ${platform} shop ${domain}. See: npm run koppel -- shops`);
  return shop;
}

export class UsageError extends Error {}

export async function runCli(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: "boolean", default: false },
      all: { type: "boolean", default: false },
      failed: { type: "boolean", default: false },
      shop: { type: "string" },
      order: { type: "string" },
      service: { type: "string" },
      colli: { type: "string" },
      format: { type: "string" },
      timeout: { type: "string", default: "120" },
      platform: { type: "string", default: "shopify" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  const command = positionals[0];
  if (!command || values.help) {
    console.log(USAGE);
    return command ? 0 : 2;
  }
  if (!(PLATFORMS as readonly string[]).includes(values.platform!)) throw new UsageError(`Unknown platform ${values.platform}`);
  const platform = values.platform as PlatformId;
  const out = { json: values.json! };
  await migrateDatabase(database);
  const db = database.db;

  switch (command) {
    case "migrate": {
      const boss = createBoss(database);
      await boss.start();
      await boss.stop({ graceful: false });
      console.log(out.json ? JSON.stringify({ migrated: true, database: database.kind }) : `Migrated (${database.kind}).`);
      return 0;
    }
    case "shops": {
      const rows = await db
        .select({
          id: shops.id,
          platform: shops.platform,
          domain: shops.domain,
          installedAt: shops.installedAt,
          uninstalledAt: shops.uninstalledAt,
          lastSyncAt: shops.lastSyncAt,
          fromAddress: shops.fromAddress,
        })
        .from(shops)
        .orderBy(shops.id);
      const counts = await db.select({ shopId: orders.shopId, n: count() }).from(orders).groupBy(orders.shopId);
      const byShop = new Map(counts.map((c) => [c.shopId, c.n]));
      print(
        out,
        rows.map(({ fromAddress, ...r }) => ({ ...r, fromAddressSet: fromAddress !== null, orders: byShop.get(r.id) ?? 0 })),
        ["id", "platform", "domain", "orders", "fromAddressSet", "lastSyncAt", "uninstalledAt"],
      );
      return 0;
    }
    case "orders": {
      const shop = await requireShop(values.shop, platform);
      const where = values.all ? eq(orders.shopId, shop.id) : and(eq(orders.shopId, shop.id), eq(orders.status, "to_ship"), isNull(orders.removedAt));
      const rows = await db
        .select({
          id: orders.id,
          number: orders.number,
          platformOrderId: orders.platformOrderId,
          placedAt: orders.placedAt,
          status: orders.status,
          financialStatus: orders.financialStatus,
          customer: orders.customerName,
          postcode: orders.shipPostcode,
          city: orders.shipCity,
          country: orders.shipCountry,
          items: orders.itemCount,
          weightGrams: orders.weightGrams,
          removed: orders.removedAt,
        })
        .from(orders)
        .where(where)
        .orderBy(desc(orders.placedAt), desc(orders.id));
      print(out, rows.map((r) => ({ ...r, removed: r.removed !== null })), ["number", "placedAt", "status", "customer", "postcode", "city", "country", "items", "weightGrams", "removed"]);
      return 0;
    }
    case "sync": {
      const shop = await requireShop(values.shop, platform);
      if (env.demo) {
        const { startDemoFakes } = await import("../../test/demo/fakes");
        await startDemoFakes();
      }
      const { platformFor } = await import("../platforms/registry.server");
      const result = await syncShop({ db, platform: platformFor(shop.platform), clock: systemClock, encryptionKey: env.ENCRYPTION_KEY }, shop.id);
      console.log(out.json ? JSON.stringify({ shop: shop.domain, ...result }) : `Synced ${shop.domain}: ${JSON.stringify(result)}`);
      return result.status === "done" ? 0 : 1;
    }
    case "jobs": {
      const boss = createBoss(database);
      await boss.start();
      try {
        const rows: Record<string, unknown>[] = [];
        for (const queue of Object.values(QUEUES)) {
          const jobs = await boss.findJobs<Record<string, unknown>>(queue, { limit: 1000 });
          for (const j of jobs) {
            if (values.failed && j.state !== "failed") continue;
            rows.push({
              id: j.id,
              queue,
              state: j.state,
              data: j.data,
              retryCount: j.retryCount,
              createdOn: j.createdOn,
              completedOn: j.completedOn,
              output: j.output,
            });
          }
        }
        rows.sort((a, b) => (b.createdOn as Date).getTime() - (a.createdOn as Date).getTime());
        print(out, rows, ["id", "queue", "state", "data", "retryCount", "createdOn", "output"]);
      } finally {
        await boss.stop({ graceful: false });
      }
      return 0;
    }
    case "shipments": {
      const shop = await requireShop(values.shop, platform);
      const { rows } = await listShipments(db, shop.id, { limit: 1000 });
      print(
        out,
        rows.map((r) => ({
          orderNumber: r.orderNumber,
          service: r.service,
          colli: r.colli,
          waybill: r.trackingNumber,
          trackingUrl: r.trackingUrl,
          status: r.status,
          parcel: r.parcelStatus,
          parcelAt: r.parcelStatusAt ?? r.createdAt,
          environment: r.environment,
          writtenBack: r.writebackState === "done",
          writebackError: r.writebackError,
          createdAt: r.createdAt,
        })),
        ["orderNumber", "service", "colli", "waybill", "status", "parcel", "environment", "writtenBack", "trackingUrl"],
      );
      return 0;
    }
    case "label": {
      const shop = await requireShop(values.shop, platform);
      if (!values.order) throw new UsageError("--order <number> is required");
      const wanted = values.order.startsWith("#") ? values.order : `#${values.order}`;
      const [order] = await db
        .select()
        .from(orders)
        .where(and(eq(orders.shopId, shop.id), or(eq(orders.number, values.order), eq(orders.number, wanted))));
      if (!order) throw new UsageError(`No order ${values.order} in ${shop.domain}`);
      const conn = await getCarrierConnection(db, shop.id);
      if (!conn) throw new UsageError(`${shop.domain} has no carrier connection (Instellingen → Vervoerder)`);
      // No options: the shop's shipping rules choose (Verzendregels); any option given: those, the rest from the defaults.
      const byRules = !values.colli && !values.format && !values.service;
      const colli = values.colli ? Number(values.colli) : 1;
      const packageType = (values.format ?? conn.defaultPackageType) as PackageType;
      const service = values.service ?? conn.defaultService ?? conn.services[0]?.code ?? null;
      if (!service) throw new UsageError("--service <code> is required (no default service)");
      if (env.demo) {
        const { startDemoFakes } = await import("../../test/demo/fakes");
        await startDemoFakes();
      }
      // Workers in this process too, so the command finishes even when no server runs; other workers may take jobs as well.
      const { getRuntime, labelDeps } = await import("../runtime.server");
      const rt = await getRuntime({ workers: true });
      {
        // Idempotent: an order that has a label already (or one under way) shows that one; nothing is bought again.
        const [existing] = await labelStateForOrders(db, shop.id, [order.id]);
        const live = existing && existing.state !== "rejected" && existing.state !== "failed";
        let requestId: number;
        let joined = false;
        if (live) {
          const [req] = await db.select({ id: labelRequests.id }).from(labelRequests).where(and(eq(labelRequests.orderId, order.id), eq(labelRequests.state, existing.state)));
          requestId = req!.id;
          joined = true;
        } else {
          const r = await requestLabels(labelDeps(rt), shop.id, { orderIds: [order.id], ...(byRules ? {} : { options: { service, colli, packageType } }), source: "cli" });
          if (!r.ok) throw new UsageError(`Cannot create a label: ${r.reason}${r.detail ? ` (${r.detail})` : ""}`);
          if (r.skipped.length) throw new UsageError(`The shipping rule "${r.skipped[0]!.rule}" makes no label for ${order.number}`);
          if (r.refused.length) {
            const x = r.refused[0]!.refusal;
            throw new UsageError(`Refused before any carrier call: ${x.parcelGrams} g per parcel is more than ${x.service} takes (${x.limitGrams} g)`);
          }
          if (r.incomplete.length) throw new UsageError(`Address incomplete for the carrier: ${r.incomplete[0]!.missing.join(", ")}`);
          if (r.notAllowed.length) throw new UsageError(`Order ${order.number} is not to ship (${order.status})`);
          requestId = (r.queued[0] ?? r.alreadyRequested[0])!.labelRequestId;
          joined = r.alreadyRequested.length > 0;
        }
        const deadline = Date.now() + Number(values.timeout) * 1000;
        for (;;) {
          const [state] = await labelStateForOrders(db, shop.id, [order.id]);
          const settled =
            state && (state.state === "rejected" || state.state === "failed" || (state.state === "created" && state.writebackState !== "pending"));
          if (settled || Date.now() > deadline) {
            const result = { order: order.number, labelRequestId: requestId, ...state, joinedExisting: joined, timedOut: !settled };
            console.log(out.json ? JSON.stringify(result) : Object.entries(result).map(([k, v]) => `${k}: ${v ?? ""}`).join("\n"));
            return settled && state.state === "created" && state.writebackState === "done" ? 0 : 1;
          }
          await new Promise((res) => setTimeout(res, 250));
        }
      }
    }
    default:
      throw new UsageError(`Unknown command: ${command}`);
  }
}

