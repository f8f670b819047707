// What the label dialog (LabelModal) needs from the server, for every page that opens it (the order list, the order
// page): the shop's carrier connection (services, defaults, staging or not) and who e-mails the customer after the
// write-back (write-back.server.ts decides the same way).
import type { Merchant } from "~/merchant.server";
import { db } from "~/db.server";
import { getCarrierConnection } from "~/core/labels/connection.server";
import { trackingMailEnabled } from "~/core/mail/settings.server";
import { platformDisplayName } from "~/platforms/names";
import { getRuntime } from "~/runtime.server";
import type { CustomerMailInfo, LabelCarrierInfo } from "~/components/LabelModal";

export type LabelDialogData = { carrier: LabelCarrierInfo | null; customerMail: CustomerMailInfo };

export async function labelDialogData(merchant: Merchant): Promise<LabelDialogData> {
  const conn = await getCarrierConnection(db, merchant.shopId);
  const koppelMails = await trackingMailEnabled(db, merchant.shopId);
  const notifies = (await getRuntime()).platformFor(merchant.shop.platform).capabilities.notifiesCustomerOnShipment;
  return {
    customerMail: { by: koppelMails ? "koppel" : notifies ? "platform" : "none", platformName: platformDisplayName(merchant.shop.platform) },
    carrier: conn
      ? {
          environment: conn.environment,
          services: conn.services.map((sv) => ({ code: sv.code, description: sv.description })),
          defaultService: conn.defaultService,
          defaultPackageType: conn.defaultPackageType as string,
        }
      : null,
  };
}
