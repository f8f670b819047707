// Wire shapes of the fake Boekuwzending API (camelCase JSON as in the PHP SDK's serializers; see
// shared/contracts/carrier-and-mijnwebwinkel.md section A).

export type FakeContact = { name?: string; company?: string; emailAddress?: string; phoneNumber?: string };
export type FakeAddress = {
  street?: string;
  number?: string;
  numberAddition?: string;
  addressLine1?: string;
  addressLine2?: string;
  postcode?: string;
  city?: string;
  country?: string;
  privateAddress?: boolean;
};
export type FakeParty = { contact?: FakeContact; address?: FakeAddress };
export type FakeItem = { quantity: number; type: string; weight?: number; description?: string };
export type FakeDispatch = { reference?: string; date?: string; instructions?: string };

/** POST /shipments body after validation. */
export type FakeShipmentRequest = {
  shipTo: FakeParty;
  shipFrom?: FakeParty;
  items: FakeItem[];
  service: string;
  transportType?: string;
  invoiceReference: string;
  dispatch?: FakeDispatch;
  [key: string]: unknown;
};

export type FakeLabel = {
  id: string;
  waybill: string;
  reference: string;
  status: string;
  trackAndTraceLink: string;
};

/** Shipment-shipment-item-read. */
export type FakeShipmentRead = {
  id: string;
  sequence: string;
  status: string;
  createdAt: string;
  invoiceReference: string;
  service: string;
  transportType: string;
  shipTo: FakeParty;
  shipFrom: FakeParty | null;
  items: FakeItem[];
  dispatch: FakeDispatch | null;
  labels: FakeLabel[];
};

export type FakeService = { code: string; description: string; basePrice: number };

export type FakeRate = { service: { code: string; description: string }; price: number; tax: number };

export type FakeAccountInput = { clientId: string; clientSecret: string; services?: FakeService[] };

/** The request as the fake's switches see it. */
export type FakeCarrierRequest = {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: string;
};

export type FakeFailure = {
  status: 500 | 502 | 503 | 429 | (number & {});
  retryAfterSeconds?: number;
  /** Defaults to a plausible JSON body for the status. */
  body?: unknown;
};

/** Which requests an injected failure or hang applies to; default: every request except POST /token. */
export type FakeRequestMatcher = (req: FakeCarrierRequest) => boolean;

export type FakeResponse = {
  status: number;
  headers?: Record<string, string>;
  body?: string | Uint8Array | unknown;
};

export type StoredShipment = {
  clientId: string;
  /** The POST /shipments body as received (parsed JSON). */
  request: FakeShipmentRequest;
  read: FakeShipmentRead;
  createdSeq: number;
};

/** One status of a label (GET /track-and-trace, label-update webhooks). `date`: ISO 8601. */
export type FakeTrackEvent = { status: string; code: string; description: string; date: string };

/** A webhook registered with POST /webhooks. */
export type FakeWebhook = { id: string; clientId: string; url: string; integration: string | null; event: string };

/** A label-update the fake sent (or tried to). */
export type FakeWebhookDelivery = { webhookId: string; url: string; eventId: string; status: number | "error"; body: string };

/** What the fake keeps in its state file (stateFile): everything but tokens, switches and PDF caches. */
export type FakeCarrierState = {
  version: 1;
  nextSequence: number;
  nextWaybill: number;
  createdSeq: number;
  shipments: StoredShipment[];
  labelEvents: Record<string, FakeTrackEvent[]>;
  webhooks: FakeWebhook[];
};
