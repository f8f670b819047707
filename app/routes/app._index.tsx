// "Geïmporteerde bestellingen": the shop's orders, filtered, searched, paged by cursor; bulk remove / restore;
// "Label aanmaken" per order or for a selection, with the batch's progress (?batch=<id>) and each order's label state.
// Orders whose address the carrier would refuse are marked before any click, with the fields it misses (the check
// requestLabels makes: missingShipToFields), and "Adres aanpassen" fixes them in the label dialog.
import { useEffect, useState } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form as RemixForm, useActionData, useFetcher, useLoaderData, useNavigate, useNavigation, useSearchParams, useSubmit } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  EmptySearchResult,
  IndexTable,
  InlineStack,
  Link as PolarisLink,
  List,
  Modal,
  Page,
  Tabs,
  Text,
  TextField,
  useBreakpoints,
  useIndexResourceState,
} from "@shopify/polaris";
import { z } from "zod";
import { db } from "~/db.server";
import { requireMerchant } from "~/merchant.server";
import { readFormData } from "~/body-limit.server";
import { ArrowRightIcon } from "@shopify/polaris-icons";
import {
  countOrdersByTab,
  DEFAULT_ORDER_SORT,
  listOrders,
  matchingOrderIds,
  ORDER_LABEL_FILTERS,
  ORDER_LIST_FILTERS,
  ORDER_SORTS,
  ordersAwaitingWriteBack,
  removeOrders,
  restoreOrders,
  type OrderListFilter,
} from "~/core/orders.server";
import { MAX_BULK_ORDERS, MAX_COLLI } from "~/core/labels/deps";
import { getCarrierConnection } from "~/core/labels/connection.server";
import { labelDialogData } from "~/label-dialog.server";
import { OrderListControls } from "~/components/OrderListControls";
import { OrderNumberLink, CondensedOrderRow } from "~/components/OrderListRow";
import { RemoveWriteBackChoice } from "~/components/RemoveWriteBackChoice";
import { orderDisplayStatus, ORDER_STATUS_TONE } from "~/components/order-status";
import { effectiveShipTo, missingShipToFields } from "~/core/labels/carrier-address";
import { missingFieldsParams } from "~/core/labels/ship-to-correction";
import { requestLabels } from "~/core/labels/request-labels.server";
import { retryWriteBack } from "~/core/labels/retries.server";
import { batchProgress, labelStateForOrders } from "~/core/labels/reads.server";
import { PACKAGE_TYPES } from "~/core/ports";
import { carrierFor } from "~/carriers/registry.server";
import { getRuntime, labelDeps } from "~/runtime.server";
import { LabelModal, type LabelOptionsInput } from "~/components/LabelModal";
import { createLabelsAnswer, createLabelsByRules, type RequestLabelsRefused, type RequestLabelsSkipped } from "~/label-rules-action.server";
import { LabelRulesResult } from "~/components/LabelRulesResult";
import { BatchProgress } from "~/components/BatchProgress";
import { ReasonText } from "~/components/ReasonText";
import { decodeReason, labelFailureMessage, reasonMessage } from "~/core/reasons";
import { useI18n } from "~/i18n/react";
import { SuccessNotice } from "~/components/SuccessNotice";
import { MAX_SEARCH_LENGTH, searchInput, textInput } from "~/core/text-input";

