// The order page's content (app/routes/app.orders.$orderId._index.tsx): customer, the ship-to as the shop sent it and
// as the carrier will receive it ("Adres aanpassen" through ShipToSection), items, shipments with tracking and
// write-back, the Koppel timeline, and the actions: Label aanmaken (LabelModal), Verwijderen / Herstellen (asking about
// a pending write-back), Opnieuw terugschrijven.
import { useEffect, useState } from "react";
import { useFetcher } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Button, Card, DataTable, InlineStack, Layout, Link as PolarisLink, Modal, Page, Text } from "@shopify/polaris";
import type { OrderPageView } from "~/core/order-page.server";
import type { ShipTo } from "~/db/schema";
import { countryName, missingFieldsParams } from "~/core/labels/ship-to-correction";
import { labelFailureMessage, reasonMessage } from "~/core/reasons";
import { useI18n } from "~/i18n/react";
import { LabelModal, type CustomerMailInfo, type LabelCarrierInfo, type LabelOptionsInput } from "./LabelModal";
import { ReasonText } from "./ReasonText";
import { ActivityReason } from "./ActivityReason";
import { ShipToSection } from "./ShipToSection";
import { orderDisplayStatus, ORDER_STATUS_TONE } from "./order-status";

export type OrderPageActionResult =
  | { intent: "create-label"; ok: true; already: boolean }
  | { intent: "create-label"; ok: false; reason: string; missing?: string[] }
  | { intent: "remove"; ok: boolean; needsWriteBackChoice?: boolean }
  | { intent: "restore" | "retry-writeback"; ok: boolean }
  | { intent: null; ok: false };

const RESULT_TONE = { ok: "success", skipped: "info", failed: "critical" } as const;

