// Asked when orders to remove have a label whose write-back to the shop is still pending: should the shop still be told
// they shipped (keep the write-back) or not (stop it)? Removing alone never decides it silently.
import { Banner, Modal, Text, BlockStack } from "@shopify/polaris";
import { useI18n } from "~/i18n/react";

export function RemoveWriteBackChoice({
  open,
  count,
  busy,
  onChoose,
  onClose,
}: {
  open: boolean;
  count: number;
  busy: boolean;
  onChoose: (choice: "keep" | "cancel") => void;
  onClose: () => void;
}) {
  const { t } = useI18n();
  return (
    <Modal
      open={open}
      onClose={onClose}
      title={t("orders.remove.title", { count })}
      primaryAction={{ content: t("removeWriteBack.keep"), loading: busy, onAction: () => onChoose("keep") }}
      secondaryActions={[
        { content: t("removeWriteBack.cancel"), destructive: true, disabled: busy, onAction: () => onChoose("cancel") },
        { content: t("orders.cancel"), onAction: onClose },
      ]}
    >
      <Modal.Section>
        <BlockStack gap="200">
          <Banner tone="warning">{t("removeWriteBack.warning", { count })}</Banner>
          <Text as="p">{t("orders.remove.body")}</Text>
        </BlockStack>
      </Modal.Section>
    </Modal>
  );
}