export async function loader({ request }: LoaderFunctionArgs) {
  const merchant = await requireMerchant(request);
  const url = new URL(request.url);
  // Schemas live inside the server functions: ORDER_LIST_FILTERS comes from a .server module, absent in the browser.
  const ListQuery = z.object({
    status: z.enum(ORDER_LIST_FILTERS).catch("to_ship"),
    q: searchInput(),
    after: textInput().max(400).optional().catch(undefined),
    before: textInput().max(400).optional().catch(undefined),
    sort: z.enum(ORDER_SORTS).catch(DEFAULT_ORDER_SORT),
    label: z.enum(ORDER_LABEL_FILTERS).catch("any"),
  });
  const query = ListQuery.parse({
    sort: url.searchParams.get("sort") ?? undefined,
    label: url.searchParams.get("label") ?? undefined,
    status: url.searchParams.get("status") ?? undefined,
    q: url.searchParams.get("q") ?? "",
    after: url.searchParams.get("after") ?? undefined,
    before: url.searchParams.get("before") ?? undefined,
  });
  const batchId = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional().catch(undefined).parse(url.searchParams.get("batch") || undefined);
  const page = await listOrders(db, merchant.shopId, {
    status: query.status,
    search: query.q.text,
    label: query.label,
    sort: query.sort,
    after: query.after,
    before: query.before,
    limit: 50,
  });
  // Totals per tab under the same search and label filter ("Te verzenden (62)", "Alle 62 bestellingen selecteren").
  const counts = await countOrdersByTab(db, merchant.shopId, { search: query.q.text, label: query.label });
  const conn = await getCarrierConnection(db, merchant.shopId);
  const ids = page.rows.map((o) => o.id);
  // Latest label request per order (the core orders newest first).
  const labelStates = new Map<number, Awaited<ReturnType<typeof labelStateForOrders>>[number]>();
  for (const s of await labelStateForOrders(db, merchant.shopId, ids)) if (!labelStates.has(s.orderId)) labelStates.set(s.orderId, s);
  // Addresses the carrier would refuse, flagged before any call (only orders that can still get a label): the
  // effective ship-to (the merchant's correction, else the imported one), checked as requestLabels checks it.
  const missing = new Map<number, string[]>();
  if (conn) {
    const carrier = carrierFor(conn.carrier);
    for (const o of page.rows) {
      if (o.status !== "to_ship" || o.removedAt) continue;
      const m = missingShipToFields(carrier, o);
      if (m.length) missing.set(o.id, m);
    }
  }
  const batch = batchId ? await batchProgress(db, merchant.shopId, batchId) : null;
  // "Select all matching" across pages: the tab's total.
  const matchingCount = counts[query.status];
  return {
    ...(await labelDialogData(merchant)),
    batch,
    counts,
    sort: query.sort,
    label: query.label,
    status: query.status,
    q: query.q.text,
    /** The search was longer than MAX_SEARCH_LENGTH: only its start was searched (the page says so). */
    searchTruncated: query.q.truncated,
    matchingCount,
    nextCursor: page.nextCursor,
    prevCursor: page.prevCursor,
    orders: page.rows.map((o) => {
      const shipTo = effectiveShipTo(o);
      return {
      id: String(o.id),
      number: o.number,
      placedAt: o.placedAt.toISOString(),
      status: o.status,
      removed: o.removedAt !== null,
      customerName: o.customerName ?? "",
      company: o.company ?? "",
      email: o.email ?? "",
      // Where the parcel goes: the corrected address when there is one.
      postcode: (o.shipToCorrected ? shipTo?.postcode : o.shipPostcode) ?? "",
      city: (o.shipToCorrected ? shipTo?.city : o.shipCity) ?? "",
      country: (o.shipToCorrected ? shipTo?.country : o.shipCountry) ?? "",
      itemCount: o.itemCount,
      weightGrams: o.weightGrams,
      /** The carrier's labels.field.* keys it would refuse ([] = it takes the address, or no carrier yet). */
      missingAddress: missing.get(o.id) ?? [],
      /** The merchant corrected the ship-to in Koppel ("Adres aangepast"). */
      addressCorrected: o.shipToCorrected !== null,
      label: labelView(labelStates.get(o.id)),
      hasLabel: Boolean(labelStates.get(o.id)?.shipmentId),
      };
    }),
  };
}

type LabelStateRow = Awaited<ReturnType<typeof labelStateForOrders>>[number];

/** What the list shows about an order's latest label request (no carrier ids or raw replies). */
function labelView(s: LabelStateRow | undefined) {
  if (!s) return null;
  return {
    state: s.state,
    /** Code + the carrier's text; on a pending request: its last failed attempt (the queue retries). */
    reason: decodeReason(s.lastError),
    attempts: s.attempts,
    trackingNumber: s.trackingNumber ?? "",
    trackingUrl: s.trackingUrl ?? "",
    writebackState: s.writebackState ?? null,
    writebackError: decodeReason(s.writebackError),
    shipmentId: s.shipmentId ? String(s.shipmentId) : null,
  };
}

export type OrdersActionResult =
  | { ok: true; intent: "remove" | "restore"; count: number }
  /** Some selected orders have a label whose write-back is pending: nothing removed, the merchant chooses. */
  | { ok: false; intent: "remove"; count: 0; awaitingWriteBack: number }
  | { ok: false; intent: null; count: 0 };