export function OrderDetails({ order, carrier, customerMail }: { order: OrderPageView; carrier: LabelCarrierInfo | null; customerMail: CustomerMailInfo }) {
  const { t, locale, formatDateTime, formatWeight } = useI18n();
  const fetcher = useFetcher<OrderPageActionResult>({ key: `order-${order.id}` });
  const [labelOpen, setLabelOpen] = useState(false);
  const [removeOpen, setRemoveOpen] = useState(false);
  const [result, setResult] = useState<OrderPageActionResult | null>(null);
  const busy = fetcher.state !== "idle";

  useEffect(() => {
    if (fetcher.state !== "idle" || !fetcher.data) return;
    setResult(fetcher.data);
    if (fetcher.data.intent === "create-label") setLabelOpen(false);
    if (fetcher.data.intent === "remove" && !fetcher.data.needsWriteBackChoice) setRemoveOpen(false);
  }, [fetcher.state, fetcher.data]);

  const post = (fields: Record<string, string>) => {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.set(k, v);
    setResult(null);
    fetcher.submit(form, { method: "post" });
  };

  const hasShipment = order.shipments.length > 0;
  const display = orderDisplayStatus({ status: order.status, removed: order.removed, hasLabel: hasShipment });
  const live = order.labelRequest && ["queued", "sending", "created"].includes(order.labelRequest.state);
  const canCreate = order.status === "to_ship" && !order.removed && !hasShipment && !live;
  const awaitingWriteBack = order.shipments.some((s) => s.writebackState === "pending" || s.writebackState === "failed");
  const country = (code: string) => countryName(locale, code);

  const secondaryActions = order.removed
    ? [{ content: t("orders.bulk.restore"), onAction: () => post({ intent: "restore" }), disabled: busy }]
    : [{ content: t("orderPage.remove"), destructive: true, onAction: () => setRemoveOpen(true), disabled: busy }];

  return (
    <Page
      backAction={{ content: t("nav.orders"), url: "/app" }}
      title={t("orderPage.title", { number: order.number })}
      titleMetadata={<Badge tone={ORDER_STATUS_TONE[display]}>{t(`orders.status.${display}`)}</Badge>}
      subtitle={formatDateTime(order.placedAt)}
      primaryAction={canCreate ? { content: t("labels.create"), onAction: () => setLabelOpen(true), disabled: busy } : undefined}
      secondaryActions={secondaryActions}
    >
      <BlockStack gap="400">
        {result ? <ActionBanner result={result} onDismiss={() => setResult(null)} /> : null}
        <Layout>
          <Layout.Section>
            <BlockStack gap="400">
              <Card>
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">
                    {t("orderPage.items")}
                  </Text>
                  <DataTable
                    columnContentTypes={["text", "text", "numeric", "numeric"]}
                    headings={[t("orderPage.item.name"), t("orderPage.item.sku"), t("orderPage.item.quantity"), t("orderPage.item.weight")]}
                    rows={order.lines.map((l) => [
                      l.requiresShipping ? l.name : `${l.name} (${t("orderPage.item.noShipping")})`,
                      l.sku ?? "",
                      String(l.quantity),
                      l.weightGrams === null ? "" : formatWeight(l.weightGrams),
                    ])}
                    totals={["", "", String(order.itemCount), formatWeight(order.weightGrams)]}
                    showTotalsInFooter
                    totalsName={{ singular: t("orderPage.item.total"), plural: t("orderPage.item.total") }}
                  />
                  {order.totalPrice ? (
                    <Text as="p" tone="subdued">
                      {t("orderPage.totalPrice", { amount: [order.currency, order.totalPrice].filter(Boolean).join(" ") })}
                    </Text>
                  ) : null}
                </BlockStack>
              </Card>
              <Card>
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">
                    {t("orderPage.shipments")}
                  </Text>
                  <LabelRequestState order={order} />
                  {order.shipments.length === 0 ? (
                    <Text as="p" tone="subdued">
                      {t("orderPage.shipments.none")}
                    </Text>
                  ) : (
                    order.shipments.map((s) => (
                      <Box key={s.id} borderColor="border" borderWidth="025" borderRadius="200" padding="300">
                        <BlockStack gap="150">
                          <InlineStack gap="200" blockAlign="center" wrap>
                            {s.trackingUrl ? (
                              <PolarisLink url={s.trackingUrl} external>
                                {s.trackingNumber}
                              </PolarisLink>
                            ) : (
                              <Text as="span">{s.trackingNumber}</Text>
                            )}
                            <Badge tone={s.status === "delivered" ? "success" : s.status === "problem" || s.status === "returned" ? "critical" : "info"}>
                              {s.statusAt ? `${t(`parcel.status.${s.status}`)} · ${t("parcel.since", { at: formatDateTime(s.statusAt) })}` : t(`parcel.status.${s.status}`)}
                            </Badge>
                            <WriteBackBadge state={s.writebackState} />
                          </InlineStack>
                          <Text as="p" tone="subdued" variant="bodySm">
                            {t("orderPage.shipment.meta", { carrier: s.trackingCompany, service: s.service, colli: s.colli, date: formatDateTime(s.createdAt) })}
                          </Text>
                          {s.writebackState === "done" && s.writtenBackAt ? (
                            <Text as="p" tone="subdued" variant="bodySm">
                              {t("orderPage.shipment.writtenBack", { date: formatDateTime(s.writtenBackAt) })}
                            </Text>
                          ) : null}
                          {s.writebackState === "failed" ? (
                            <BlockStack gap="100">
                              <WriteBackFailure reason={s.writebackError} />
                              <InlineStack>
                                <Button size="slim" loading={busy && fetcher.formData?.get("shipmentId") === String(s.id)} onClick={() => post({ intent: "retry-writeback", shipmentId: String(s.id) })}>
                                  {t("orderPage.retryWriteback")}
                                </Button>
                              </InlineStack>
                            </BlockStack>
                          ) : null}
                        </BlockStack>
                      </Box>
                    ))
                  )}
                </BlockStack>
              </Card>
              <Card>
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">
                    {t("orderPage.timeline")}
                  </Text>
                  {order.timeline.length === 0 ? (
                    <Text as="p" tone="subdued">
                      {t("orderPage.timeline.empty")}
                    </Text>
                  ) : (
                    <ol style={{ listStyle: "none", margin: 0, padding: 0 }} aria-label={t("orderPage.timeline")}>
                      {order.timeline.map((e) => (
                        <li key={e.id} data-testid="timeline-entry">
                          <Box paddingBlock="150" borderBlockEndWidth="025" borderColor="border-secondary">
                            <BlockStack gap="050">
                              <InlineStack gap="200" blockAlign="center" wrap>
                                <Text as="span" variant="bodySm" tone="subdued">
                                  {formatDateTime(e.at)}
                                </Text>
                                <Badge tone={RESULT_TONE[e.result as keyof typeof RESULT_TONE]}>{t(`activity.kind.${e.kind}`)}</Badge>
                                <Text as="span" variant="bodySm" tone="subdued">
                                  {t(`activity.source.${e.source}`)}
                                </Text>
                              </InlineStack>
                              <Text as="p">{t(e.summary, e.params)}</Text>
                              <ActivityReason summary={e.summary} reason={e.reason} reasonCode={e.reasonCode} />
                            </BlockStack>
                          </Box>
                        </li>
                      ))}
                    </ol>
                  )}
                </BlockStack>
              </Card>
            </BlockStack>
          </Layout.Section>
          <Layout.Section variant="oneThird">
            <BlockStack gap="400">
              <Card>
                <BlockStack gap="200">
                  <Text as="h2" variant="headingMd">
                    {t("orderPage.customer")}
                  </Text>
                  <Text as="p">{order.customerName ?? ""}</Text>
                  {order.company ? <Text as="p">{order.company}</Text> : null}
                  <Text as="p" breakWord>
                    {order.email ? <PolarisLink url={`mailto:${order.email}`}>{order.email}</PolarisLink> : t("orderPage.noEmail")}
                  </Text>
                  <Text as="p">{order.phone ? <PolarisLink url={`tel:${order.phone}`}>{order.phone}</PolarisLink> : t("orderPage.noPhone")}</Text>
                </BlockStack>
              </Card>
              <Card>
                <BlockStack gap="200">
                  <Text as="h2" variant="headingMd">
                    {t("orderPage.shipToImported")}
                  </Text>
                  <ImportedAddress address={order.shipToImported} country={country} testId="ship-to-imported" />
                </BlockStack>
              </Card>
              <Card>
                <BlockStack gap="200">
                  <Text as="h2" variant="headingMd">
                    {t("orderPage.billTo")}
                  </Text>
                  {order.billToImported ? (
                    <ImportedAddress address={order.billToImported} country={country} testId="bill-to-imported" />
                  ) : (
                    <Text as="p" tone="subdued">
                      {t("orderPage.billing.none")}
                    </Text>
                  )}
                </BlockStack>
              </Card>
              <Card>
                {/* As the carrier will receive it; "Adres aanpassen" stores Koppel's correction (never sent to the shop). */}
                <ShipToSection key={order.carrierShipTo.correctedAt ?? "imported"} orderId={String(order.id)} startEditing={false} onStateChange={() => {}} />
              </Card>
            </BlockStack>
          </Layout.Section>
        </Layout>
      </BlockStack>
      <LabelModal
        open={labelOpen}
        orderCount={1}
        incompleteCount={order.carrierShipTo.missing.length ? 1 : 0}
        carrier={carrier}
        submitting={busy}
        shipToOrderId={String(order.id)}
        customerMail={customerMail}
        selection={{ ids: [String(order.id)], matching: null }}
        onClose={() => setLabelOpen(false)}
        onSubmit={(o: LabelOptionsInput) => post({ intent: "create-label", mode: "rules", overrides: JSON.stringify(o.overrides) })}
      />
      <Modal
        open={removeOpen}
        onClose={() => setRemoveOpen(false)}
        title={t("orders.remove.title", { count: 1 })}
        primaryAction={
          awaitingWriteBack || (result?.intent === "remove" && result.needsWriteBackChoice)
            ? { content: t("removeWriteBack.keep"), loading: busy && fetcher.formData?.get("writeBack") === "keep", onAction: () => post({ intent: "remove", writeBack: "keep" }) }
            : { content: t("orders.remove.confirm"), destructive: true, loading: busy, onAction: () => post({ intent: "remove" }) }
        }
        secondaryActions={
          awaitingWriteBack || (result?.intent === "remove" && result.needsWriteBackChoice)
            ? [
                { content: t("removeWriteBack.cancel"), destructive: true, loading: busy && fetcher.formData?.get("writeBack") === "cancel", onAction: () => post({ intent: "remove", writeBack: "cancel" }) },
                { content: t("orders.cancel"), onAction: () => setRemoveOpen(false) },
              ]
            : [{ content: t("orders.cancel"), onAction: () => setRemoveOpen(false) }]
        }
      >
        <Modal.Section>
          <BlockStack gap="200">
            <Text as="p">{t("orders.remove.body")}</Text>
            {awaitingWriteBack || (result?.intent === "remove" && result.needsWriteBackChoice) ? (
              <Banner tone="warning">{t("removeWriteBack.warning", { count: 1 })}</Banner>
            ) : null}
          </BlockStack>
        </Modal.Section>
      </Modal>
    </Page>
  );
}

