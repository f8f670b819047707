// FakeCarrier: in-memory Boekuwzending for any number of accounts, speaking the HTTP API Koppel uses.
// Transport-free: `handle()` maps a request to a response; index.ts serves it on a loopback HTTP server.
import { createHmac, randomBytes, randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { concatPdfs, renderLabelsPdf, type LabelPdfInput } from "./label-pdf";
import { phpJsonEncode } from "./php-json";
import { isObj } from "../shared/json";
import type {
  FakeAccountInput,
  FakeCarrierRequest,
  FakeFailure,
  FakeItem,
  FakeLabel,
  FakeParty,
  FakeRate,
  FakeRequestMatcher,
  FakeResponse,
  FakeService,
  FakeShipmentRead,
  FakeShipmentRequest,
  FakeCarrierState,
  FakeTrackEvent,
  FakeWebhook,
  FakeWebhookDelivery,
  StoredShipment,
} from "./types";

/**
 * A plausible default service set. Real service codes are per account (what Boekuwzending enabled for the
 * merchant) and are only discoverable through POST /rate-request; these are made up in that style.
 */
export const DEFAULT_SERVICES: FakeService[] = [
  { code: "postnl-standard", description: "PostNL Pakket", basePrice: 6.25 },
  { code: "postnl-mailbox", description: "PostNL Brievenbuspakje", basePrice: 3.95 },
  { code: "dpd-classic", description: "DPD Classic", basePrice: 5.75 },
  { code: "dhl-parcel", description: "DHL Parcel", basePrice: 5.95 },
];

export const ITEM_TYPES = ["envelop", "document", "package", "pallet-euro", "pallet-block", "pallet-mini", "pallet-other"] as const;
export const TRANSPORT_TYPES = ["road_transport", "sea_freight", "air_freight"] as const;
/** Colli per shipment (sum of item quantities). The real limit is unconfirmed; Koppel's port says 1–10. */
export const MAX_COLLI = 10;
export const DUTCH_POSTCODE = /^[1-9][0-9]{3} ?[A-Za-z]{2}$/;
/** Destinations the fake lets go without a postcode (Ireland's Eircode is optional; HK, MO, AE, QA have none). */
export const POSTCODE_OPTIONAL: ReadonlySet<string> = new Set(["IE", "HK", "MO", "AE", "QA"]);
export const DEFAULT_PAGE_SIZE = 30;
export const MAX_PAGE_SIZE = 100;
const VAT = 0.21;

export type FakeCarrierOptions = {
  accounts?: FakeAccountInput[];
  /** Token lifetime in seconds (the real one is unconfirmed). */
  tokenTtlSeconds?: number;
  /** Clock in ms since epoch, for token expiry and createdAt. */
  now?: () => number;
  /** Seed for failRate's pseudo-random generator. */
  seed?: number;
  /**
   * A JSON file the fake keeps its shipments, label statuses, webhooks and counters in (written after every change,
   * read at start): a fake started again on the same file still serves old labels and never repeats a number.
   */
  stateFile?: string;
  /** How label-update webhooks are sent (default: global fetch). */
  fetch?: typeof fetch;
};

/** Boekuwzending's label statuses (docs /api/labels/), with a code and the Dutch text the fake gives them. */
export const LABEL_STATUSES: Readonly<Record<string, { code: string; description: string }>> = Object.freeze({
  created: { code: "01", description: "Label aangemaakt" },
  scanned: { code: "02", description: "Zending gescand door de vervoerder" },
  in_transit: { code: "03", description: "Zending is onderweg" },
  at_customs: { code: "04", description: "Zending is bij de douane" },
  delivered: { code: "05", description: "Zending is afgeleverd" },
  at_pickup_point: { code: "06", description: "Zending ligt klaar bij het afhaalpunt" },
  picked_up: { code: "07", description: "Zending is opgehaald bij het afhaalpunt" },
  rejected: { code: "08", description: "Zending is geweigerd" },
  return_in_transit: { code: "09", description: "Zending gaat retour" },
  return_delivered: { code: "10", description: "Retourzending is afgeleverd bij de afzender" },
  missing: { code: "11", description: "Zending is vermist" },
  canceled: { code: "12", description: "Label is geannuleerd" },
});
export const WEBHOOK_EVENTS = ["label-create", "label-update", "shipment-create", "shipment-update"] as const;

type Account = { clientId: string; clientSecret: string; services: FakeService[] };
type Token = { clientId: string; expiresAt: number };
type Violation = { propertyPath: string; message: string };
type Rule =
  | { kind: "fail"; remaining: number; failure: FakeFailure; match: FakeRequestMatcher }
  | { kind: "hang"; remaining: number; match: FakeRequestMatcher }
  | { kind: "rate"; rate: number; failure: FakeFailure; match: FakeRequestMatcher }
  | { kind: "when"; failure: FakeFailure; match: FakeRequestMatcher };

/** What the server should do with a request. */
export type FakeOutcome = { kind: "respond"; response: FakeResponse } | { kind: "hang" };

const notToken: FakeRequestMatcher = (req) => !(req.method === "POST" && req.path === "/token");

function json(status: number, body: unknown, headers: Record<string, string> = {}): FakeResponse {
  return { status, headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) };
}

