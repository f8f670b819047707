// "Zendingen": the shop's shipments (newest first), filtered by date and write-back status through the URL; labels as
// one PDF for a label printer (A6) or sticker sheets (A4, with a start position for a half-used sheet).
import { useEffect, useState } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form as RemixForm, useActionData, useFetcher, useLoaderData, useNavigate, useNavigation, useSearchParams } from "@remix-run/react";
import { SuccessNotice } from "~/components/SuccessNotice";
import {
  Badge,
  BlockStack,
  Box,
  Button,
  Card,
  EmptySearchResult,
  IndexTable,
  InlineStack,
  Link as PolarisLink,
  Modal,
  Page,
  Select,
  Text,
  TextField,
  useBreakpoints,
  useIndexResourceState,
} from "@shopify/polaris";
import { z } from "zod";
import { db } from "~/db.server";
import { env } from "~/env.server";
import { requireMerchant } from "~/merchant.server";
import { createDownloadToken } from "~/download-token.server";
import { getCarrierConnection } from "~/core/labels/connection.server";
import { shopLabelPrintFormat, type LabelPrintFormat } from "~/core/label-print";
import { updateShopSettings } from "~/core/shops.server";
import { listShipments } from "~/core/labels/reads.server";
import { DISPLAY_TIME_ZONE } from "~/i18n";
import { decodeReason, reasonMessage } from "~/core/reasons";
import { ReasonText } from "~/components/ReasonText";
import { useI18n } from "~/i18n/react";
import { textInput } from "~/core/text-input";
import { readFormData } from "~/body-limit.server";
import { getRuntime, labelDeps } from "~/runtime.server";
import { retryTrackingMail } from "~/core/labels/tracking-mail.server";
import { isStuck } from "~/core/parcels/stuck";
import { ParcelStatusBadge } from "~/components/ParcelStatusBadge";

const RESEND_MAIL_INTENT = "resend-mail";
const REMEMBER_PRINT_INTENT = "remember-print";

const STATUS_FILTERS = ["all", "written_back", "writeback_pending", "writeback_failed", "problems"] as const;
/** Shipments per page (keyset paged; the PDF route takes up to 500 ids, so a whole page always fits). */
const PAGE_SIZE = 100;

/** The UTC instant of a wall-clock time in the Netherlands ("2026-03-29", "23:59:59.999"). */
function amsterdamInstant(day: string, time: string): Date {
  const guess = new Date(`${day}T${time}Z`);
  const offset = new Intl.DateTimeFormat("en-US", { timeZone: DISPLAY_TIME_ZONE, timeZoneName: "longOffset" })
    .formatToParts(guess)
    .find((p) => p.type === "timeZoneName")?.value;
  const m = offset?.match(/GMT([+-])(\d{2}):(\d{2})/);
  const minutes = m ? (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
  return new Date(guess.getTime() - minutes * 60_000);
}

export async function loader({ request }: LoaderFunctionArgs) {
  const merchant = await requireMerchant(request);
  const url = new URL(request.url);
  const Day = textInput().regex(/^\d{4}-\d{2}-\d{2}$/).refine((d) => !Number.isNaN(new Date(`${d}T00:00:00Z`).getTime()));
  const Query = z.object({
    status: z.enum(STATUS_FILTERS).catch("all"),
    from: Day.optional().catch(undefined),
    to: Day.optional().catch(undefined),
    after: textInput().max(200).optional().catch(undefined),
    before: textInput().max(200).optional().catch(undefined),
  });
  const query = Query.parse({
    status: url.searchParams.get("status") ?? undefined,
    from: url.searchParams.get("from") || undefined,
    to: url.searchParams.get("to") || undefined,
    after: url.searchParams.get("after") || undefined,
    before: url.searchParams.get("before") || undefined,
  });
  const page = await listShipments(db, merchant.shopId, {
    status: query.status,
    from: query.from ? amsterdamInstant(query.from, "00:00:00.000") : undefined,
    to: query.to ? amsterdamInstant(query.to, "23:59:59.999") : undefined,
    limit: PAGE_SIZE,
    after: query.after,
    before: query.before,
  });
  // The carrier's own service names ("PostNL Pakket"), as in the label dialog.
  const now = new Date();
  const services = new Map((await getCarrierConnection(db, merchant.shopId))?.services.map((s) => [s.code, s.description]) ?? []);
  return {
    /** The demo's SMTP catcher shows the e-mails (/demo/mail). */
    demoMail: env.demo,
    downloadToken: createDownloadToken(merchant.shop, merchant.locale),
    /** Where the PDF dialog starts: the shop's last print choice (here or in Shopify's order print action). */
    labelPrint: shopLabelPrintFormat(merchant.shop),
    status: query.status,
    from: query.from ?? "",
    to: query.to ?? "",
    nextCursor: page.nextCursor,
    prevCursor: page.prevCursor,
    shipments: page.rows.map((s) => ({
      id: String(s.id),
      orderNumber: s.orderNumber,
      customerName: s.customerName ?? "",
      service: services.get(s.service) ?? s.service,
      colli: s.colli,
      trackingNumber: s.trackingNumber,
      trackingUrl: s.trackingUrl,
      environment: s.environment,
      createdAt: s.createdAt.toISOString(),
      writebackState: s.writebackState,
      writebackError: decodeReason(s.writebackError),
      mailState: s.mailState,
      /** A message key (mail.error.*) or the SMTP server's own words. */
      mailError: s.mailError,
      mailedAt: s.mailedAt?.toISOString() ?? null,
      parcel: { status: s.parcelStatus, at: (s.parcelStatusAt ?? s.createdAt).toISOString(), stuck: isStuck(s, now) },
    })),
  };
}

const ShipmentsAction = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal(RESEND_MAIL_INTENT), shipmentId: z.coerce.number().int().positive() }),
  z.object({ intent: z.literal(REMEMBER_PRINT_INTENT), format: z.enum(["A6", "A4"]), start: z.coerce.number().int().min(1).max(4) }),
]);