function LabelRequestState({ order }: { order: OrderPageView }) {
  const { t } = useI18n();
  const l = order.labelRequest;
  if (!l || l.state === "created") return null;
  const failure = labelFailureMessage(t, l);
  if (failure) return <ReasonText tone={failure.retrying ? "caution" : "critical"} text={failure.text} detail={failure.detail} />;
  return (
    <InlineStack>
      <Badge tone="info">{t("labels.state.pending")}</Badge>
    </InlineStack>
  );
}

function WriteBackFailure({ reason }: { reason: OrderPageView["shipments"][number]["writebackError"] }) {
  const { t } = useI18n();
  const m = reasonMessage(t, reason);
  return <ReasonText text={t("labels.state.writebackFailed", { reason: m.text })} detail={m.detail} />;
}

function WriteBackBadge({ state }: { state: string }) {
  const { t } = useI18n();
  const tone = state === "done" ? "success" : state === "failed" ? "critical" : state === "pending" ? "attention" : undefined;
  return <Badge tone={tone}>{t(`orderPage.writeback.${state}`)}</Badge>;
}

function ImportedAddress({ address: a, country, testId }: { address: ShipTo | null; country: (code: string) => string; testId: string }) {
  const { t } = useI18n();
  if (!a) return <Text as="p">{t("shipTo.none")}</Text>;
  const lines = [
    a.name,
    a.company ?? "",
    a.address1,
    a.address2 ?? "",
    a.street && a.houseNumber ? t("orderPage.streetApart", { street: a.street, number: [a.houseNumber, a.houseNumberAddition].filter(Boolean).join(" ") }) : "",
    [a.postcode, a.city].filter(Boolean).join(" "),
    a.province ?? "",
    a.country ? `${country(a.country)} (${a.country})` : "",
  ].filter((l) => l.trim() !== "");
  return (
    <div data-testid={testId}>
      <BlockStack gap="050">
        {lines.map((l, i) => (
          <Text as="p" key={i} breakWord>
            {l}
          </Text>
        ))}
      </BlockStack>
    </div>
  );
}

