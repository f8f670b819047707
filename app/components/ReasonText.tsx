// A failure as the merchant reads it: Koppel's sentence (in their language) and, beneath it, the carrier's or the shop's
// own text as they wrote it (app/core/reasons.ts).
import { BlockStack, Text } from "@shopify/polaris";

export function ReasonText({ text, detail, tone = "critical" }: { text: string; detail: string | null; tone?: "critical" | "caution" | "subdued" }) {
  return (
    <BlockStack gap="050">
      <Text as="span" tone={tone} breakWord>
        {text}
      </Text>
      {detail ? (
        <Text as="span" tone="subdued" variant="bodySm" breakWord>
          {detail}
        </Text>
      ) : null}
    </BlockStack>
  );
}