/**
 * "Opnieuw versturen" for a failed (or unknown) track & trace e-mail: pending again with its job. And the PDF dialog's
 * print choice, remembered for the shop when the merchant prints or downloads with it.
 */
export async function action({ request }: ActionFunctionArgs) {
  const merchant = await requireMerchant(request);
  const form = await readFormData(request);
  const parsed = ShipmentsAction.safeParse(Object.fromEntries(form));
  if (!parsed.success) return { requeued: false };
  if (parsed.data.intent === REMEMBER_PRINT_INTENT) {
    const labelPrint = { format: parsed.data.format, start: (parsed.data.format === "A4" ? parsed.data.start : 1) as LabelPrintFormat["start"] };
    await updateShopSettings(db, merchant.shopId, { labelPrint });
    return { remembered: labelPrint };
  }
  return { requeued: await retryTrackingMail(labelDeps(await getRuntime()), merchant.shopId, parsed.data.shipmentId) };
}

type PdfFormat = "A6" | "A4";

function pdfUrl(downloadToken: string, ids: string[], format: PdfFormat = "A6", start = 1): string {
  const q = new URLSearchParams({ ids: ids.join(","), format, dt: downloadToken });
  if (format === "A4") q.set("start", String(start));
  return `/app/shipments/pdf?${q.toString()}`;
}

const WRITEBACK_TONE = { done: "success", pending: "attention", failed: "critical", not_needed: undefined } as const;
const MAIL_TONE = { not_needed: undefined, pending: "attention", sending: "attention", sent: "success", failed: "critical", unknown: "warning" } as const;

