// The order page's content (app/routes/app.orders.$orderId._index.tsx): customer, the ship-to as the shop sent it and
// as the carrier will receive it ("Adres aanpassen" through ShipToSection), items, shipments with tracking and
// write-back, the Koppel timeline, and the actions: Label aanmaken (LabelModal), Verwijderen / Herstellen (asking about
// a pending write-back), Opnieuw terugschrijven. While the order's label is being made (or its fresh write-back is
// under way) the page revalidates itself about every second, like the list's batch progress, and stops when it is
// done: the banner then says the label was made (or why not), and the shipment shows with its tracking and status.
import { useEffect, useRef, useState } from "react";
import { useFetcher, useRevalidator } from "@remix-run/react";
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
import { showToast } from "./app-bridge-toast";

export type OrderPageActionResult =
  | { intent: "create-label"; ok: true; already: boolean }
  | { intent: "create-label"; ok: false; reason: string; missing?: string[] }
  | { intent: "remove"; ok: boolean; needsWriteBackChoice?: boolean }
  | { intent: "restore" | "retry-writeback"; ok: boolean }
  | { intent: null; ok: false };

const RESULT_TONE = { ok: "success", skipped: "info", failed: "critical" } as const;

/** How often the page revalidates while the label is being made, and while a write-back it follows is pending. */
export const ORDER_POLL_MS = 1000;
export const ORDER_WRITEBACK_POLL_MS = 2000;
/** A write-back is followed this many revalidations at most (one that keeps retrying shows its state on a reload). */
export const ORDER_WRITEBACK_POLLS = 30;

type LabelProgress = "live" | "made" | "failed" | null;

/** Where the order's latest label request is: being made (queued, sending), made, or failed for good. */
export function labelProgress(order: Pick<OrderPageView, "labelRequest" | "shipments">): LabelProgress {
  const state = order.labelRequest?.state;
  if (state === "queued" || state === "sending") return "live";
  if (state === "created" || order.shipments.length > 0) return "made";
  if (state === "failed" || state === "rejected") return "failed";
  return null;
}

/**
 * Revalidates the page while the label is being made, then while the write-back of the label it made is pending (at
 * most ORDER_WRITEBACK_POLLS times), and stops: no manual reload. Inside Shopify's admin a label made while the page
 * watched is also App Bridge's toast.
 */
function useFollowLabel(order: OrderPageView, busy: boolean, counters: { requested: number; writeBackRetried: number }) {
  const { t } = useI18n();
  const revalidator = useRevalidator();
  const progress = labelProgress(order);
  const writeBackPending = order.shipments.some((s) => s.writebackState === "pending");
  const writeBackPolls = useRef(0);
  const sawLive = useRef(progress === "live");

  // A write-back retried from this page is followed afresh.
  useEffect(() => {
    writeBackPolls.current = 0;
  }, [counters.writeBackRetried]);
  // Requested from this page: the label is watched even when it was made before the page first saw it pending.
  useEffect(() => {
    if (counters.requested) sawLive.current = true;
  }, [counters.requested]);

  useEffect(() => {
    if (progress === "live") {
      sawLive.current = true;
      writeBackPolls.current = 0;
    } else if (sawLive.current) {
      sawLive.current = false;
      if (progress === "made") showToast(t("toast.labelsCreated", { count: 1 }));
    }
  }, [progress, counters.requested]);

  const follow = progress === "live" || (writeBackPending && writeBackPolls.current < ORDER_WRITEBACK_POLLS);
  useEffect(() => {
    if (!follow || busy || revalidator.state !== "idle") return;
    const timer = setTimeout(
      () => {
        if (progress !== "live") writeBackPolls.current += 1;
        revalidator.revalidate();
      },
      progress === "live" ? ORDER_POLL_MS : ORDER_WRITEBACK_POLL_MS,
    );
    return () => clearTimeout(timer);
    // `order` is new after every revalidation: the next poll is timed from it.
  }, [follow, busy, revalidator.state, order]);
}

export function OrderDetails({ order, carrier, customerMail }: { order: OrderPageView; carrier: LabelCarrierInfo | null; customerMail: CustomerMailInfo }) {
  const { t, locale, formatDateTime, formatWeight } = useI18n();
  const fetcher = useFetcher<OrderPageActionResult>({ key: `order-${order.id}` });
  const [labelOpen, setLabelOpen] = useState(false);
  const [removeOpen, setRemoveOpen] = useState(false);
  const [result, setResult] = useState<OrderPageActionResult | null>(null);
  const [counters, setCounters] = useState({ requested: 0, writeBackRetried: 0 });
  const busy = fetcher.state !== "idle";
  useFollowLabel(order, busy, counters);

  useEffect(() => {
    if (fetcher.state !== "idle" || !fetcher.data) return;
    const r = fetcher.data;
    setResult(r);
    if (r.intent === "create-label" && r.ok && !r.already) setCounters((c) => ({ ...c, requested: c.requested + 1 }));
    if (r.intent === "retry-writeback" && r.ok) setCounters((c) => ({ ...c, writeBackRetried: c.writeBackRetried + 1 }));
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
        {result ? <ActionBanner result={result} order={order} onDismiss={() => setResult(null)} /> : null}
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

function ActionBanner({ result, order, onDismiss }: { result: OrderPageActionResult; order: OrderPageView; onDismiss: () => void }) {
  const { t } = useI18n();
  if (result.intent === "remove" && result.needsWriteBackChoice) return null;
  let tone: "success" | "info" | "warning" | "critical" = result.ok ? "success" : "warning";
  let text: string;
  switch (result.intent) {
    case "create-label":
      if (result.ok) {
        // The wording follows the label as the page revalidates: being made, made, or failed (the reason is below).
        const progress = labelProgress(order);
        if (progress === "made") text = t("labels.result.made", { count: 1 });
        else if (progress === "failed") {
          tone = "critical";
          text = labelFailureMessage(t, order.labelRequest!)?.text ?? t("labels.result.madeFailed", { count: 1 });
        } else {
          tone = "info";
          text = t(result.already ? "labels.result.already" : "labels.result.queued", { count: 1 });
        }
      } else if (result.reason === "incomplete") text = t("labels.incompleteBadge", missingFieldsParams(t, result.missing ?? []));
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