export type CreateLabelsResult =
  | { intent: "create-labels"; ok: false; reason: "no_carrier" | "no_from_address" | "too_many" | "bad_options" | "bad_dimensions" | "invalid"; detail?: string }
  | {
      intent: "create-labels";
      ok: true;
      batchId: number | null;
      queued: number;
      alreadyRequested: number;
      incomplete: { orderId: number; number: string; missing: string[] }[];
      notAllowed: string[];
      skipped: RequestLabelsSkipped;
      refused: RequestLabelsRefused;
    };

export type RetryWritebackResult = { intent: "retry-writeback"; ok: boolean };

export async function action({ request }: ActionFunctionArgs): Promise<OrdersActionResult | CreateLabelsResult | RetryWritebackResult> {
  const merchant = await requireMerchant(request);
  const form = await readFormData(request);
  const intent = form.get("intent");

  // The selection: ids from the page, or "all matching" the list's filter and search (at most MAX_BULK_ORDERS + 1,
  // so the limit below can say "too many").
  const selection = async (): Promise<string[]> => {
    if (form.get("scope") !== "matching") return form.getAll("ids").map(String);
    const Scope = z.object({ status: z.enum(ORDER_LIST_FILTERS), q: searchInput(), label: z.enum(ORDER_LABEL_FILTERS).catch("any") });
    const scope = Scope.safeParse({ status: form.get("status"), q: form.get("q") ?? "", label: form.get("label") ?? undefined });
    if (!scope.success) return [];
    const ids = await matchingOrderIds(db, merchant.shopId, { status: scope.data.status, search: scope.data.q.text, label: scope.data.label, max: MAX_BULK_ORDERS + 1 });
    return ids.map(String);
  };

  if (intent === "create-labels" && form.get("mode") === "rules") return createLabelsByRules(merchant.shopId, form, await selection());
  if (intent === "create-labels") {
    const CreateLabels = z.object({
      ids: z.array(z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER)).min(1).max(MAX_BULK_ORDERS),
      service: textInput().trim().min(1).max(200),
      colli: z.coerce.number().int().min(1).max(MAX_COLLI),
      packageType: z.enum(PACKAGE_TYPES),
    });
    const parsed = CreateLabels.safeParse({
      ids: await selection(),
      service: form.get("service"),
      colli: form.get("colli"),
      packageType: form.get("packageType"),
    });
    if (!parsed.success) {
      const tooMany = parsed.error.issues.some((i) => i.path[0] === "ids" && i.code === "too_big");
      return tooMany
        ? { intent: "create-labels", ok: false, reason: "too_many", detail: String(MAX_BULK_ORDERS) }
        : { intent: "create-labels", ok: false, reason: "invalid" };
    }
    const { ids, ...options } = parsed.data;
    return createLabelsAnswer(await requestLabels(labelDeps(await getRuntime()), merchant.shopId, { orderIds: ids, options, source: "merchant" }));
  }

  if (intent === "retry-writeback") {
    const parsed = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).safeParse(form.get("shipmentId"));
    if (!parsed.success) return { intent: "retry-writeback", ok: false };
    return { intent: "retry-writeback", ok: await retryWriteBack(labelDeps(await getRuntime()), merchant.shopId, parsed.data) };
  }

  const BulkAction = z.object({
    intent: z.enum(["remove", "restore"]),
    ids: z.array(z.coerce.number().int().positive()).min(1).max(MAX_BULK_ORDERS),
  });
  const parsed = BulkAction.safeParse({ intent, ids: await selection() });
  if (!parsed.success) return { ok: false, intent: null, count: 0 };
  const { intent: bulkIntent, ids } = parsed.data;
  // Removing orders whose label exists but whose write-back is pending asks first: should the shop still be told?
  const writeBack = z.enum(["keep", "cancel"]).optional().catch(undefined).parse(form.get("writeBack") ?? undefined);
  if (bulkIntent === "remove" && !writeBack) {
    const awaiting = await ordersAwaitingWriteBack(db, merchant.shopId, ids);
    if (awaiting.length) return { ok: false, intent: "remove", count: 0, awaitingWriteBack: awaiting.length };
  }
  const count =
    bulkIntent === "remove"
      ? await removeOrders(db, merchant.shopId, ids, { cancelWriteBack: writeBack === "cancel" })
      : await restoreOrders(db, merchant.shopId, ids);
  return { ok: true, intent: bulkIntent, count };
}