export default function ShipmentsPage() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t, formatDateTime } = useI18n();
  const navigation = useNavigation();
  const navigate = useNavigate();
  const [searchParams] = useSearchParams();
  const { smDown: narrow } = useBreakpoints();
  const [from, setFrom] = useState(data.from);
  const [to, setTo] = useState(data.to);
  const [status, setStatus] = useState<string>(data.status);
  const [pdfOpen, setPdfOpen] = useState(false);
  const [format, setFormat] = useState<PdfFormat>(data.labelPrint.format);
  const [start, setStart] = useState(String(data.labelPrint.start));
  const printChoice = useFetcher<typeof action>();
  /** Remember this dialog's choice for the shop (where the next print starts), when it is a new one. */
  const rememberChoice = () => {
    if (format === data.labelPrint.format && (format === "A6" || Number(start) === data.labelPrint.start)) return;
    printChoice.submit({ intent: REMEMBER_PRINT_INTENT, format, start }, { method: "post" });
  };

  useEffect(() => {
    setFrom(data.from);
    setTo(data.to);
    setStatus(data.status);
  }, [data.from, data.to, data.status]);

  const rows = data.shipments;
  // Next/previous page: the same filters, one cursor.
  const page = (cursor: { after?: string | null; before?: string | null }) => {
    const next = new URLSearchParams(searchParams);
    next.delete("after");
    next.delete("before");
    for (const [k, v] of Object.entries(cursor)) if (v) next.set(k, v);
    navigate(`?${next.toString()}`);
  };
  const { selectedResources, allResourcesSelected, handleSelectionChange, clearSelection } = useIndexResourceState(rows);
  useEffect(() => clearSelection(), [searchParams.toString()]);
  const selectedIds = allResourcesSelected ? rows.map((r) => r.id) : selectedResources;
  const url = pdfUrl(data.downloadToken, selectedIds, format, Number(start));

  type Row = (typeof rows)[number];
  const service = (s: Row) => (
    <InlineStack gap="100" blockAlign="center">
      <Text as="span">{s.service}</Text>
      {s.environment === "staging" ? <Badge tone="warning">{t("shipments.staging")}</Badge> : null}
    </InlineStack>
  );
  // Clicks on links and buttons must not toggle the row's selection.
  const tracking = (s: Row) => (
    <div onClick={(e) => e.stopPropagation()}>
      {s.trackingUrl ? (
        <PolarisLink url={s.trackingUrl} external>
          {s.trackingNumber}
        </PolarisLink>
      ) : (
        s.trackingNumber
      )}
    </div>
  );
  const writeback = (s: Row) => (
    <BlockStack gap="050">
      <Badge tone={WRITEBACK_TONE[s.writebackState]}>{t(`shipments.status.${s.writebackState}`)}</Badge>
      {s.writebackState === "failed" && s.writebackError ? <ReasonText {...reasonMessage(t, s.writebackError)} /> : null}
    </BlockStack>
  );
  const mail = (s: Row) =>
    s.mailState === "not_needed" ? (
      <Text as="span" tone="subdued">
        {t("shipments.mail.not_needed")}
      </Text>
    ) : (
      <div onClick={(e) => e.stopPropagation()}>
        <BlockStack gap="050">
          <Badge tone={MAIL_TONE[s.mailState]}>{t(`shipments.mail.${s.mailState}`)}</Badge>
          {data.demoMail && s.mailState === "sent" ? <PolarisLink url="/demo/mail">{t("demo.mail.shipmentLink")}</PolarisLink> : null}
          {(s.mailState === "failed" || s.mailState === "unknown") && s.mailError ? (
            <Text as="span" tone="subdued">
              {s.mailError.startsWith("mail.error.") ? t(s.mailError) : s.mailError}
            </Text>
          ) : null}
          {s.mailState === "failed" || s.mailState === "unknown" ? (
            <RemixForm method="post" noValidate>
              <input type="hidden" name="intent" value={RESEND_MAIL_INTENT} />
              <input type="hidden" name="shipmentId" value={s.id} />
              <Button size="slim" submit>
                {t(s.mailState === "unknown" ? "shipments.mail.resend.unknown" : "shipments.mail.resend")}
              </Button>
            </RemixForm>
          ) : null}
        </BlockStack>
      </div>
    );
  const download = (s: Row) => (
    <div onClick={(e) => e.stopPropagation()}>
      <Button size="slim" url={pdfUrl(data.downloadToken, [s.id])} external>
        {t("shipments.download")}
      </Button>
    </div>
  );

  const rowMarkup = rows.map((s, index) =>
    narrow ? (
      // 360–390 px: one cell per shipment, the same facts stacked, without scrolling sideways (as the order list).
      <IndexTable.Row id={s.id} key={s.id} position={index} selected={selectedResources.includes(s.id)}>
        <div style={{ padding: "var(--p-space-300) var(--p-space-400)", maxWidth: "100%", boxSizing: "border-box" }}>
          <BlockStack gap="150">
            <InlineStack align="space-between" blockAlign="center" gap="200" wrap={false}>
              <Text as="span" fontWeight="semibold">
                {s.orderNumber}
              </Text>
              <ParcelStatusBadge {...s.parcel} />
            </InlineStack>
            <Text as="span" breakWord>
              {s.customerName}
            </Text>
            <InlineStack gap="100" blockAlign="center" wrap>
              {service(s)}
              <Text as="span" tone="subdued">
                {t("shipments.narrow.colli", { count: s.colli })} · {formatDateTime(s.createdAt)}
              </Text>
            </InlineStack>
            <div style={{ overflowWrap: "anywhere" }}>{tracking(s)}</div>
            <InlineStack gap="200" wrap>
              {writeback(s)}
              {mail(s)}
            </InlineStack>
            {download(s)}
          </BlockStack>
        </div>
      </IndexTable.Row>
    ) : (
      <IndexTable.Row id={s.id} key={s.id} position={index} selected={selectedResources.includes(s.id)}>
        <IndexTable.Cell>
          <BlockStack gap="050">
            <Text as="span" fontWeight="semibold">
              {s.orderNumber}
            </Text>
            <Text as="span" tone="subdued">
              {s.customerName}
            </Text>
          </BlockStack>
        </IndexTable.Cell>
        <IndexTable.Cell>{service(s)}</IndexTable.Cell>
        <IndexTable.Cell>{s.colli}</IndexTable.Cell>
        <IndexTable.Cell>{tracking(s)}</IndexTable.Cell>
        <IndexTable.Cell>
          <ParcelStatusBadge {...s.parcel} />
        </IndexTable.Cell>
        <IndexTable.Cell>{writeback(s)}</IndexTable.Cell>
        <IndexTable.Cell>{mail(s)}</IndexTable.Cell>
        <IndexTable.Cell>{formatDateTime(s.createdAt)}</IndexTable.Cell>
        <IndexTable.Cell>{download(s)}</IndexTable.Cell>
      </IndexTable.Row>
    ),
  );

  return (
    <Page title={t("shipments.title")} fullWidth>
      <BlockStack gap="400">
        {actionData?.requeued ? <SuccessNotice>{t("shipments.mail.requeued")}</SuccessNotice> : null}
        <Card padding="0">
          <Box padding="300">
            <RemixForm method="get">
              <InlineStack gap="300" blockAlign="end">
                <TextField label={t("shipments.filter.from")} type="date" name="from" value={from} onChange={setFrom} autoComplete="off" />
                <TextField label={t("shipments.filter.to")} type="date" name="to" value={to} onChange={setTo} autoComplete="off" />
                <Select
                  label={t("shipments.filter.status")}
                  name="status"
                  options={STATUS_FILTERS.map((f) => ({ label: t(`shipments.filter.${f}`), value: f }))}
                  value={status}
                  onChange={setStatus}
                />
                <Button submit>{t("shipments.filter.apply")}</Button>
                {data.from || data.to || data.status !== "all" ? (
                  <Button variant="tertiary" url="/app/shipments">
                    {t("shipments.filter.clear")}
                  </Button>
                ) : null}
              </InlineStack>
            </RemixForm>
          </Box>
          <IndexTable
            resourceName={{ singular: t("shipments.resourceName.singular"), plural: t("shipments.resourceName.plural") }}
            itemCount={rows.length}
            selectedItemsCount={allResourcesSelected ? "All" : selectedResources.length}
            onSelectionChange={handleSelectionChange}
            condensed={narrow}
            promotedBulkActions={[{ content: t("shipments.bulk.download"), onAction: () => setPdfOpen(true) }]}
            loading={navigation.state === "loading"}
            emptyState={<EmptySearchResult title={t("shipments.empty.title")} description={t("shipments.empty.body")} withIllustration />}
            headings={[
              { title: t("shipments.col.order") },
              { title: t("shipments.col.service") },
              { title: t("shipments.col.colli") },
              { title: t("shipments.col.tracking") },
              { title: t("shipments.col.parcel") },
              { title: t("shipments.col.status") },
              { title: t("shipments.col.mail") },
              { title: t("shipments.col.created") },
              { title: t("shipments.col.actions") },
            ]}
            pagination={{
              hasPrevious: Boolean(data.prevCursor),
              hasNext: Boolean(data.nextCursor),
              onPrevious: () => page({ before: data.prevCursor }),
              onNext: () => page({ after: data.nextCursor }),
            }}
          >
            {rowMarkup}
          </IndexTable>
        </Card>
      </BlockStack>
      <Modal
        open={pdfOpen}
        onClose={() => setPdfOpen(false)}
        title={t("shipments.pdf.title", { count: selectedIds.length })}
        primaryAction={{
          content: t("shipments.pdf.print"),
          onAction: () => {
            window.open(url, "_blank", "noopener");
            rememberChoice();
            setPdfOpen(false);
          },
        }}
        secondaryActions={[
          {
            content: t("shipments.pdf.download"),
            url,
            external: true,
            onAction: () => {
              rememberChoice();
              setPdfOpen(false);
            },
          },
          { content: t("shipments.pdf.cancel"), onAction: () => setPdfOpen(false) },
        ]}
      >
        <Modal.Section>
          <BlockStack gap="300">
            <Select
              label={t("shipments.pdf.format")}
              options={[
                { label: t("shipments.pdf.A6"), value: "A6" },
                { label: t("shipments.pdf.A4"), value: "A4" },
              ]}
              value={format}
              onChange={(v) => setFormat(v as PdfFormat)}
            />
            {format === "A4" ? (
              <Select
                label={t("shipments.pdf.start")}
                helpText={t("shipments.pdf.start.help")}
                options={[1, 2, 3, 4].map((n) => ({ label: t(`shipments.pdf.pos.${n}`), value: String(n) }))}
                value={start}
                onChange={setStart}
              />
            ) : null}
          </BlockStack>
        </Modal.Section>
      </Modal>
    </Page>
  );
}
