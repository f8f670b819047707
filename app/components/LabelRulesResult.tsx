// After "Label aanmaken" by shipping rules: which orders a rule made no label for, and which Koppel refused before any
// carrier call (a mailbox parcel too heavy for its service), with the reason in the merchant's language.
import { BlockStack, List, Text } from "@shopify/polaris";
import { useI18n } from "~/i18n/react";
import type { LabelRefusal } from "~/core/rules/plan.server";

export function LabelRulesResult(props: {
  skipped?: { orderId: number; number: string; rule: string }[];
  refused?: { orderId: number; number: string; refusal: LabelRefusal }[];
  serviceName?: (code: string) => string;
}) {
  const { t } = useI18n();
  const skipped = props.skipped ?? [];
  const refused = props.refused ?? [];
  if (!skipped.length && !refused.length) return null;
  return (
    <BlockStack gap="100">
      {skipped.length ? <Text as="p">{t("rules.result.skipped", { count: skipped.length, rules: [...new Set(skipped.map((s) => s.rule))].join(", ") })}</Text> : null}
      {refused.length ? (
        <BlockStack gap="100">
          <Text as="p">{t("rules.result.refused")}</Text>
          <List type="bullet">
            {refused.map((r) => (
              <List.Item key={r.orderId}>
                <RefusalText number={r.number} refusal={r.refusal} serviceName={props.serviceName} />
              </List.Item>
            ))}
          </List>
        </BlockStack>
      ) : null}
    </BlockStack>
  );
}

export function RefusalText({ number, refusal, serviceName }: { number: string; refusal: LabelRefusal; serviceName?: (code: string) => string }) {
  const { t, formatWeight } = useI18n();
  return (
    <Text as="span" breakWord>
      {t("rules.plan.tooHeavy", {
        number,
        service: serviceName ? serviceName(refusal.service) : refusal.service,
        weight: formatWeight(refusal.parcelGrams),
        limit: formatWeight(refusal.limitGrams),
      })}
    </Text>
  );
}