/**
 * API Platform / Symfony validation error shape. Unconfirmed for Boekuwzending (its OpenAPI documents 422 without a
 * body schema); the adapter reads `detail`, `violations`, `title`, `message` and OAuth `error_description` alike.
 */
function violationBody(status: number, violations: Violation[]) {
  return {
    type: "https://tools.ietf.org/html/rfc2616#section-10",
    title: "An error occurred",
    detail: violations.map((v) => (v.propertyPath ? `${v.propertyPath}: ${v.message}` : v.message)).join("\n"),
    status,
    violations,
  };
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const blank = (v: unknown) => v === undefined || v === null || (typeof v === "string" && v.trim() === "");

export class FakeCarrier {
  readonly tokenTtlSeconds: number;
  private readonly now: () => number;
  private readonly seed: number;
  private accounts = new Map<string, Account>();
  private tokens = new Map<string, Token>();
  private store = new Map<string, StoredShipment>();
  private labelIndex = new Map<string, { shipmentId: string; index: number }>();
  private pdfCache = new Map<string, Uint8Array>();
  private rules: Rule[] = [];
  private random: () => number;
  private latencyMs = 0;
  private counters = { token: 0, create: 0, requests: 0 };
  private nextSequence = 1000001;
  private nextWaybill = 100000001;
  private createdSeq = 0;
  private log: { method: string; path: string; status: number | "hang" }[] = [];
  private labelEvents = new Map<string, FakeTrackEvent[]>();
  private webhooks: FakeWebhook[] = [];
  private webhookLog: FakeWebhookDelivery[] = [];
  private sendWebhooks = true;
  private readonly stateFile: string | undefined;
  private readonly doFetch: typeof fetch;

  constructor(opts: FakeCarrierOptions = {}) {
    this.tokenTtlSeconds = opts.tokenTtlSeconds ?? 3600;
    this.now = opts.now ?? Date.now;
    this.seed = opts.seed ?? 42;
    this.random = mulberry32(this.seed);
    this.stateFile = opts.stateFile;
    this.doFetch = opts.fetch ?? ((input, init) => fetch(input, init));
    for (const a of opts.accounts ?? []) this.addAccount(a);
    if (this.stateFile && existsSync(this.stateFile)) this.load(JSON.parse(readFileSync(this.stateFile, "utf8")) as FakeCarrierState);
  }

  // -- state file --------------------------------------------------------------------------------------------------

  private load(state: FakeCarrierState): void {
    this.nextSequence = state.nextSequence;
    this.nextWaybill = state.nextWaybill;
    this.createdSeq = state.createdSeq;
    for (const s of state.shipments) {
      this.store.set(s.read.id, s);
      s.read.labels.forEach((l, index) => this.labelIndex.set(l.id, { shipmentId: s.read.id, index }));
    }
    for (const [id, events] of Object.entries(state.labelEvents)) this.labelEvents.set(id, events);
    this.webhooks = state.webhooks;
  }

  /** Written after every change: a temp file renamed over the old one, so a crash never leaves half a file. */
  private save(): void {
    if (!this.stateFile) return;
    const state: FakeCarrierState = {
      version: 1,
      nextSequence: this.nextSequence,
      nextWaybill: this.nextWaybill,
      createdSeq: this.createdSeq,
      shipments: [...this.store.values()],
      labelEvents: Object.fromEntries(this.labelEvents),
      webhooks: this.webhooks,
    };
    mkdirSync(path.dirname(this.stateFile), { recursive: true });
    const tmp = `${this.stateFile}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(state));
    renameSync(tmp, this.stateFile);
  }

  // -- setup & switches --------------------------------------------------------------------------------------------

  addAccount(input: FakeAccountInput): void {
    this.accounts.set(input.clientId, { clientId: input.clientId, clientSecret: input.clientSecret, services: input.services ?? DEFAULT_SERVICES });
  }

  /** Delay before every answer (ms). */
  setLatency(ms: number): void {
    this.latencyMs = ms;
  }
  latency(): number {
    return this.latencyMs;
  }

  /** The next `n` matching requests fail with `failure` (default matcher: all but POST /token). */
  failNext(n: number, failure: FakeFailure, match: FakeRequestMatcher = notToken): void {
    this.rules.push({ kind: "fail", remaining: n, failure, match });
  }

  /** A fraction of matching requests fails, decided by a seeded pseudo-random generator (deterministic per seed). */
  failRate(rate: number, failure: FakeFailure, match: FakeRequestMatcher = notToken): void {
    this.rules.push({ kind: "rate", rate, failure, match });
  }

  /** Every request the predicate picks fails until reset(). */
  failWhen(match: FakeRequestMatcher, failure: FakeFailure): void {
    this.rules.push({ kind: "when", failure, match });
  }

  /** The next `n` matching requests never get an answer (the client has to time out). */
  timeoutNext(n: number, match: FakeRequestMatcher = notToken): void {
    this.rules.push({ kind: "hang", remaining: n, match });
  }

  /** Drop every failure/latency switch, keep accounts, tokens and shipments (the outage is over). */
  clearFailures(): void {
    this.rules = [];
  }

  /** Expire every issued token now (API calls with them get 401). */
  expireTokens(): void {
    this.tokens.clear();
  }

  /** Forget shipments, tokens, switches and counters; accounts stay. */
  reset(): void {
    this.tokens.clear();
    this.labelEvents.clear();
    this.webhooks = [];
    this.webhookLog = [];
    this.sendWebhooks = true;
    this.store.clear();
    this.labelIndex.clear();
    this.pdfCache.clear();
    this.rules = [];
    this.random = mulberry32(this.seed);
    this.latencyMs = 0;
    this.counters = { token: 0, create: 0, requests: 0 };
    this.log = [];
    this.save();
  }

  // -- parcels: statuses, label-update webhooks --------------------------------------------------------------------

  /** `false`: label updates are recorded but no webhook is sent (the webhooks that never came). */
  setWebhooksEnabled(on: boolean): void {
    this.sendWebhooks = on;
  }
  /** Webhooks registered with POST /webhooks. */
  registeredWebhooks(clientId?: string): readonly FakeWebhook[] {
    return this.webhooks.filter((w) => clientId === undefined || w.clientId === clientId);
  }
  /** Label-update webhooks sent, oldest first. */
  webhookDeliveries(): readonly FakeWebhookDelivery[] {
    return this.webhookLog;
  }
  /** A label's statuses, oldest first. */
  labelHistory(labelIdOrWaybill: string): readonly FakeTrackEvent[] {
    const at = this.findLabel(labelIdOrWaybill);
    return at ? (this.labelEvents.get(at.label.id) ?? []) : [];
  }

  private findLabel(labelIdOrWaybill: string): { shipment: StoredShipment; label: FakeLabel } | null {
    const byId = this.labelIndex.get(labelIdOrWaybill);
    if (byId) {
      const shipment = this.store.get(byId.shipmentId)!;
      return { shipment, label: shipment.read.labels[byId.index]! };
    }
    for (const shipment of this.store.values()) {
      const label = shipment.read.labels.find((l) => l.waybill === labelIdOrWaybill);
      if (label) return { shipment, label };
    }
    return null;
  }

  /**
   * Move a parcel along: the label gets `status` (Boekuwzending's names: scanned, in_transit, delivered, …) now (or
   * `opts.at`), and every label-update webhook its account registered is sent, signed as Boekuwzending signs them.
   * Resolves when the webhooks were answered.
   */
  async advanceLabel(labelIdOrWaybill: string, status: string, opts: { at?: Date; description?: string } = {}): Promise<FakeWebhookDelivery[]> {
    const at = this.findLabel(labelIdOrWaybill);
    if (!at) throw new Error(`The fake carrier has no label ${labelIdOrWaybill}`);
    const known = LABEL_STATUSES[status];
    if (!known) throw new Error(`Unknown label status ${status}`);
    const event: FakeTrackEvent = { status, code: known.code, description: opts.description ?? known.description, date: atomDate(opts.at ?? new Date(this.now())) };
    const history = [...(this.labelEvents.get(at.label.id) ?? this.initialHistory(at.shipment)), event];
    this.labelEvents.set(at.label.id, history);
    at.label.status = status;
    this.save();
    if (!this.sendWebhooks) return [];
    const hooks = this.webhooks.filter((w) => w.clientId === at.shipment.clientId && w.event === "label-update");
    const out: FakeWebhookDelivery[] = [];
    for (const hook of hooks) out.push(await this.deliver(hook, at.shipment, at.label, history));
    return out;
  }

  /** The signed envelope {data, meta: {hmac}} of one label update (contract A: webhooks, plugin envelope). */
  signedLabelUpdate(clientId: string, label: FakeLabel, history: readonly FakeTrackEvent[], eventId: string = randomUUID()): string {
    const phpDate = (iso: string) => ({ date: amsterdamWallClock(new Date(iso)), timezone_type: 3, timezone: "Europe/Amsterdam" });
    const item = (e: FakeTrackEvent) => ({ status: e.status, code: e.code, description: e.description, date: phpDate(e.date) });
    const active = history[history.length - 1]!;
    const data = {
      id: eventId,
      event: "webhook-label-update",
      date: phpDate(new Date(this.now()).toISOString()),
      payload: { reference: label.reference, waybill: label.waybill, active: item(active), details: history.map(item) },
    };
    return this.signLabelWebhookBytes(clientId, phpJsonEncode(data));
  }

  /**
   * The envelope PHP's json_encode(['data' => $data, 'meta' => ['hmac' => …]]) makes around `dataBytes` (already
   * json_encode($data)), signed as Boekuwzending signs: hex HMAC-SHA256 of those bytes keyed clientId . clientSecret.
   */
  signLabelWebhookBytes(clientId: string, dataBytes: string): string {
    const account = this.accounts.get(clientId);
    if (!account) throw new Error(`No account ${clientId}`);
    const hmac = createHmac("sha256", account.clientId + account.clientSecret).update(dataBytes, "utf8").digest("hex");
    return `{"data":${dataBytes},"meta":{"hmac":"${hmac}"}}`;
  }

  private async deliver(hook: FakeWebhook, shipment: StoredShipment, label: FakeLabel, history: readonly FakeTrackEvent[]): Promise<FakeWebhookDelivery> {
    const eventId = randomUUID();
    const body = this.signedLabelUpdate(shipment.clientId, label, history, eventId);
    let status: number | "error";
    try {
      const res = await this.doFetch(hook.url, { method: "POST", headers: { "content-type": "application/json", "user-agent": "Boekuwzending-Webhooks" }, body, signal: AbortSignal.timeout(10_000) });
      await res.arrayBuffer();
      status = res.status;
    } catch {
      status = "error";
    }
    const d = { webhookId: hook.id, url: hook.url, eventId, status, body };
    this.webhookLog.push(d);
    return d;
  }

  private initialHistory(s: StoredShipment): FakeTrackEvent[] {
    const created = LABEL_STATUSES.created!;
    return [{ status: "created", code: created.code, description: created.description, date: atomDate(new Date(s.read.createdAt)) }];
  }

  // -- inspection --------------------------------------------------------------------------------------------------

  tokenRequests(): number {
    return this.counters.token;
  }
  /** POST /shipments requests received (including rejected and failed ones). */
  createCalls(): number {
    return this.counters.create;
  }
  requestCount(): number {
    return this.counters.requests;
  }
  requestLog(): readonly { method: string; path: string; status: number | "hang" }[] {
    return this.log;
  }
  /** Created shipments, oldest first, with the request body as received. */
  shipments(clientId?: string): StoredShipment[] {
    return [...this.store.values()].filter((s) => clientId === undefined || s.clientId === clientId);
  }
  shipment(id: string): StoredShipment | undefined {
    return this.store.get(id);
  }

  // -- request handling --------------------------------------------------------------------------------------------

  /** Decide the answer; never throws. */
  async handle(req: FakeCarrierRequest): Promise<FakeOutcome> {
    this.counters.requests++;
    if (req.method === "POST" && req.path === "/shipments") this.counters.create++;
    if (req.method === "POST" && req.path === "/token") this.counters.token++;
    let outcome: FakeOutcome;
    try {
      outcome = this.injected(req) ?? { kind: "respond", response: await this.route(req) };
    } catch (err) {
      outcome = { kind: "respond", response: json(500, { title: "Internal Server Error", detail: String(err) }) };
    }
    this.log.push({ method: req.method, path: req.path, status: outcome.kind === "hang" ? "hang" : outcome.response.status });
    if (this.log.length > 10_000) this.log.splice(0, 5_000);
    return outcome;
  }

  private injected(req: FakeCarrierRequest): FakeOutcome | null {
    for (const rule of this.rules) {
      if (!rule.match(req)) continue;
      switch (rule.kind) {
        case "fail":
        case "hang":
          if (rule.remaining <= 0) continue;
          rule.remaining--;
          if (rule.kind === "hang") return { kind: "hang" };
          return { kind: "respond", response: this.failureResponse(rule.failure) };
        case "rate":
          if (this.random() < rule.rate) return { kind: "respond", response: this.failureResponse(rule.failure) };
          continue;
        case "when":
          return { kind: "respond", response: this.failureResponse(rule.failure) };
      }
    }
    this.rules = this.rules.filter((r) => !((r.kind === "fail" || r.kind === "hang") && r.remaining <= 0));
    return null;
  }

  private failureResponse(f: FakeFailure): FakeResponse {
    const headers: Record<string, string> = {};
    if (f.retryAfterSeconds !== undefined) headers["retry-after"] = String(f.retryAfterSeconds);
    const titles: Record<number, string> = { 429: "Too Many Requests", 500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable" };
    const body = f.body ?? { title: titles[f.status] ?? "Error", detail: titles[f.status] ?? "Error", status: f.status };
    return typeof body === "string" ? { status: f.status, headers: { "content-type": "text/html", ...headers }, body } : json(f.status, body, headers);
  }

  private async route(req: FakeCarrierRequest): Promise<FakeResponse> {
    const { method, path } = req;
    if (path === "/token") return method === "POST" ? this.token(req) : json(405, { title: "Method Not Allowed" });
    // The fake's own control surface (not Boekuwzending's API): move a parcel along, as a test or the demo asks.
    const control = /^\/_fake\/labels\/([^/]+)\/status$/.exec(path);
    if (control && method === "POST") return this.controlAdvance(control[1]!, req);
    const clientId = this.authenticate(req);
    if (typeof clientId !== "string") return clientId;

    if (method === "POST" && path === "/rate-request") return this.rateRequest(req, clientId);
    if (method === "POST" && path === "/shipments") return this.createShipment(req, clientId);
    if (method === "GET" && path === "/shipments") return this.listShipments(req, clientId);
    if (method === "GET" && path === "/labels/download-shipments") return this.downloadShipments(req, clientId);
    if (method === "POST" && path === "/webhooks") return this.registerWebhook(req, clientId);
    if (method === "GET" && path === "/webhooks") return json(200, this.registeredWebhooks(clientId).map(({ clientId: _c, ...w }) => w));
    const tt = /^\/track-and-trace\/([^/]+)$/.exec(path);
    if (tt && method === "GET") return this.trackAndTrace(decodeURIComponent(tt[1]!), clientId);
    let m = /^\/shipments\/([^/]+)$/.exec(path);
    if (m && method === "GET") {
      const s = this.owned(m[1]!, clientId);
      return s ? json(200, s.read) : notFound();
    }
    m = /^\/shipments\/([^/]+)\/labels$/.exec(path);
    if (m && method === "GET") {
      const s = this.owned(m[1]!, clientId);
      return s ? json(200, s.read.labels) : notFound();
    }
    m = /^\/shipments\/([^/]+)\/labels\/download$/.exec(path);
    if (m && method === "GET") {
      const s = this.owned(m[1]!, clientId);
      return s ? pdf(await this.shipmentPdf(s)) : notFound();
    }
    m = /^\/labels\/([^/]+)$/.exec(path);
    if (m && method === "GET") {
      const at = this.labelIndex.get(m[1]!);
      const s = at && this.owned(at.shipmentId, clientId);
      return s ? json(200, s.read.labels[at.index]) : notFound();
    }
    return notFound();
  }

  private registerWebhook(req: FakeCarrierRequest, clientId: string): FakeResponse {
    const body = parseJson(req.body);
    if (!isObj(body)) return malformed();
    const v: Violation[] = [];
    if (typeof body.url !== "string" || !/^https?:\/\/\S+$/.test(body.url)) v.push({ propertyPath: "url", message: "This value is not a valid URL." });
    if (!(WEBHOOK_EVENTS as readonly unknown[]).includes(body.event)) v.push({ propertyPath: "event", message: "The value you selected is not a valid choice." });
    if (v.length) return json(422, violationBody(422, v));
    const hook: FakeWebhook = { id: randomUUID(), clientId, url: body.url as string, integration: typeof body.integration === "string" ? body.integration : null, event: body.event as string };
    this.webhooks.push(hook);
    this.save();
    const { clientId: _c, ...read } = hook;
    return json(201, read);
  }

  private trackAndTrace(labelId: string, clientId: string): FakeResponse {
    const at = this.labelIndex.get(labelId);
    const s = at && this.owned(at.shipmentId, clientId);
    if (!s) return notFound();
    const history = this.labelEvents.get(labelId) ?? this.initialHistory(s);
    const last = history[history.length - 1]!;
    const distributor = /^postnl/.test(s.read.service) ? { name: "PostNL", code: "postnl" } : /^dpd/.test(s.read.service) ? { name: "DPD", code: "dpd" } : /^dhl/.test(s.read.service) ? { name: "DHL", code: "dhl" } : null;
    return json(200, { active: last, details: history, distributor });
  }

  private async controlAdvance(labelIdOrWaybill: string, req: FakeCarrierRequest): Promise<FakeResponse> {
    const body = parseJson(req.body);
    const status = isObj(body) && typeof body.status === "string" ? body.status : "";
    if (!LABEL_STATUSES[status]) return json(422, violationBody(422, [{ propertyPath: "status", message: `One of: ${Object.keys(LABEL_STATUSES).join(", ")}` }]));
    if (!this.findLabel(decodeURIComponent(labelIdOrWaybill))) return notFound();
    const deliveries = await this.advanceLabel(decodeURIComponent(labelIdOrWaybill), status);
    return json(200, { status, webhooks: deliveries.map((d) => ({ url: d.url, status: d.status })) });
  }

  private token(req: FakeCarrierRequest): FakeResponse {
    const ct = String(req.headers["content-type"] ?? "");
    const form = new URLSearchParams(ct.includes("application/x-www-form-urlencoded") ? req.body : "");
    if (form.get("grant_type") !== "client_credentials") {
      return json(400, { error: "unsupported_grant_type", error_description: "The authorization grant type is not supported by the authorization server." });
    }
    const account = this.accounts.get(form.get("client_id") ?? "");
    if (!account || account.clientSecret !== form.get("client_secret")) {
      return json(401, { error: "invalid_client", error_description: "Client authentication failed" });
    }
    const access_token = randomBytes(24).toString("base64url");
    this.tokens.set(access_token, { clientId: account.clientId, expiresAt: this.now() + this.tokenTtlSeconds * 1000 });
    return json(200, { access_token, token_type: "Bearer", expires_in: this.tokenTtlSeconds });
  }

  /** clientId of a valid bearer token, or the 401 answer (Lexik JWT style body). */
  private authenticate(req: FakeCarrierRequest): string | FakeResponse {
    const header = String(req.headers["authorization"] ?? "");
    const m = /^Bearer (.+)$/i.exec(header);
    if (!m) return json(401, { code: 401, message: "JWT Token not found" });
    const token = this.tokens.get(m[1]!);
    if (!token) return json(401, { code: 401, message: "Invalid JWT Token" });
    if (token.expiresAt <= this.now()) {
      this.tokens.delete(m[1]!);
      return json(401, { code: 401, message: "Expired JWT Token" });
    }
    return token.clientId;
  }

  private owned(id: string, clientId: string): StoredShipment | undefined {
    const s = this.store.get(id);
    return s && s.clientId === clientId ? s : undefined;
  }

  private rateRequest(req: FakeCarrierRequest, clientId: string): FakeResponse {
    const body = parseJson(req.body);
    if (body === undefined) return malformed();
    const items = isObj(body) && Array.isArray(body.items) ? (body.items as unknown[]) : [];
    const weight = items.reduce<number>((sum, it) => sum + (isObj(it) && typeof it.weight === "number" ? it.weight * (Number(it.quantity) || 1) : 0), 0);
    const account = this.accounts.get(clientId)!;
    return json(
      200,
      account.services.map((s) => {
        const price = Math.round((s.basePrice + Math.max(0, weight - 2) * 0.5) * 100) / 100;
        return { service: { code: s.code, description: s.description }, price, tax: Math.round(price * VAT * 100) / 100 } satisfies FakeRate;
      }),
    );
  }

  private validate(body: Record<string, unknown>, account: Account): Violation[] {
    const v: Violation[] = [];
    const party = (key: "shipTo" | "shipFrom", required: boolean) => {
      const p = body[key];
      if (p === undefined || p === null) {
        if (required) v.push({ propertyPath: key, message: "This value should not be blank." });
        return;
      }
      if (!isObj(p)) return v.push({ propertyPath: key, message: "This value should be of type object." });
      const contact = isObj(p.contact) ? p.contact : {};
      const address = isObj(p.address) ? p.address : {};
      if (blank(contact.name)) v.push({ propertyPath: `${key}.contact.name`, message: "This value should not be blank." });
      // The street line: street + number, or addressLine1 alone (the SDK made `number` optional in 2020-08, and `street`
      // nullable when it added `addressLine1` in 2020-12; the OpenAPI dump marks none of them required). Unconfirmed:
      // whether the real API takes a street without a number (the WooCommerce plugin sends one when it finds no
      // number) and which distributors refuse addressLine1-only addresses. The fake refuses a street without number, so
      // the adapter must send one of the two complete forms.
      if (blank(address.addressLine1) || !blank(address.street) || !blank(address.number)) {
        for (const f of ["street", "number"] as const) {
          if (blank(address[f])) v.push({ propertyPath: `${key}.address.${f}`, message: "This value should not be blank." });
        }
      }
      const country = address.country;
      // Countries without (common) postcodes may go without one. Unconfirmed which ones the API lets go.
      const postcodeOptional = typeof country === "string" && POSTCODE_OPTIONAL.has(country);
      for (const f of ["postcode", "city", "country"] as const) {
        if (f === "postcode" && postcodeOptional) continue;
        if (blank(address[f])) v.push({ propertyPath: `${key}.address.${f}`, message: "This value should not be blank." });
      }
      if (!blank(country) && !(typeof country === "string" && /^[A-Z]{2}$/.test(country))) {
        v.push({ propertyPath: `${key}.address.country`, message: "This value is not a valid country." });
      }
      if (country === "NL" && !blank(address.postcode) && !DUTCH_POSTCODE.test(String(address.postcode).trim())) {
        v.push({ propertyPath: `${key}.address.postcode`, message: "This value is not a valid postcode (expected 1234 AB)." });
      }
    };
    party("shipTo", true);
    party("shipFrom", false);

    const items = body.items;
    if (!Array.isArray(items) || items.length === 0) {
      v.push({ propertyPath: "items", message: "This collection should contain 1 element or more." });
    } else {
      let colli = 0;
      items.forEach((it, i) => {
        if (!isObj(it)) return v.push({ propertyPath: `items[${i}]`, message: "This value should be of type object." });
        if (!(ITEM_TYPES as readonly unknown[]).includes(it.type)) {
          v.push({ propertyPath: `items[${i}].type`, message: "The value you selected is not a valid choice." });
        }
        if (typeof it.quantity !== "number" || !Number.isInteger(it.quantity) || it.quantity < 1 || it.quantity > MAX_COLLI) {
          v.push({ propertyPath: `items[${i}].quantity`, message: `This value should be between 1 and ${MAX_COLLI}.` });
        } else colli += it.quantity;
        if (it.weight !== undefined && it.weight !== null && !(typeof it.weight === "number" && it.weight > 0)) {
          v.push({ propertyPath: `items[${i}].weight`, message: "This value should be positive." });
        }
      });
      if (colli > MAX_COLLI) v.push({ propertyPath: "items", message: `A shipment can have at most ${MAX_COLLI} colli.` });
    }
    if (blank(body.service)) v.push({ propertyPath: "service", message: "This value should not be blank." });
    else if (!account.services.some((s) => s.code === body.service)) {
      v.push({ propertyPath: "service", message: `Unknown service "${String(body.service)}" for this account.` });
    }
    if (body.transportType !== undefined && !(TRANSPORT_TYPES as readonly unknown[]).includes(body.transportType)) {
      v.push({ propertyPath: "transportType", message: "The value you selected is not a valid choice." });
    }
    if (blank(body.invoiceReference)) v.push({ propertyPath: "invoiceReference", message: "This value should not be blank." });
    const dispatch = body.dispatch;
    if (dispatch !== undefined && dispatch !== null) {
      if (!isObj(dispatch)) v.push({ propertyPath: "dispatch", message: "This value should be of type object." });
      else if (dispatch.date !== undefined && !(typeof dispatch.date === "string" && /^\d{4}-\d{2}-\d{2}$/.test(dispatch.date))) {
        v.push({ propertyPath: "dispatch.date", message: "This value is not a valid date." });
      }
    }
    return v;
  }

  private createShipment(req: FakeCarrierRequest, clientId: string): FakeResponse {
    const body = parseJson(req.body);
    if (body === undefined) return malformed();
    if (!isObj(body)) return json(400, { type: "https://tools.ietf.org/html/rfc2616#section-10", title: "An error occurred", detail: "Invalid input" });
    const account = this.accounts.get(clientId)!;
    const violations = this.validate(body, account);
    if (violations.length > 0) return json(422, violationBody(422, violations));

    const request = body as FakeShipmentRequest;
    const id = randomUUID();
    const sequence = `BUZ${this.nextSequence++}`;
    const colli = request.items.reduce((n, it) => n + it.quantity, 0);
    const postcode = String(request.shipTo.address?.postcode ?? "").replace(/\s+/g, "").toUpperCase();
    const labels: FakeLabel[] = Array.from({ length: colli }, () => {
      const waybill = `3SBUZ${this.nextWaybill++}`;
      return {
        id: randomUUID(),
        waybill,
        reference: request.invoiceReference,
        status: "created",
        trackAndTraceLink: `https://mijn.boekuwzending.com/track-en-trace/${waybill}/${postcode}`,
      };
    });
    const read: FakeShipmentRead = {
      id,
      sequence,
      status: "created",
      createdAt: new Date(this.now()).toISOString().replace(/\.\d{3}Z$/, "+00:00"),
      invoiceReference: request.invoiceReference,
      service: request.service,
      transportType: request.transportType ?? "road_transport",
      shipTo: request.shipTo,
      shipFrom: request.shipFrom ?? null,
      items: request.items.map((it: FakeItem) => ({ ...it })),
      dispatch: request.dispatch ?? null,
      labels,
    };
    this.store.set(id, { clientId, request, read, createdSeq: this.createdSeq++ });
    labels.forEach((l, index) => this.labelIndex.set(l.id, { shipmentId: id, index }));
    this.save();
    return json(201, read);
  }

  private listShipments(req: FakeCarrierRequest, clientId: string): FakeResponse {
    const page = Math.max(1, Number.parseInt(req.query.get("_page") ?? "1", 10) || 1);
    const size = Math.min(MAX_PAGE_SIZE, Math.max(1, Number.parseInt(req.query.get("_items_per_page") ?? String(DEFAULT_PAGE_SIZE), 10) || DEFAULT_PAGE_SIZE));
    // Filtering by invoiceReference is an assumption (API Platform search filter); Koppel's adapter also pages.
    const ref = req.query.get("invoiceReference");
    const all = this.shipments(clientId)
      .filter((s) => ref === null || s.read.invoiceReference === ref)
      .sort((a, b) => b.createdSeq - a.createdSeq);
    return json(200, all.slice((page - 1) * size, page * size).map((s) => s.read));
  }

  private async downloadShipments(req: FakeCarrierRequest, clientId: string): Promise<FakeResponse> {
    // PHP-style arrays: shipments[0]=a&shipments[1]=b (as the SDK sends), also shipments[]=a and shipments=a.
    const ids: string[] = [];
    for (const [k, val] of req.query) if (/^shipments(\[\d*\])?$/.test(k)) ids.push(val);
    if (ids.length === 0) return json(400, violationBody(400, [{ propertyPath: "shipments", message: "This value should not be blank." }]));
    const found = ids.map((id) => this.owned(id, clientId));
    if (found.some((s) => !s)) return notFound();
    const parts: Uint8Array[] = [];
    for (const s of found) parts.push(await this.shipmentPdf(s!));
    return pdf(await concatPdfs(parts));
  }

  /** All labels of a shipment as one PDF; per-label and per-shipment PDFs are cached (ids are UUIDs, no clash). */
  private async shipmentPdf(s: StoredShipment): Promise<Uint8Array> {
    const cached = this.pdfCache.get(s.read.id);
    if (cached) return cached;
    const parts: Uint8Array[] = [];
    for (const [i, label] of s.read.labels.entries()) {
      let bytes = this.pdfCache.get(label.id);
      if (!bytes) {
        const services = this.accounts.get(s.clientId)?.services ?? DEFAULT_SERVICES;
        bytes = await renderLabelsPdf([labelInput(s, label, i, services)]);
        this.pdfCache.set(label.id, bytes);
      }
      parts.push(bytes);
    }
    const merged = await concatPdfs(parts);
    this.pdfCache.set(s.read.id, merged);
    return merged;
  }
}