function ActionBanner({ result, onDismiss }: { result: OrderPageActionResult; onDismiss: () => void }) {
  const { t } = useI18n();
  if (result.intent === "remove" && result.needsWriteBackChoice) return null;
  let tone: "success" | "info" | "warning" | "critical" = result.ok ? "success" : "warning";
  let text: string;
  switch (result.intent) {
    case "create-label":
      if (result.ok) text = t(result.already ? "labels.result.already" : "labels.result.queued", { count: 1 });
      else if (result.reason === "incomplete") text = t("labels.incompleteBadge", missingFieldsParams(t, result.missing ?? []));
      else if (result.reason === "not_allowed") text = t("orderPage.label.notAllowed");
      else text = t(`labels.error.${result.reason}`, { max: "" });
      break;
    case "remove":
      text = result.ok ? t("orders.removed", { count: 1 }) : t("orders.nothingChanged");
      break;
    case "restore":
      text = result.ok ? t("orders.restored", { count: 1 }) : t("orders.nothingChanged");
      break;
    case "retry-writeback":
      tone = result.ok ? "info" : "warning";
      text = t(result.ok ? "labels.writebackRetried" : "labels.writebackNothing");
      break;
    default:
      tone = "critical";
      text = t("orders.invalidRequest");
  }
  return (
    <Banner tone={tone} onDismiss={onDismiss}>
      {text}
    </Banner>
  );
}
