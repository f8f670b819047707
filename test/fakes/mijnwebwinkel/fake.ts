// FakeMijnwebwinkel: the Connect API as one partner app sees it — one partner_token, any number of stores (each
// behind its own store token, each seeing only its own orders) — plus switches and records for tests.
// Transport-free: `handle()` maps a request to a response; index.ts serves it on a loopback HTTP server.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { handleApiRequest, type RawRequest } from "./api";
import { json, mwwError, problem, titleOf } from "./http";
import type { MwwOrderInput, MwwOrderRecord } from "./orders";
import { DEFAULT_PARTNER_PER_MINUTE, DEFAULT_PER_MINUTE, RateLimiter } from "./rate-limit";
import { DEFAULT_STATUSES, FakeMwwStore, type FakeMwwStoreOptions } from "./store";
import type { FakeMwwPatch, FakeMwwRequest, FakeMwwResponse, MwwOrder, MwwOrderStatus } from "./types";

export type FakeMijnwebwinkelOptions = {
  partnerToken: string;
  stores: FakeMwwStoreOptions[];
  now?: () => number;
  /** Requests per minute per store token (default 120; MyOnlineStore publishes no value). */
  perMinute?: number;
  /** Requests per minute for the partner token over all stores (default 600). */
  partnerPerMinute?: number;
  /**
   * A JSON file the fake keeps its stores' orders in (written after every change, read at start): a fake started again on
   * the same file serves the same orders, with the statuses and comments Koppel's write-backs gave them.
   */
  stateFile?: string;
};

type PersistedMww = { version: 1; mutationId: number; stores: ReturnType<FakeMwwStore["snapshot"]>[] };

/** What failNext answers: `body` as JSON (a string is sent as is); Content-Type follows the body's shape. */
export type FakeMwwFailure = { status: number; body?: unknown; headers?: Record<string, string> };

type Failure = { remaining: number; response: () => FakeMwwResponse; only?: string };