type Row = Awaited<ReturnType<typeof loader>>["orders"][number];

/** Polaris row clicks toggle selection: buttons and links inside a row must not. */
function NoRowClick({ children }: { children: React.ReactNode }) {
  return <div onClick={(e) => e.stopPropagation()}>{children}</div>;
}

export default function OrdersPage() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const result = actionData && (actionData.intent === "remove" || actionData.intent === "restore" || actionData.intent === null) ? (actionData as OrdersActionResult) : undefined;
  const { t, formatDateTime, formatWeight } = useI18n();
  const [searchParams] = useSearchParams();
  const navigate = useNavigate();
  const navigation = useNavigation();
  const submit = useSubmit();
  const labelFetcher = useFetcher<CreateLabelsResult>({ key: "create-labels" });
  const writebackFetcher = useFetcher<RetryWritebackResult>({ key: "retry-writeback" });
  const [query, setQuery] = useState(data.q);
  const [confirmOpen, setConfirmOpen] = useState(false);
  const [dismissed, setDismissed] = useState<OrdersActionResult | undefined>(undefined);
  const [labelOrderIds, setLabelOrderIds] = useState<string[] | null>(null);
  const [labelMatching, setLabelMatching] = useState(false);
  const [labelResult, setLabelResult] = useState<CreateLabelsResult | null>(null);
  /** The dialog opens with "Adres aanpassen" already open (from a marked row or the skipped list). */
  const [editAddress, setEditAddress] = useState(false);
  const [batchClosed, setBatchClosed] = useState(false);
  const { smDown: narrow } = useBreakpoints();
  /** The remove that waits for the merchant's answer about pending write-backs (the selection it was made with). */
  const [writeBackChoice, setWriteBackChoice] = useState<{ count: number; ids: string[]; matching: boolean } | null>(null);

  const rows = data.orders as Row[];
  const { selectedResources, allResourcesSelected, handleSelectionChange, clearSelection } = useIndexResourceState(rows);

  useEffect(() => setQuery(data.q), [data.q]);
  useEffect(() => {
    if (result) clearSelection();
  }, [result]);
  useEffect(() => {
    clearSelection();
  }, [data.status, data.q, searchParams.get("after"), searchParams.get("before")]);

  const go = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(searchParams);
    next.delete("index"); // left in the address by a bulk action's POST to ?index
    for (const [k, v] of Object.entries(changes)) {
      if (v === null || v === "") next.delete(k);
      else next.set(k, v);
    }
    navigate(`?${next.toString()}`);
  };

  // A finished "create-labels" submit: keep its result on screen and put the batch in the address (a reload keeps it).
  useEffect(() => {
    const r = labelFetcher.data;
    if (labelFetcher.state !== "idle" || !r) return;
    setLabelResult(r);
    setLabelOrderIds(null);
    clearSelection();
    if (r.ok && r.batchId !== null) {
      setBatchClosed(false);
      go({ batch: String(r.batchId) });
    }
  }, [labelFetcher.state, labelFetcher.data]);

  const filters: OrderListFilter[] = ["to_ship", "shipped", "cancelled", "removed", "all"];
  const tabs = filters.map((f) => ({ id: `orders-${f}`, content: t("orders.tab.count", { label: t(`orders.filter.${f}`), count: data.counts[f] }), panelID: "orders-panel" }));
  const selectedTab = Math.max(0, filters.indexOf(data.status));

  const selectedIds = allResourcesSelected ? rows.map((r) => r.id) : selectedResources;
  // Polaris offers "select all matching" when there are more pages; the server then resolves the filter itself.
  const morePages = Boolean(data.nextCursor || data.prevCursor);
  const allMatching = allResourcesSelected && morePages;
  const selectedCount = allMatching ? data.matchingCount : selectedIds.length;
  const appendSelection = (form: FormData, ids: string[], matching: boolean) => {
    if (matching) {
      form.set("scope", "matching");
      form.set("status", data.status);
      form.set("q", data.q);
      form.set("label", data.label);
    } else ids.forEach((id) => form.append("ids", id));
  };
  const busy = navigation.state === "submitting";

  const bulk = (intent: "remove" | "restore", writeBack?: { choice: "keep" | "cancel"; ids: string[]; matching: boolean }) => {
    const form = new FormData();
    form.set("intent", intent);
    appendSelection(form, writeBack ? writeBack.ids : selectedIds, writeBack ? writeBack.matching : allMatching);
    if (writeBack) form.set("writeBack", writeBack.choice);
    else if (intent === "remove") setWriteBackChoice({ count: 0, ids: selectedIds, matching: allMatching });
    submit(form, { method: "post" });
    setConfirmOpen(false);
  };
  // The server found pending write-backs among the selection: ask, then remove the same selection with the answer.
  useEffect(() => {
    if (result && "awaitingWriteBack" in result) setWriteBackChoice((c) => (c ? { ...c, count: result.awaitingWriteBack } : null));
    else if (result) setWriteBackChoice(null);
  }, [result]);

  const createLabels = (ids: string[], options: LabelOptionsInput) => {
    const form = new FormData();
    form.set("intent", "create-labels");
    appendSelection(form, ids, labelMatching);
    // By the shipping rules, with the dialog's per-group changes.
    form.set("mode", "rules");
    form.set("overrides", JSON.stringify(options.overrides));
    labelFetcher.submit(form, { method: "post", action: "/app?index" });
  };

  const retryWriteback = (shipmentId: string) => {
    const form = new FormData();
    form.set("intent", "retry-writeback");
    form.set("shipmentId", shipmentId);
    writebackFetcher.submit(form, { method: "post", action: "/app?index" });
  };

  const promotedBulkActions =
    data.status === "removed"
      ? [{ content: t("orders.bulk.restore"), onAction: () => bulk("restore") }]
      : [
          {
            content: t("labels.create"),
            onAction: () => {
              setLabelMatching(allMatching);
              setEditAddress(false);
              setLabelOrderIds(selectedIds);
            },
          },
          { content: t("orders.bulk.remove"), destructive: true, onAction: () => setConfirmOpen(true) },
        ];

  const emptyState = (
    <EmptySearchResult
      title={t("orders.empty.title")}
      description={data.q ? t("orders.empty.search") : data.status === "to_ship" ? t("orders.empty.to_ship") : t("orders.empty.other")}
      withIllustration
    />
  );

  /** The carrier's refusal in words: "De vervoerder weigert dit adres: huisnummer ontbreekt of klopt niet". */
  const missingReason = (missing: string[]) => t("labels.incompleteBadge", missingFieldsParams(t, missing));
  const openLabelDialog = (orderId: string, opts: { editAddress?: boolean } = {}) => {
    setLabelMatching(false);
    setEditAddress(Boolean(opts.editAddress));
    setLabelOrderIds([orderId]);
  };

  const labelCell = (o: Row) => {
    const l = o.label;
    const canCreate = o.status === "to_ship" && !o.removed && (!l || l.state === "rejected" || l.state === "failed");
    const incomplete = o.missingAddress.length > 0;
    const tracking = l?.trackingNumber ? (
      l.trackingUrl ? (
        <PolarisLink url={l.trackingUrl} external>
          {l.trackingNumber}
        </PolarisLink>
      ) : (
        <Text as="span">{l.trackingNumber}</Text>
      )
    ) : null;
    let state: React.ReactNode = null;
    if (l) {
      const failure = labelFailureMessage(t, l);
      if (failure) state = <ReasonText tone={failure.retrying ? "caution" : "critical"} text={failure.text} detail={failure.detail} />;
      else if (l.state === "queued" || l.state === "sending") state = <Badge tone="info">{t("labels.state.pending")}</Badge>;
      else if (l.writebackState === "failed") {
        const wb = reasonMessage(t, l.writebackError);
        state = (
          <BlockStack gap="100">
            <ReasonText text={t("labels.state.writebackFailed", { reason: wb.text })} detail={wb.detail} />
            {l.shipmentId ? (
              <InlineStack>
                <Button
                  size="slim"
                  loading={writebackFetcher.state !== "idle" && writebackFetcher.formData?.get("shipmentId") === l.shipmentId}
                  onClick={() => retryWriteback(l.shipmentId!)}
                >
                  {t("labels.retryWriteback")}
                </Button>
              </InlineStack>
            ) : null}
          </BlockStack>
        );
      }
      // A label made (waiting or written back) is said by the Status column ("Label gemaakt" / "Verzonden"), once.
    }
    return (
      <NoRowClick>
        <BlockStack gap="100" inlineAlign="start">
          {state}
          {tracking}
          {canCreate && incomplete ? <Badge tone="warning">{missingReason(o.missingAddress)}</Badge> : null}
          {canCreate && incomplete ? (
            <Button size="slim" onClick={() => openLabelDialog(o.id, { editAddress: true })}>
              {t("labels.fixAddress")}
            </Button>
          ) : canCreate ? (
            <Button size="slim" icon={ArrowRightIcon} onClick={() => openLabelDialog(o.id)}>
              {t("labels.create")}
            </Button>
          ) : null}
        </BlockStack>
      </NoRowClick>
    );
  };

  const rowMarkup = rows.map((o, index) => {
    const statusKey = orderDisplayStatus(o);
    const statusBadge = <Badge tone={ORDER_STATUS_TONE[statusKey]}>{t(`orders.status.${statusKey}`)}</Badge>;
    if (narrow) {
      // 360–390 px: one cell per order — number, customer, status and the action — without scrolling sideways.
      return (
        <IndexTable.Row id={o.id} key={o.id} position={index} selected={selectedResources.includes(o.id)}>
          <CondensedOrderRow
            orderId={o.id}
            number={o.number}
            customer={o.customerName || o.company}
            place={[o.postcode, o.city, o.country].filter(Boolean).join(" ")}
            status={statusBadge}
            note={
              o.addressCorrected ? (
                <span>
                  <Badge tone="info">{t("labels.corrected")}</Badge>
                </span>
              ) : null
            }
            action={labelCell(o)}
          />
        </IndexTable.Row>
      );
    }
    return (
      <IndexTable.Row id={o.id} key={o.id} position={index} selected={selectedResources.includes(o.id)}>
        <IndexTable.Cell>
          <NoRowClick>
            <OrderNumberLink orderId={o.id} number={o.number} />
          </NoRowClick>
        </IndexTable.Cell>
        <IndexTable.Cell>{formatDateTime(o.placedAt)}</IndexTable.Cell>
        <IndexTable.Cell>
          <BlockStack gap="050">
            <Text as="span">{o.customerName}</Text>
            {o.company ? (
              <Text as="span" tone="subdued">
                {o.company}
              </Text>
            ) : null}
          </BlockStack>
        </IndexTable.Cell>
        <IndexTable.Cell>
          <BlockStack gap="050">
            <Text as="span">{[o.postcode, o.city].filter(Boolean).join(" ")}</Text>
            <Text as="span" tone="subdued">
              {o.country}
            </Text>
            {o.addressCorrected ? (
              <span>
                <Badge tone="info">{t("labels.corrected")}</Badge>
              </span>
            ) : null}
          </BlockStack>
        </IndexTable.Cell>
        <IndexTable.Cell>
          <BlockStack gap="050">
            <Text as="span">{t("orders.items", { count: o.itemCount })}</Text>
            <Text as="span" tone="subdued">
              {formatWeight(o.weightGrams)}
            </Text>
          </BlockStack>
        </IndexTable.Cell>
        <IndexTable.Cell>{statusBadge}</IndexTable.Cell>
        <IndexTable.Cell>{labelCell(o)}</IndexTable.Cell>
      </IndexTable.Row>
    );
  });

  const showResult = result && result !== dismissed && !("awaitingWriteBack" in result);
  const labelIncomplete = labelOrderIds ? rows.filter((r) => labelOrderIds.includes(r.id) && r.missingAddress.length).length : 0;
  const writebackResult = writebackFetcher.state === "idle" ? writebackFetcher.data : undefined;

  return (
    <Page title={t("orders.title")} fullWidth>
      <BlockStack gap="400">
        {showResult && result.ok && result.count > 0 ? (
          <SuccessNotice trigger={result} onDismiss={() => setDismissed(result)}>
            {t(result.intent === "remove" ? "orders.removed" : "orders.restored", { count: result.count })}
          </SuccessNotice>
        ) : showResult ? (
          <Banner
            tone={result.ok && result.count > 0 ? "success" : result.ok ? "info" : "critical"}
            onDismiss={() => setDismissed(result)}
          >
            {!result.ok
              ? t("orders.invalidRequest")
              : result.count === 0
                ? t("orders.nothingChanged")
                : t(result.intent === "remove" ? "orders.removed" : "orders.restored", { count: result.count })}
          </Banner>
        ) : null}
        {labelResult ? (
          <LabelResultBanner
            result={labelResult}
            progress={data.batch && labelResult.ok && data.batch.batchId === labelResult.batchId ? data.batch : null}
            onDismiss={() => setLabelResult(null)}
            onFixAddress={(orderId) => openLabelDialog(String(orderId), { editAddress: true })}
          />
        ) : null}
        {writebackResult?.ok ? (
          <SuccessNotice trigger={writebackResult} tone="info">
            {t("labels.writebackRetried")}
          </SuccessNotice>
        ) : writebackResult ? (
          <Banner tone={writebackResult.ok ? "info" : "warning"}>{t(writebackResult.ok ? "labels.writebackRetried" : "labels.writebackNothing")}</Banner>
        ) : null}
        {data.batch && !batchClosed ? (
          <BatchProgress
            key={data.batch.batchId}
            initial={data.batch}
            onClose={() => {
              setBatchClosed(true);
              setLabelResult(null);
              go({ batch: null });
            }}
          />
        ) : null}
        <Card padding="0">
          <Tabs tabs={tabs} selected={selectedTab} onSelect={(i) => go({ status: filters[i] ?? "to_ship", after: null, before: null })} />
          <Box padding="300">
            <RemixForm method="get" role="search">
              <input type="hidden" name="status" value={data.status} />
              <InlineStack gap="200" blockAlign="end" wrap={false}>
                <div style={{ flex: 1 }}>
                  <TextField
                    label={t("orders.search.label")}
                    labelHidden
                    name="q"
                    value={query}
                    onChange={setQuery}
                    placeholder={t("orders.search.placeholder")}
                    maxLength={MAX_SEARCH_LENGTH}
                    helpText={data.searchTruncated ? t("orders.search.truncated", { max: MAX_SEARCH_LENGTH }) : undefined}
                    autoComplete="off"
                    clearButton
                    onClearButtonClick={() => {
                      setQuery("");
                      go({ q: null, after: null, before: null });
                    }}
                  />
                </div>
                <Button submit>{t("orders.search.submit")}</Button>
              </InlineStack>
            </RemixForm>
            <OrderListControls
              sort={data.sort}
              label={data.label}
              onSort={(sort) => go({ sort: sort === "date_desc" ? null : sort, after: null, before: null })}
              onLabel={(label) => go({ label: label === "any" ? null : label, after: null, before: null })}
            />
          </Box>
          <IndexTable
            resourceName={{ singular: t("orders.resourceName.singular"), plural: t("orders.resourceName.plural") }}
            itemCount={rows.length}
            selectedItemsCount={allResourcesSelected ? "All" : selectedResources.length}
            hasMoreItems={morePages}
            condensed={narrow}
            paginatedSelectAllActionText={t("orders.selectAllMatching", { count: data.matchingCount })}
            paginatedSelectAllText={t("orders.allMatchingSelected", { count: data.matchingCount })}
            onSelectionChange={handleSelectionChange}
            promotedBulkActions={promotedBulkActions}
            loading={navigation.state === "loading"}
            emptyState={emptyState}
            headings={[
              { title: t("orders.col.number") },
              { title: t("orders.col.date") },
              { title: t("orders.col.customer") },
              { title: t("orders.col.destination") },
              { title: `${t("orders.col.items")} / ${t("orders.col.weight")}` },
              { title: t("orders.col.status") },
              { title: t("orders.col.label") },
            ]}
            pagination={{
              hasPrevious: Boolean(data.prevCursor),
              hasNext: Boolean(data.nextCursor),
              onPrevious: () => go({ before: data.prevCursor, after: null }),
              onNext: () => go({ after: data.nextCursor, before: null }),
            }}
          >
            {rowMarkup}
          </IndexTable>
        </Card>
      </BlockStack>
      <Modal
        open={confirmOpen}
        onClose={() => setConfirmOpen(false)}
        title={t("orders.remove.title", { count: selectedCount })}
        primaryAction={{ content: t("orders.remove.confirm"), destructive: true, loading: busy, onAction: () => bulk("remove") }}
        secondaryActions={[{ content: t("orders.cancel"), onAction: () => setConfirmOpen(false) }]}
      >
        <Modal.Section>
          <Text as="p">{t("orders.remove.body")}</Text>
        </Modal.Section>
      </Modal>
      <RemoveWriteBackChoice
        open={Boolean(writeBackChoice && writeBackChoice.count > 0)}
        count={writeBackChoice?.count ?? 0}
        busy={busy}
        onChoose={(choice) => writeBackChoice && bulk("remove", { choice, ids: writeBackChoice.ids, matching: writeBackChoice.matching })}
        onClose={() => setWriteBackChoice(null)}
      />
      <LabelModal
        open={labelOrderIds !== null}
        orderCount={labelMatching ? data.matchingCount : (labelOrderIds?.length ?? 0)}
        incompleteCount={labelIncomplete}
        carrier={data.carrier}
        submitting={labelFetcher.state !== "idle"}
        shipToOrderId={!labelMatching && labelOrderIds?.length === 1 ? labelOrderIds[0] : null}
        editAddress={editAddress}
        customerMail={data.customerMail}
        selection={labelOrderIds ? { ids: labelMatching ? [] : labelOrderIds, matching: labelMatching ? { status: data.status, q: data.q, label: data.label } : null } : null}
        onClose={() => {
          setLabelOrderIds(null);
          setLabelMatching(false);
          setEditAddress(false);
        }}
        onSubmit={(options) => labelOrderIds && createLabels(labelOrderIds, options)}
      />
    </Page>
  );
}

