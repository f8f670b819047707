// The demo as `npm run dev` runs it (server.ts, embedded database, the fakes in-process), started twice on the same data
// directory: "Nieuwe testbestelling" → listed → label → written back, then a restart, after which the label made before
// still downloads, the shop still has its orders, and the next label gets a new tracking number. Plain HTTP, no browser.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");
const dataDir = mkdtempSync(path.join(tmpdir(), "koppel-demo-restart-"));
const port = 20000 + Math.floor(Math.random() * 20000);
const baseUrl = `http://127.0.0.1:${port}`;
let child: ChildProcess | undefined;
let output = "";

/** The .env.example values the demo runs with, on this test's data directory and port. */
function demoEnv(): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { PATH: process.env.PATH };
  for (const line of readFileSync(path.join(ROOT, ".env.example"), "utf8").split("\n")) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (m) env[m[1]!] = m[2]!;
  }
  return { ...env, PGLITE_DIR: path.join(dataDir, "pgdata"), PORT: String(port), APP_URL: baseUrl, KOPPEL_DEMO: "1", LOG_LEVEL: "error" };
}

async function startDemo() {
  output = "";
  const c = spawn(path.join(ROOT, "node_modules/.bin/node"), ["--import", "tsx", "server.ts"], { cwd: ROOT, env: demoEnv() as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"] });
  child = c;
  c.stdout!.on("data", (b: Buffer) => (output += b.toString()));
  c.stderr!.on("data", (b: Buffer) => (output += b.toString()));
  for (let i = 0; i < 240; i++) {
    if (output.includes("Koppel demo is running")) return;
    if (c.exitCode !== null) throw new Error(`demo exited: ${output}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`demo did not start: ${output}`);
}

async function stopDemo() {
  const c = child;
  if (!c || c.exitCode !== null) return;
  const exited = new Promise((r) => c.once("exit", r));
  c.kill("SIGTERM");
  await exited;
}

let cookie = "";
const get = (p: string) => fetch(`${baseUrl}${p}`, { headers: { cookie }, redirect: "manual" });
const post = (p: string, form: Record<string, string | string[]>) => {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(form)) for (const x of [v].flat()) body.append(k, x);
  return fetch(`${baseUrl}${p}`, { method: "POST", headers: { cookie, "content-type": "application/x-www-form-urlencoded" }, body, redirect: "manual" });
};
const carrierState = () => JSON.parse(readFileSync(path.join(dataDir, "demo-fakes/carrier.json"), "utf8")) as { shipments: { read: { invoiceReference: string; labels: { waybill: string }[] } }[] };
const shopifyOrders = () =>
  (JSON.parse(readFileSync(path.join(dataDir, "demo-fakes/shopify.json"), "utf8")) as { shops: { orders: { name: string; fulfillmentStatus: string }[] }[] }).shops[0]!.orders;

async function eventually<T>(read: () => T | Promise<T>, ok: (v: T) => boolean, what: string): Promise<T> {
  for (let i = 0; i < 120; i++) {
    const v = await read();
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** "Nieuwe testbestelling" from the demo page; returns the order's name ("#1026"). */
async function newTestOrder(): Promise<string> {
  const res = await post("/demo/new-order", {});
  expect(res.status).toBe(302);
  const to = new URL(res.headers.get("location")!, baseUrl);
  expect(to.searchParams.get("status")).toBe("200");
  return to.searchParams.get("newOrder")!;
}

/** The order list's id of an order (searched by number), once the webhook's import ran. */
async function orderIdOf(number: string): Promise<string> {
  const text = await eventually(
    async () => (await get(`/app.data?q=${encodeURIComponent(number.replace("#", ""))}`)).text(),
    (t) => t.includes(`"${number}"`),
    `${number} in the list`,
  );
  const tokens = text.split(",");
  const at = tokens.indexOf('"id"');
  return JSON.parse(tokens[at + 1]!) as string;
}

async function labelAndWriteBack(number: string) {
  const id = await orderIdOf(number);
  const res = await post("/app.data?index", { intent: "create-labels", ids: id, service: "postnl-standard", colli: "1", packageType: "package" });
  expect(res.status).toBe(200);
  await eventually(shopifyOrders, (orders) => orders.find((o) => o.name === number)?.fulfillmentStatus === "FULFILLED", `${number} written back`);
  return carrierState().shipments.find((s) => s.read.invoiceReference === number)!.read.labels[0]!.waybill;
}

async function downloadToken(): Promise<string> {
  const text = await (await get("/app/shipments.data")).text();
  return /"downloadToken","([^"]+)"/.exec(text)![1]!;
}

beforeAll(async () => {
  await startDemo();
  const login = await get("/demo/login");
  cookie = login.headers.get("set-cookie")!.split(";")[0]!;
  const setup = await post("/app/setup", { company: "Demo BV", contactName: "Demi Bakker", street: "Oudegracht", houseNumber: "1", postcode: "3511 AB", city: "Utrecht", country: "NL", phone: "0301234567", email: "demi@example.nl" });
  expect(setup.status).toBe(302);
});
afterAll(async () => {
  await stopDemo();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("the demo across a restart", () => {
  it("Nieuwe testbestelling is listed, labelled and written back; after a restart its label still downloads and numbers go on", async () => {
    const first = await newTestOrder();
    const firstWaybill = await labelAndWriteBack(first);
    const before = await get(`/app/shipments/pdf?ids=1&format=A6&dt=${await downloadToken()}`);
    expect(before.status).toBe(200);
    const ordersBefore = shopifyOrders().length;

    await stopDemo();
    await startDemo();

    const after = await get(`/app/shipments/pdf?ids=1&format=A6&dt=${await downloadToken()}`);
    expect(after.status).toBe(200);
    expect(after.headers.get("content-type")).toContain("application/pdf");
    expect(Buffer.from(await after.arrayBuffer()).subarray(0, 5).toString("latin1")).toBe("%PDF-");
    // The shop was not seeded again, and the next order and label get new numbers.
    expect(shopifyOrders()).toHaveLength(ordersBefore);
    const second = await newTestOrder();
    expect(second).not.toBe(first);
    const secondWaybill = await labelAndWriteBack(second);
    expect(secondWaybill).not.toBe(firstWaybill);
  });
});