const TOKEN_IN_QUERY = /([?&](?:partner_token|token)=)[^&#]*/g;

/** The request target with the values of token and partner_token replaced by REDACTED (everything else as sent). */
export const redactTokens = (url: string) => url.replace(TOKEN_IN_QUERY, "$1REDACTED");

export class FakeMijnwebwinkel {
  readonly partnerToken: string;
  /** Every request received, oldest first, tokens redacted. */
  readonly requests: FakeMwwRequest[] = [];
  /** Every authenticated PATCH /v1/orders/{number}, whatever the answer. */
  readonly patches: FakeMwwPatch[] = [];
  /** Requests per endpoint label ("GET /v1/orders", "PATCH /v1/orders/{number}", …), whatever the answer. */
  readonly calls: Record<string, number> = {};
  readonly limiter: RateLimiter;

  private clock: () => number;
  private readonly storeList: FakeMwwStore[] = [];
  private failures: Failure[] = [];
  private mutationId = 101;

  constructor(opts: FakeMijnwebwinkelOptions) {
    this.partnerToken = opts.partnerToken;
    this.clock = opts.now ?? Date.now;
    this.limiter = new RateLimiter(opts.perMinute ?? DEFAULT_PER_MINUTE, opts.partnerPerMinute ?? DEFAULT_PARTNER_PER_MINUTE, () => this.clock());
    for (const s of opts.stores) this.addStore(s);
    this.stateFile = opts.stateFile;
    if (this.stateFile && existsSync(this.stateFile)) {
      const state = JSON.parse(readFileSync(this.stateFile, "utf8")) as PersistedMww;
      this.mutationId = state.mutationId;
      for (const saved of state.stores) (this.storeByToken(saved.token) ?? this.addStore({ token: saved.token, id: saved.id })).restore(saved);
    }
  }

  private readonly stateFile: string | undefined;

  /** Was anything read back from the state file? (The demo then seeds nothing.) */
  restoredOrders(): number {
    return this.storeList.reduce((n, s) => n + s.records().length, 0);
  }

  /** Written after every change (a temp file renamed over the old one); without a state file nothing. */
  save(): void {
    if (!this.stateFile) return;
    const state: PersistedMww = { version: 1, mutationId: this.mutationId, stores: this.storeList.map((s) => s.snapshot()) };
    mkdirSync(path.dirname(this.stateFile), { recursive: true });
    const tmp = `${this.stateFile}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(state));
    renameSync(tmp, this.stateFile);
  }

  // -- clock & switches --------------------------------------------------------------------------------------------

  now(): number {
    return this.clock();
  }
  setNow(fn: () => number): void {
    this.clock = fn;
  }

  /**
   * The next `n` API requests (before authentication) get this answer — when `only` is given, only requests of that
   * endpoint ("GET /v1/orders/{number}/payments") or that path ("/v1/orders/1016/payments"). Default body: the
   * matching error shape.
   */
  failNext(n: number, failure: FakeMwwFailure, only?: string): void {
    this.failures.push({
      remaining: n,
      only,
      response: () => {
        const { status, body, headers = {} } = failure;
        if (body === undefined) return status === 429 ? problem(429, "Rate limit exceeded") : mwwError(status, titleOf(status));
        if (typeof body === "string") return { status, headers: { "content-type": "text/plain; charset=utf-8", ...headers }, body };
        const isProblem = typeof body === "object" && body !== null && "title" in body;
        return json(status, body, { ...(isProblem ? { "content-type": "application/problem+json" } : {}), ...headers });
      },
    });
  }

  /** The next `n` requests get 429 (RFC 7807 body, no Retry-After). */
  rateLimitNext(n: number): void {
    this.failNext(n, { status: 429 });
  }

  /** Used by api.ts; consumes one injected failure. */
  takeFailure(endpoint: string | null, path: string): FakeMwwResponse | null {
    const f = this.failures.find((x) => x.remaining > 0 && (x.only === undefined || x.only === endpoint || x.only === path));
    if (!f) return null;
    f.remaining--;
    this.failures = this.failures.filter((x) => x.remaining > 0);
    return f.response();
  }

  count(endpoint: string): void {
    this.calls[endpoint] = (this.calls[endpoint] ?? 0) + 1;
  }
  /** How often `endpoint` ("GET /v1/orders") was called. */
  callCount(endpoint: string): number {
    return this.calls[endpoint] ?? 0;
  }

  // -- stores ------------------------------------------------------------------------------------------------------

  addStore(opts: FakeMwwStoreOptions): FakeMwwStore {
    if (this.storeByToken(opts.token)) throw new Error(`FakeMijnwebwinkel: store token ${opts.token} exists`);
    const store = new FakeMwwStore(opts, { now: () => this.clock(), nextMutationId: () => this.mutationId++ });
    this.storeList.push(store);
    return store;
  }

  stores(): FakeMwwStore[] {
    return [...this.storeList];
  }

  storeByToken(token: string): FakeMwwStore | undefined {
    return this.storeList.find((s) => s.token === token);
  }

  /** The store behind `token` (default: the first store). Throws when there is none. */
  store(token?: string): FakeMwwStore {
    const store = token === undefined ? this.storeList[0] : this.storeByToken(token);
    if (!store) throw new Error(`FakeMijnwebwinkel: no store${token === undefined ? "" : ` for token ${token}`}`);
    return store;
  }

  defaultStatuses(): MwwOrderStatus[] {
    return structuredClone([...DEFAULT_STATUSES]);
  }

  // -- shortcuts on one store (default: the first) -----------------------------------------------------------------

  addOrder(input: MwwOrderInput = {}, token?: string): MwwOrderRecord {
    const record = this.store(token).addOrder(input);
    this.save();
    return record;
  }

  /** The merchant changes an order's status; status_changed_date/time become now(). */
  setStatus(number: number | string, statusId: number, token?: string): MwwOrder {
    const order = this.store(token).setStatus(number, statusId);
    this.save();
    return order;
  }

  order(number: number | string, token?: string): MwwOrder | undefined {
    return this.store(token).order(number);
  }

  // -- HTTP --------------------------------------------------------------------------------------------------------

  /** Answer one request and record it (tokens redacted); never throws. */
  handle(req: RawRequest): FakeMwwResponse {
    let response: FakeMwwResponse;
    let endpoint: string | null = null;
    let storeId: string | null = null;
    try {
      ({ response, endpoint, storeId } = handleApiRequest(this, req));
    } catch (err) {
      response = mwwError(500, `Fake Mijnwebwinkel error: ${String(err)}`);
    }
    this.requests.push({ method: req.method.toUpperCase(), path: redactTokens(req.url), endpoint, storeId, headers: req.headers, body: req.body, status: response.status, at: this.clock() });
    if (req.method.toUpperCase() !== "GET" && response.status < 300) this.save();
    return response;
  }
}
