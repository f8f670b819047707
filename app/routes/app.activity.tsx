// "Activiteit": what came in and went out for this shop, newest first; "Meer laden" fetches the next keyset page.
import { useEffect, useState } from "react";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import { Badge, BlockStack, Box, Button, Card, EmptySearchResult, IndexTable, InlineStack, Page, Text, useBreakpoints } from "@shopify/polaris";
import { db } from "~/db.server";
import { requireMerchant } from "~/merchant.server";
import { activityParams, activityReasonCode, listActivity } from "~/core/activity.server";
import { useI18n } from "~/i18n/react";
import { ActivityReason } from "~/components/ActivityReason";

const PAGE_SIZE = 50;

function decodeCursor(value: string | null): number | undefined {
  if (!value || !/^\d{1,15}$/.test(value)) return undefined;
  const id = Number(value);
  return Number.isSafeInteger(id) && id > 0 ? id : undefined;
}

export async function loader({ request }: LoaderFunctionArgs) {
  const merchant = await requireMerchant(request);
  const before = decodeCursor(new URL(request.url).searchParams.get("before"));
  const entries = await listActivity(db, merchant.shopId, { limit: PAGE_SIZE, beforeId: before });
  const last = entries[entries.length - 1];
  return {
    nextCursor: entries.length === PAGE_SIZE && last ? String(last.id) : null,
    entries: entries.map((e) => ({
      id: String(e.id),
      at: e.at.toISOString(),
      kind: e.kind,
      source: e.source,
      result: e.result,
      summary: e.summary,
      // Only the values a summary may show ({count}, …), never the raw details blob.
      params: activityParams(e.details),
      orderNumber: e.orderNumber ?? "",
      reason: e.reason ?? "",
      // Set by carrier and write-back failures: Koppel's sentence for `reason` (the carrier's or shop's own text).
      reasonCode: activityReasonCode(e.details),
    })),
  };
}

type Entry = Awaited<ReturnType<typeof loader>>["entries"][number];

const RESULT_TONE = { ok: "success", skipped: "info", failed: "critical" } as const;

export default function ActivityPage() {
  const first = useLoaderData<typeof loader>();
  const more = useFetcher<typeof loader>();
  const { smDown: narrow } = useBreakpoints();
  const { t, formatDateTime } = useI18n();
  const [entries, setEntries] = useState<Entry[]>(first.entries);
  const [nextCursor, setNextCursor] = useState<string | null>(first.nextCursor);

  // A revalidation (or navigation back here) starts the list over from the loader's first page.
  useEffect(() => {
    setEntries(first.entries);
    setNextCursor(first.nextCursor);
  }, [first]);

  useEffect(() => {
    const page = more.data;
    if (!page || more.state !== "idle") return;
    setEntries((cur) => {
      const seen = new Set(cur.map((e) => e.id));
      return [...cur, ...page.entries.filter((e) => !seen.has(e.id))];
    });
    setNextCursor(page.nextCursor);
  }, [more.data, more.state]);

  const rows = entries.map((e, index) =>
    narrow ? (
      // 360–390 px: one cell per row, the same facts stacked, without scrolling sideways (as the order list).
      <IndexTable.Row id={e.id} key={e.id} position={index}>
        <div style={{ padding: "var(--p-space-300) var(--p-space-400)", maxWidth: "100%", boxSizing: "border-box" }}>
          <BlockStack gap="100">
            <InlineStack align="space-between" blockAlign="center" gap="200" wrap={false}>
              <Text as="span" variant="bodySm" tone="subdued">
                {formatDateTime(e.at)}
              </Text>
              <Badge tone={RESULT_TONE[e.result as keyof typeof RESULT_TONE]}>{t(`activity.result.${e.result}`)}</Badge>
            </InlineStack>
            <Text as="span" breakWord>
              {t(e.summary, e.params)}
            </Text>
            <Text as="span" variant="bodySm" tone="subdued" breakWord>
              {[t(`activity.kind.${e.kind}`), t(`activity.source.${e.source}`), e.orderNumber].filter(Boolean).join(" · ")}
            </Text>
            <div style={{ overflowWrap: "anywhere" }}>
              <ActivityReason summary={e.summary} reason={e.reason} reasonCode={e.reasonCode} />
            </div>
          </BlockStack>
        </div>
      </IndexTable.Row>
    ) : (
      <IndexTable.Row id={e.id} key={e.id} position={index}>
        <IndexTable.Cell>
          <Text as="span" variant="bodySm">
            {formatDateTime(e.at)}
          </Text>
        </IndexTable.Cell>
        <IndexTable.Cell>{t(`activity.kind.${e.kind}`)}</IndexTable.Cell>
        <IndexTable.Cell>{t(`activity.source.${e.source}`)}</IndexTable.Cell>
        <IndexTable.Cell>
          <Badge tone={RESULT_TONE[e.result as keyof typeof RESULT_TONE]}>{t(`activity.result.${e.result}`)}</Badge>
        </IndexTable.Cell>
        <IndexTable.Cell>{t(e.summary, e.params)}</IndexTable.Cell>
        <IndexTable.Cell>{e.orderNumber}</IndexTable.Cell>
        <IndexTable.Cell>
          <ActivityReason summary={e.summary} reason={e.reason} reasonCode={e.reasonCode} />
        </IndexTable.Cell>
      </IndexTable.Row>
    ),
  );

  return (
    <Page title={t("activity.title")} fullWidth>
      <BlockStack gap="400">
        <Card padding="0">
          <IndexTable
            resourceName={{ singular: t("activity.resourceName.singular"), plural: t("activity.resourceName.plural") }}
            itemCount={entries.length}
            selectable={false}
            condensed={narrow}
            emptyState={<EmptySearchResult title={t("activity.empty")} withIllustration />}
            headings={[
              { title: t("activity.col.time") },
              { title: t("activity.col.kind") },
              { title: t("activity.col.source") },
              { title: t("activity.col.result") },
              { title: t("activity.col.summary") },
              { title: t("activity.col.order") },
              { title: t("activity.col.reason") },
            ]}
          >
            {rows}
          </IndexTable>
        </Card>
        {nextCursor ? (
          <Box paddingBlockEnd="400">
            <InlineStack align="center">
              <Button loading={more.state !== "idle"} onClick={() => more.load(`/app/activity?before=${encodeURIComponent(nextCursor)}`)}>
                {t("activity.loadMore")}
              </Button>
            </InlineStack>
          </Box>
        ) : null}
      </BlockStack>
    </Page>
  );
}
