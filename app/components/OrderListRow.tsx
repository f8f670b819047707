// Pieces of the order list's rows: the order number as the link to the order page, and the narrow (360–390 px) row
// that keeps number, customer, status and the label action in view without scrolling sideways.
import type { ReactNode } from "react";
import { BlockStack, InlineStack, Link as PolarisLink, Text } from "@shopify/polaris";

export function orderPath(orderId: string): string {
  return `/app/orders/${encodeURIComponent(orderId)}`;
}

export function OrderNumberLink({ orderId, number }: { orderId: string; number: string }) {
  return (
    <PolarisLink url={orderPath(orderId)} removeUnderline>
      <Text as="span" variant="bodyMd" fontWeight="semibold">
        {number}
      </Text>
    </PolarisLink>
  );
}

export function CondensedOrderRow(props: {
  orderId: string;
  number: string;
  customer: string;
  place: string;
  status: ReactNode;
  /** Shown under the place (e.g. "Adres aangepast"). */
  note?: ReactNode;
  action: ReactNode;
}) {
  return (
    <div style={{ padding: "var(--p-space-300) var(--p-space-400)", maxWidth: "100%", boxSizing: "border-box" }}>
      <BlockStack gap="150">
        <InlineStack align="space-between" blockAlign="center" gap="200" wrap={false}>
          <div onClick={(e) => e.stopPropagation()}>
            <OrderNumberLink orderId={props.orderId} number={props.number} />
          </div>
          {props.status}
        </InlineStack>
        <Text as="span" breakWord>
          {props.customer}
        </Text>
        {props.place ? (
          <Text as="span" tone="subdued" breakWord>
            {props.place}
          </Text>
        ) : null}
        {props.note}
        {props.action}
      </BlockStack>
    </div>
  );
}
