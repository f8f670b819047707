// A parcel's status with its time (Zendingen, the order page): the badge in Koppel's words, "sinds …" beneath, and
// why it counts as a problem when it is stuck.
import { Badge, BlockStack, Text } from "@shopify/polaris";
import type { ParcelStatus } from "~/core/domain";
import { useI18n } from "~/i18n/react";

const TONE: Record<ParcelStatus, "info" | "success" | "attention" | "warning" | "critical" | undefined> = {
  created: undefined,
  scanned: "info",
  in_transit: "info",
  at_customs: "attention",
  delivered: "success",
  at_pickup_point: "attention",
  returned: "warning",
  problem: "critical",
};

export function ParcelStatusBadge({ status, at, stuck }: { status: ParcelStatus; at: string; stuck: boolean }) {
  const { t, formatDateTime } = useI18n();
  return (
    <BlockStack gap="050" inlineAlign="start">
      <Badge tone={stuck && status === "created" ? "warning" : TONE[status]}>{t(`parcel.status.${status}`)}</Badge>
      <Text as="span" tone="subdued" variant="bodySm">
        {t("parcel.since", { at: formatDateTime(at) })}
      </Text>
      {stuck && status === "created" ? (
        <Text as="span" tone="caution" variant="bodySm">
          {t("parcel.stuck")}
        </Text>
      ) : null}
    </BlockStack>
  );
}
