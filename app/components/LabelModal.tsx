// "Label aanmaken" for one order or a selection: service, number of labels (colli) and shipment format, preset from
// the carrier connection's defaults. Without a carrier connection it says so and links to Vervoerder. For one order it
// shows the ship-to as the carrier will receive it, with "Adres aanpassen" (ShipToSection).
import { useEffect, useState } from "react";
import { Banner, BlockStack, Button, Divider, FormLayout, Modal, Select, Text } from "@shopify/polaris";
import { useI18n } from "~/i18n/react";
import { ShipToSection } from "~/components/ShipToSection";

export const LABEL_PACKAGE_TYPES = ["envelop", "document", "package", "pallet-euro", "pallet-block", "pallet-mini", "pallet-other"] as const;
export const LABEL_MAX_COLLI = 10;
export const LABEL_MAX_ORDERS = 500;

export type LabelCarrierInfo = {
  environment: "staging" | "production";
  services: { code: string; description: string }[];
  defaultService: string | null;
  defaultPackageType: string;
};

export type LabelOptionsInput = { service: string; colli: number; packageType: string };

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
  onClose: () => void;
  onSubmit: (options: LabelOptionsInput) => void;
}) {
  const { t } = useI18n();
  const { carrier } = props;
  const initialService = carrier?.defaultService ?? carrier?.services[0]?.code ?? "";
  const [service, setService] = useState(initialService);
  const [colli, setColli] = useState("1");
  const [packageType, setPackageType] = useState(carrier?.defaultPackageType ?? "package");
  // One order: "Label aanmaken" waits while its address is one the carrier refuses or its form is open.
  const [addressBlocked, setAddressBlocked] = useState(false);
  const single = props.open && props.shipToOrderId ? props.shipToOrderId : null;

  // Every opening starts from the connection's defaults.
  useEffect(() => {
    if (!props.open) return;
    setService(initialService);
    setColli("1");
    setPackageType(carrier?.defaultPackageType ?? "package");
  }, [props.open]);

  const mailBy = props.customerMail?.by ?? "platform";
  const stagingKey = mailBy === "platform" ? "labels.modal.staging" : mailBy === "koppel" ? "labels.modal.staging.koppelMail" : "labels.modal.staging.noMail";
  const tooMany = props.orderCount > LABEL_MAX_ORDERS;
  const canSubmit = Boolean(carrier && service && !tooMany && props.orderCount > 0 && (!single || !addressBlocked));

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
              onAction: () => props.onSubmit({ service, colli: Number(colli), packageType }),
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
            <FormLayout>
              <Select
                label={t("labels.modal.service")}
                options={carrier.services.map((s) => ({ label: s.description || s.code, value: s.code }))}
                value={service}
                onChange={setService}
              />
              <Select
                label={t("labels.modal.colli")}
                helpText={t("labels.modal.colli.help", { max: LABEL_MAX_COLLI })}
                options={Array.from({ length: LABEL_MAX_COLLI }, (_, i) => ({ label: String(i + 1), value: String(i + 1) }))}
                value={colli}
                onChange={setColli}
              />
              <Select
                label={t("labels.modal.packageType")}
                options={LABEL_PACKAGE_TYPES.map((p) => ({ label: t(`packageType.${p}`), value: p }))}
                value={packageType}
                onChange={setPackageType}
              />
            </FormLayout>
          </BlockStack>
        )}
      </Modal.Section>
    </Modal>
  );
}
