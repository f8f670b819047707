// The reason column of an activity row (Activiteit, the order page's timeline): Koppel's sentence for a reason code
// with the other side's text beneath; why an order was skipped in words ("Testbestelling: overgeslagen …"); else
// the stored text as it is.
import { Text } from "@shopify/polaris";
import { reasonMessage, type ReasonCode } from "~/core/reasons";
import { useI18n } from "~/i18n/react";
import { ReasonText } from "./ReasonText";

export function ActivityReason({ summary, reason, reasonCode }: { summary: string; reason: string | null; reasonCode: string | null }) {
  const { t } = useI18n();
  if (reasonCode) return <ReasonText tone="subdued" {...reasonMessage(t, { code: reasonCode as ReasonCode, detail: reason ?? "" })} />;
  if (summary === "import.skipped" && reason) {
    const key = `import.skipReason.${reason}`;
    const text = t(key);
    if (text !== key) return <ReasonText tone="subdued" text={text} detail={null} />;
  }
  if (!reason) return null;
  return (
    <Text as="span" tone="subdued" breakWord>
      {reason}
    </Text>
  );
}
