// "Label aanmaken" for one order or a selection: service, number of labels (colli) and shipment format per order, preset
// by the shop's shipping rules (LabelPlanSection: grouped by chosen service, each group changeable, with prices). Without a carrier connection it says so and links to Vervoerder. For one order it
// shows the ship-to as the carrier will receive it, with "Adres aanpassen" (ShipToSection).
import { useEffect, useState } from "react";
import { Banner, BlockStack, Button, Divider, Modal, Text } from "@shopify/polaris";
import { useI18n } from "~/i18n/react";
import { ShipToSection } from "~/components/ShipToSection";
import { LabelPlanSection, type LabelSelection } from "~/components/LabelPlanSection";
import type { GroupOverride } from "~/core/rules/plan.server";

export const LABEL_PACKAGE_TYPES = ["envelop", "document", "package", "pallet-euro", "pallet-block", "pallet-mini", "pallet-other"] as const;
export const LABEL_MAX_COLLI = 10;
export const LABEL_MAX_ORDERS = 500;

export type LabelCarrierInfo = {
  environment: "staging" | "production";
  services: { code: string; description: string }[];
  defaultService: string | null;
  defaultPackageType: string;
};

/** What the dialog sends: the merchant's changes per group (chosen service, or "skip"); the rest follows the rules. */
export type LabelOptionsInput = { overrides: Record<string, GroupOverride> };

/**
 * Who e-mails the customer once the order is marked shipped (from the loader: the platform's capability
 * notifiesCustomerOnShipment and the shop's Koppel e-mail setting): the shop, Koppel, or no one.
 */
export type CustomerMailInfo = { by: "platform" | "koppel" | "none"; platformName: string };

export function LabelModal(props: {
  open: boolean;
  orderCount: number;
  incompleteCount: number;
  carrier: LabelCarrierInfo | null;
  submitting: boolean;
  /** One order: its id, so the dialog shows (and can correct) its ship-to; `editAddress` opens the form right away. */
  shipToOrderId?: string | null;
  editAddress?: boolean;
  /** Default: the platform e-mails the customer (as before this was said). */
  customerMail?: CustomerMailInfo;
  /** The orders the dialog is for: ids, or all matching the list's filter. */
  selection?: LabelSelection | null;
  onClose: () => void;
  onSubmit: (options: LabelOptionsInput) => void;
}) {
  const { t } = useI18n();
  const { carrier } = props;
  const initialService = carrier?.defaultService ?? carrier?.services[0]?.code ?? "";
  const [overrides, setOverrides] = useState<Record<string, GroupOverride>>({});
  const [planReady, setPlanReady] = useState(false);
  // One order: "Label aanmaken" waits while its address is one the carrier refuses or its form is open.
  const [addressBlocked, setAddressBlocked] = useState(false);
  const single = props.open && props.shipToOrderId ? props.shipToOrderId : null;

  // Every opening starts from the rules.
  useEffect(() => {
    if (!props.open) return;
    setOverrides({});
    setPlanReady(false);
  }, [props.open]);

  const mailBy = props.customerMail?.by ?? "platform";
  const stagingKey = mailBy === "platform" ? "labels.modal.staging" : mailBy === "koppel" ? "labels.modal.staging.koppelMail" : "labels.modal.staging.noMail";
  const tooMany = props.orderCount > LABEL_MAX_ORDERS;
  const canSubmit = Boolean(carrier && initialService && planReady && !tooMany && props.orderCount > 0 && (!single || !addressBlocked));

  return (
    <Modal
      open={props.open}
      onClose={props.onClose}
      title={t("labels.modal.title", { count: props.orderCount })}
      primaryAction={
        carrier
          ? {
              content: t("labels.modal.submit"),
              disabled: !canSubmit,
              loading: props.submitting,
              onAction: () => props.onSubmit({ overrides }),
            }
          : undefined
      }
      secondaryActions={[{ content: t("orders.cancel"), onAction: props.onClose }]}
    >
      <Modal.Section>
        {!carrier ? (
          <BlockStack gap="300">
            <Text as="p">{t("labels.modal.noCarrier")}</Text>
            <div>
              <Button url="/app/carrier" variant="primary">
                {t("labels.modal.toCarrier")}
              </Button>
            </div>
          </BlockStack>
        ) : (
          <BlockStack gap="400">
            {tooMany ? <Banner tone="critical">{t("labels.modal.tooMany", { max: LABEL_MAX_ORDERS })}</Banner> : null}
            {props.incompleteCount > 0 && !single ? <Banner tone="warning">{t("labels.modal.incomplete", { count: props.incompleteCount })}</Banner> : null}
            {carrier.environment === "staging" ? <Banner tone="warning">{t(stagingKey)}</Banner> : null}
            {mailBy === "none" ? <Banner tone="info">{t("labels.modal.noCustomerMail", { platform: props.customerMail?.platformName })}</Banner> : null}
            {mailBy === "koppel" && carrier.environment !== "staging" ? <Text as="p" tone="subdued">{t("labels.modal.koppelMail")}</Text> : null}
            {single ? (
              <>
                <ShipToSection orderId={single} startEditing={Boolean(props.editAddress)} onStateChange={(s) => setAddressBlocked(s.blocked)} />
                <Divider />
              </>
            ) : null}
            <LabelPlanSection
              open={props.open}
              selection={props.selection ?? null}
              services={carrier.services}
              defaultService={initialService}
              defaultPackageType={carrier.defaultPackageType}
              onChange={(o, ready) => {
                setOverrides(o);
                setPlanReady(ready);
              }}
            />
          </BlockStack>
        )}
      </Modal.Section>
    </Modal>
  );
}