function LabelResultBanner({
  result,
  progress,
  onDismiss,
  onFixAddress,
}: {
  result: CreateLabelsResult;
  /** The batch as the page last loaded it: once it is finished the banner says what was made, not "wordt aangemaakt". */
  progress: { pending: number; created: number; failed: unknown[] } | null;
  onDismiss: () => void;
  onFixAddress: (orderId: number) => void;
}) {
  const { t } = useI18n();
  if (!result.ok) {
    return (
      <Banner tone="critical" onDismiss={onDismiss}>
        {t(`labels.error.${result.reason}`, { max: result.detail ?? "" })}
      </Banner>
    );
  }
  const problems = result.incomplete.length > 0 || result.notAllowed.length > 0;
  return (
    <Banner tone={problems ? "warning" : result.queued > 0 ? "success" : "info"} onDismiss={onDismiss}>
      <BlockStack gap="200">
        {result.queued > 0 ? (
          <Text as="p">
            {progress && progress.pending <= 0
              ? [
                  t("labels.result.made", { count: progress.created }),
                  progress.failed.length ? t("labels.result.madeFailed", { count: progress.failed.length }) : "",
                ]
                  .filter(Boolean)
                  .join(" ")
              : t("labels.result.queued", { count: result.queued })}
          </Text>
        ) : null}
        {result.alreadyRequested > 0 ? <Text as="p">{t("labels.result.already", { count: result.alreadyRequested })}</Text> : null}
        {result.queued === 0 && result.alreadyRequested === 0 ? <Text as="p">{t("labels.result.none")}</Text> : null}
        {result.incomplete.length ? (
          <BlockStack gap="100">
            <Text as="p">{t("labels.result.incomplete")}</Text>
            <List type="bullet">
              {result.incomplete.map((i) => (
                <List.Item key={i.orderId}>
                  <Text as="span">{t("labels.result.incompleteItem", { number: i.number, ...missingFieldsParams(t, i.missing) })}</Text>{" "}
                  <Button variant="plain" onClick={() => onFixAddress(i.orderId)} accessibilityLabel={`${t("labels.fixAddress")} ${i.number}`}>
                    {t("labels.fixAddress")}
                  </Button>
                </List.Item>
              ))}
            </List>
          </BlockStack>
        ) : null}
        {result.notAllowed.length ? <Text as="p">{t("labels.result.notAllowed", { numbers: result.notAllowed.join(", ") })}</Text> : null}
        <LabelRulesResult skipped={result.skipped} refused={result.refused} />
      </BlockStack>
    </Banner>
  );
}
