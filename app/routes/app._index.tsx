// "Geïmporteerde bestellingen": the shop's orders, filtered, searched, paged by cursor; bulk remove / restore.
import { useEffect, useState } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form as RemixForm, useActionData, useLoaderData, useNavigate, useNavigation, useSearchParams, useSubmit } from "@remix-run/react";
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
  Modal,
  Page,
  Tabs,
  Text,
  TextField,
  useIndexResourceState,
} from "@shopify/polaris";
import { z } from "zod";
import { db } from "~/db.server";
import { requireMerchant } from "~/merchant.server";
import { listOrders, removeOrders, restoreOrders, ORDER_LIST_FILTERS, type OrderListFilter } from "~/core/orders.server";
import { useI18n } from "~/i18n/react";

export async function loader({ request }: LoaderFunctionArgs) {
  const merchant = await requireMerchant(request);
  const url = new URL(request.url);
  // Schemas live inside the server functions: ORDER_LIST_FILTERS comes from a .server module, absent in the browser.
  const ListQuery = z.object({
    status: z.enum(ORDER_LIST_FILTERS).catch("to_ship"),
    q: z.string().trim().max(100).catch(""),
    after: z.string().max(200).optional().catch(undefined),
    before: z.string().max(200).optional().catch(undefined),
  });
  const query = ListQuery.parse({
    status: url.searchParams.get("status") ?? undefined,
    q: url.searchParams.get("q") ?? "",
    after: url.searchParams.get("after") ?? undefined,
    before: url.searchParams.get("before") ?? undefined,
  });
  const page = await listOrders(db, merchant.shopId, {
    status: query.status,
    search: query.q,
    after: query.after,
    before: query.before,
    limit: 50,
  });
  return {
    status: query.status,
    q: query.q,
    nextCursor: page.nextCursor,
    prevCursor: page.prevCursor,
    orders: page.rows.map((o) => ({
      id: String(o.id),
      number: o.number,
      placedAt: o.placedAt.toISOString(),
      status: o.status,
      removed: o.removedAt !== null,
      customerName: o.customerName ?? "",
      company: o.company ?? "",
      email: o.email ?? "",
      postcode: o.shipPostcode ?? "",
      city: o.shipCity ?? "",
      country: o.shipCountry ?? "",
      itemCount: o.itemCount,
      weightGrams: o.weightGrams,
    })),
  };
}

export type OrdersActionResult =
  | { ok: true; intent: "remove" | "restore"; count: number }
  | { ok: false; intent: null; count: 0 };

export async function action({ request }: ActionFunctionArgs): Promise<OrdersActionResult> {
  const merchant = await requireMerchant(request);
  const form = await request.formData();
  const BulkAction = z.object({
    intent: z.enum(["remove", "restore"]),
    ids: z.array(z.coerce.number().int().positive()).min(1).max(250),
  });
  const parsed = BulkAction.safeParse({ intent: form.get("intent"), ids: form.getAll("ids") });
  if (!parsed.success) return { ok: false, intent: null, count: 0 };
  const { intent, ids } = parsed.data;
  const count =
    intent === "remove" ? await removeOrders(db, merchant.shopId, ids) : await restoreOrders(db, merchant.shopId, ids);
  return { ok: true, intent, count };
}

type Row = Awaited<ReturnType<typeof loader>>["orders"][number];

const STATUS_TONE: Record<string, "attention" | "success" | "warning" | "critical" | undefined> = {
  to_ship: "attention",
  shipped: "success",
  unpaid: "warning",
};

export default function OrdersPage() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t, formatDateTime, formatWeight } = useI18n();
  const [searchParams] = useSearchParams();
  const navigate = useNavigate();
  const navigation = useNavigation();
  const submit = useSubmit();
  const [query, setQuery] = useState(data.q);
  const [confirmOpen, setConfirmOpen] = useState(false);
  const [dismissed, setDismissed] = useState<OrdersActionResult | undefined>(undefined);

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

  const filters: OrderListFilter[] = ["to_ship", "shipped", "cancelled", "removed", "all"];
  const tabs = filters.map((f) => ({ id: `orders-${f}`, content: t(`orders.filter.${f}`), panelID: "orders-panel" }));
  const selectedTab = Math.max(0, filters.indexOf(data.status));

  const selectedIds = allResourcesSelected ? rows.map((r) => r.id) : selectedResources;
  const busy = navigation.state === "submitting";

  const bulk = (intent: "remove" | "restore") => {
    const form = new FormData();
    form.set("intent", intent);
    selectedIds.forEach((id) => form.append("ids", id));
    submit(form, { method: "post" });
    setConfirmOpen(false);
  };

  const promotedBulkActions =
    data.status === "removed"
      ? [{ content: t("orders.bulk.restore"), onAction: () => bulk("restore") }]
      : [{ content: t("orders.bulk.remove"), destructive: true, onAction: () => setConfirmOpen(true) }];

  const emptyState = (
    <EmptySearchResult
      title={t("orders.empty.title")}
      description={data.q ? t("orders.empty.search") : data.status === "to_ship" ? t("orders.empty.to_ship") : t("orders.empty.other")}
      withIllustration
    />
  );

  const rowMarkup = rows.map((o, index) => {
    const statusKey = o.removed ? "removed" : o.status;
    return (
      <IndexTable.Row id={o.id} key={o.id} position={index} selected={selectedResources.includes(o.id)}>
        <IndexTable.Cell>
          <Text as="span" variant="bodyMd" fontWeight="semibold">
            {o.number}
          </Text>
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
        <IndexTable.Cell>
          <Badge tone={o.removed ? undefined : STATUS_TONE[o.status]}>{t(`orders.status.${statusKey}`)}</Badge>
        </IndexTable.Cell>
      </IndexTable.Row>
    );
  });

  const showResult = result && result !== dismissed;

  return (
    <Page title={t("orders.title")} fullWidth>
      <BlockStack gap="400">
        {showResult ? (
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
          </Box>
          <IndexTable
            resourceName={{ singular: t("orders.resourceName.singular"), plural: t("orders.resourceName.plural") }}
            itemCount={rows.length}
            selectedItemsCount={allResourcesSelected ? "All" : selectedResources.length}
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
        title={t("orders.remove.title", { count: selectedIds.length })}
        primaryAction={{ content: t("orders.remove.confirm"), destructive: true, loading: busy, onAction: () => bulk("remove") }}
        secondaryActions={[{ content: t("orders.cancel"), onAction: () => setConfirmOpen(false) }]}
      >
        <Modal.Section>
          <Text as="p">{t("orders.remove.body")}</Text>
        </Modal.Section>
      </Modal>
    </Page>
  );
}
