// What every piece of "Label aanmaken" gets from its caller (the database, the job queue, the carrier and platform
// registries, the encryption key) and the limits the button, the CLI and the routes share: one place, no cycles.
import type { Db } from "../../db/client.server";
import type { JobQueue } from "../job-queue";
import type { Carrier, CarrierId, PlatformId, ShopPlatform } from "../ports";
import type { Mailer } from "../mail/ports";

export type LabelDeps = {
  db: Db;
  queue: JobQueue;
  carrierFor: (id: CarrierId) => Carrier;
  platformFor: (id: PlatformId) => ShopPlatform;
  encryptionKey: string;
  /** Koppel's own track & trace e-mail (the merchant's SMTP server); absent where nothing sends mail. */
  mailer?: Mailer;
  /** Waits for a carrier's Retry-After inside the job (tests pass a fake). */
  sleep?: (ms: number) => Promise<void>;
};

export const MAX_COLLI = 10;
export const MAX_BULK_ORDERS = 500;
