// zod schemas for Boekuwzending's answers (shared/contracts/carrier-and-mijnwebwinkel.md section A). Lenient where the
// contract is unconfirmed: extra keys are kept, optional fields may be null.
import { z } from "zod";

const str = z.string();
const optStr = z.string().nullish();
const idLike = z.union([z.string(), z.number()]).transform(String);

export const TokenResponse = z.looseObject({
  access_token: str.min(1),
  token_type: optStr,
  expires_in: z.coerce.number().positive().nullish(),
});
export type TokenResponse = z.infer<typeof TokenResponse>;

/** Any error body we have seen or expect: OAuth, API Platform (RFC 7807 / hydra), Lexik JWT. */
export const ErrorBody = z.looseObject({
  error: z.unknown().optional(),
  error_description: z.unknown().optional(),
  title: z.unknown().optional(),
  detail: z.unknown().optional(),
  message: z.unknown().optional(),
  "hydra:title": z.unknown().optional(),
  "hydra:description": z.unknown().optional(),
  violations: z
    .array(z.looseObject({ propertyPath: z.string().nullish(), message: z.string().nullish(), title: z.string().nullish() }))
    .nullish()
    .catch(null),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

export const Rate = z.looseObject({
  service: z.union([
    z.looseObject({ code: str.min(1), description: optStr }),
    // Tolerate a bare code string.
    str.min(1).transform((code) => ({ code, description: null as string | null | undefined })),
  ]),
  price: z.unknown().optional(),
  tax: z.unknown().optional(),
});
export const RateList = z.array(Rate);

export const Label = z.looseObject({
  id: idLike,
  waybill: optStr,
  reference: optStr,
  status: optStr,
  trackAndTraceLink: optStr,
});
export type Label = z.infer<typeof Label>;
export const LabelList = z.array(Label);

export const Shipment = z.looseObject({
  id: idLike,
  sequence: z.union([z.string(), z.number()]).transform(String).nullish(),
  status: optStr,
  invoiceReference: optStr,
  // Unexpected shapes of these become null: the adapter then reads the full shipment / its labels separately.
  dispatch: z.looseObject({ reference: optStr }).nullish().catch(null),
  shipTo: z.looseObject({ address: z.looseObject({ postcode: optStr }).nullish() }).nullish().catch(null),
  labels: z.array(Label).nullish().catch(null),
});
export type Shipment = z.infer<typeof Shipment>;

/** GET /shipments: a plain array (application/json) or a hydra collection (application/ld+json). */
export const ShipmentCollection = z.union([
  z.array(Shipment),
  z.looseObject({ "hydra:member": z.array(Shipment) }).transform((c) => c["hydra:member"]),
  z.looseObject({ member: z.array(Shipment) }).transform((c) => c.member),
  z.looseObject({ items: z.array(Shipment) }).transform((c) => c.items),
]);

/** One status in a label webhook or a track & trace answer: `{status, code, description, date}`. */
export const TrackStatus = z.looseObject({
  status: str.min(1),
  code: z.union([z.string(), z.number()]).transform(String).nullish(),
  description: optStr,
  date: z.unknown().optional(),
});
export type TrackStatus = z.infer<typeof TrackStatus>;

/** GET /track-and-trace/{labelId} (SDK TrackAndTraceEndpoint): `active` + `details[]`, or an `error` key. */
export const TrackAndTrace = z.looseObject({
  active: TrackStatus.nullish().catch(null),
  details: z.array(z.unknown()).nullish().catch(null),
  distributor: z.looseObject({ name: optStr, code: optStr }).nullish().catch(null),
  error: z.unknown().optional(),
});

/** The signed envelope `{data, meta: {hmac}}` around a label-update event `{id, event, date, payload}`. */
export const SignedWebhook = z.looseObject({
  data: z.record(z.string(), z.unknown()),
  meta: z.looseObject({ hmac: z.string().min(1) }),
});
export const LabelUpdateEvent = z.looseObject({
  id: z.union([z.string().min(1), z.number()]).transform(String),
  event: str.min(1),
  date: z.unknown().optional(),
  payload: z.looseObject({
    reference: optStr,
    waybill: optStr,
    label: z.union([z.string(), z.number()]).transform(String).nullish(),
    active: TrackStatus.nullish().catch(null),
    details: z.array(z.unknown()).nullish().catch(null),
  }),
});
