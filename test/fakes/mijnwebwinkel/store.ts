// One Mijnwebwinkel store behind one store token: its orders (numbered from 1001), order statuses and payments.
import { randomUUID } from "node:crypto";
import { localParts } from "./dates";
import { addMutation, addPayment, buildOrder, orderResource, type BuildContext, type MwwOrderInput, type MwwOrderRecord, type MwwPaymentInput } from "./orders";
import type { MwwMutationType, MwwOrder, MwwOrderStatus, MwwPayment } from "./types";

/**
 * The fake's default statuses. Real ids and names are per store and unpublished (the spec's only example is
 * `1 = "Order Pending"`); merchants rename them, so a client must look them up via GET /v1/orderstatuses. Note that
 * "Verzonden" is 4 here, not 3, so a client that guesses ids fails.
 */
export const DEFAULT_STATUSES: readonly MwwOrderStatus[] = [
  { status: 1, description: "Nieuw", credit_order: false },
  { status: 2, description: "In behandeling", credit_order: false },
  { status: 3, description: "Wacht op betaling", credit_order: false },
  { status: 4, description: "Verzonden", credit_order: false },
  { status: 5, description: "Afgehandeld", credit_order: false },
  { status: 6, description: "Geannuleerd", credit_order: false },
  { status: 7, description: "Gecrediteerd", credit_order: true },
];

/** Ids of DEFAULT_STATUSES by meaning, for seeds and tests. */
export const STATUS = { NIEUW: 1, IN_BEHANDELING: 2, WACHT_OP_BETALING: 3, VERZONDEN: 4, AFGEHANDELD: 5, GEANNULEERD: 6, GECREDITEERD: 7 } as const;

export type FakeMwwStoreOptions = {
  token: string;
  name?: string;
  /** Store UUID (payments' storeId); default random. */
  id?: string;
  statuses?: MwwOrderStatus[];
  /** First order number (default 1001). */
  firstNumber?: number;
};

export type MwwOrderChanges = { archived?: boolean; internalComment?: string; reference?: string; offline_location_id?: string | null };

export class FakeMwwStore {
  readonly id: string;
  readonly token: string;
  name: string;
  statuses: MwwOrderStatus[];
  private readonly byNumber = new Map<number, MwwOrderRecord>();
  private nextNumber: number;

  constructor(
    opts: FakeMwwStoreOptions,
    private readonly clock: { now: () => number; nextMutationId: () => number },
  ) {
    this.id = opts.id ?? randomUUID();
    this.token = opts.token;
    this.name = opts.name ?? "Webwinkel";
    this.statuses = structuredClone([...(opts.statuses ?? DEFAULT_STATUSES)]);
    this.nextNumber = opts.firstNumber ?? 1001;
  }

  private ctx(): BuildContext {
    return { storeId: this.id, now: () => this.clock.now(), nextMutationId: () => this.clock.nextMutationId() };
  }

  /** Add an order (defaults: placed now, status 1, one article, NL customer, delivery = invoice, captured by iDEAL). */
  addOrder(input: MwwOrderInput = {}): MwwOrderRecord {
    const seq = input.number ?? this.nextNumber;
    if (this.byNumber.has(seq)) throw new Error(`FakeMwwStore: order ${seq} exists`);
    this.nextNumber = Math.max(this.nextNumber, seq + 1);
    const record = buildOrder(seq, input, this.ctx());
    this.byNumber.set(seq, record);
    return record;
  }

  /** By number as the API shows it: 1005, "1005" or, for a test order, "T-1005" (its bare number works too). */
  find(number: number | string): MwwOrderRecord | undefined {
    const m = /^(T-)?(\d{1,9})$/.exec(String(number));
    if (!m) return undefined;
    const record = this.byNumber.get(Number(m[2]));
    if (!record || (m[1] && !record.test)) return undefined;
    return record;
  }

  /** The order as the API would serve it. */
  order(number: number | string): MwwOrder | undefined {
    const r = this.find(number);
    return r ? orderResource(r) : undefined;
  }

  /** A store read back from a state file: its orders as they were, numbering going on where it stopped. */
  restore(state: { name: string; statuses: MwwOrderStatus[]; nextNumber: number; records: MwwOrderRecord[] }): void {
    this.name = state.name;
    this.statuses = state.statuses;
    this.nextNumber = state.nextNumber;
    this.byNumber.clear();
    for (const r of state.records) this.byNumber.set(r.seq, r);
  }

  /** What a state file keeps of the store. */
  snapshot(): { token: string; id: string; name: string; statuses: MwwOrderStatus[]; nextNumber: number; records: MwwOrderRecord[] } {
    return { token: this.token, id: this.id, name: this.name, statuses: this.statuses, nextNumber: this.nextNumber, records: this.records() };
  }

  /** All records (test orders included), by number. */
  records(): MwwOrderRecord[] {
    return [...this.byNumber.values()].sort((a, b) => a.seq - b.seq);
  }

  /** All orders as served (test orders included), by number. */
  orders(): MwwOrder[] {
    return this.records().map(orderResource);
  }

  private get(number: number | string): MwwOrderRecord {
    const r = this.find(number);
    if (!r) throw new Error(`FakeMwwStore ${this.name}: no order ${number}`);
    return r;
  }

  hasStatus(id: number): MwwOrderStatus | undefined {
    return this.statuses.find((s) => s.status === id);
  }

  /** The merchant changes the status: status_changed_date/time become now() (only when the status changes). */
  setStatus(number: number | string, statusId: number): MwwOrder {
    const r = this.get(number);
    if (r.order.status !== statusId) {
      const { date, time } = localParts(this.clock.now());
      r.order.status = statusId;
      r.order.status_changed_date = date;
      r.order.status_changed_time = time;
    }
    return orderResource(r);
  }

  /** Other merchant edits (archive, internal comment as a whole, B2B reference, point of sale). */
  update(number: number | string, changes: MwwOrderChanges): MwwOrder {
    const r = this.get(number);
    if (changes.archived !== undefined) r.order.archived = changes.archived;
    if (changes.internalComment !== undefined) r.order.comments.internal = changes.internalComment;
    if (changes.reference !== undefined) r.order.reference = changes.reference;
    if (changes.offline_location_id !== undefined) r.order.offline_location_id = changes.offline_location_id;
    return orderResource(r);
  }

  /** A new transaction on the order (e.g. the customer retries iDEAL). */
  addPayment(number: number | string, input: MwwPaymentInput = {}): MwwPayment {
    return addPayment(this.get(number), input, this.ctx());
  }

  /** A mutation (capture, refund, …) on the order's latest transaction; creates one when there is none. */
  addMutation(number: number | string, type: MwwMutationType): MwwPayment {
    const r = this.get(number);
    const payment = r.payments.at(-1) ?? addPayment(r, { mutations: [] }, this.ctx());
    if (payment.gatewayReference === null) payment.gatewayReference = `tr_${randomUUID().replace(/-/g, "").slice(0, 10)}`;
    addMutation(payment, type, this.clock.now(), this.ctx());
    return payment;
  }

  payments(number: number | string): MwwPayment[] {
    return structuredClone(this.get(number).payments);
  }

  renameStatus(id: number, description: string): void {
    const s = this.hasStatus(id);
    if (!s) throw new Error(`FakeMwwStore ${this.name}: no status ${id}`);
    s.description = description;
  }
}