function labelInput(s: StoredShipment, label: FakeLabel, i: number, services: FakeService[]): LabelPdfInput {
  const service = s.read.service;
  const description = services.find((d) => d.code === service)?.description ?? service;
  const lines = (p: FakeParty) => {
    const a = p.address ?? {};
    return [
      [a.street, a.number, a.numberAddition].filter(Boolean).join(" ") || (a.addressLine1 ?? ""),
      ...(a.addressLine2 ? [a.addressLine2] : []),
      [a.postcode, a.city].filter(Boolean).join(" "),
      a.country ?? "",
    ];
  };
  return {
    waybill: label.waybill,
    serviceDescription: description,
    shipmentSequence: s.read.sequence,
    reference: s.read.invoiceReference,
    colloIndex: i + 1,
    colloCount: s.read.labels.length,
    shipTo: { name: s.read.shipTo.contact?.name ?? "", company: s.read.shipTo.contact?.company, lines: lines(s.read.shipTo) },
    shipFrom: s.read.shipFrom ? { name: s.read.shipFrom.contact?.company || s.read.shipFrom.contact?.name || "", lines: lines(s.read.shipFrom) } : null,
  };
}

/** ISO 8601 with offset, as API Platform writes dates ("2026-12-02T10:00:00+00:00"). */
function atomDate(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, "+00:00");
}

/** PHP DateTime's `date` in Europe/Amsterdam: "2026-12-02 11:00:00.000000". */
function amsterdamWallClock(d: Date): string {
  const wall = new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Amsterdam", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" }).format(d);
  return `${wall}.000000`;
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

function malformed(): FakeResponse {
  return json(400, { type: "https://tools.ietf.org/html/rfc2616#section-10", title: "An error occurred", detail: "Syntax error" });
}

function notFound(): FakeResponse {
  return json(404, { type: "https://tools.ietf.org/html/rfc2616#section-10", title: "An error occurred", detail: "Not Found" });
}

function pdf(bytes: Uint8Array): FakeResponse {
  return { status: 200, headers: { "content-type": "application/pdf", "content-disposition": 'attachment; filename="labels.pdf"' }, body: bytes };
}
