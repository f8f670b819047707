// Progress of a label batch: polls the batch resource route about every second while labels are pending, then
// revalidates the page once so the order list shows the new label states. The page stays usable meanwhile. Inside
// Shopify's admin a finished batch is also App Bridge's toast, once per batch and tab: also when it was finished before
// the page first showed it (a fast carrier), and again only when a retry made more labels.
import { useEffect, useRef } from "react";
import { useFetcher, useRevalidator } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, InlineStack, List, ProgressBar, Text } from "@shopify/polaris";
import { useI18n } from "~/i18n/react";
import type { BatchProgress as BatchProgressData } from "~/core/labels/reads.server";
import { labelFailureMessage, reasonMessage } from "~/core/reasons";
import { ReasonText } from "./ReasonText";
import { showToast } from "./app-bridge-toast";

// The loader's JSON of core's BatchProgress (type only: nothing of the server module reaches the browser).
export type { BatchProgress as BatchProgressData } from "~/core/labels/reads.server";

const POLL_MS = 1000;

// Per batch, how many labels its last toast counted: a reload, a revalidation or a second card of the same batch shows
// no second toast; a retry that made more labels does. Kept for the tab (sessionStorage) where the browser allows it.
const TOASTED_KEY = "koppel.batchToasts";
let toasted: Record<string, number> | null = null;

function toastedBatches(): Record<string, number> {
  if (toasted) return toasted;
  toasted = {};
  try {
    const stored = JSON.parse(window.sessionStorage.getItem(TOASTED_KEY) ?? "{}") as unknown;
    if (stored && typeof stored === "object") for (const [k, v] of Object.entries(stored)) if (typeof v === "number") toasted[k] = v;
  } catch {
    // No storage (private mode, a sandboxed frame): remembered for this page only.
  }
  return toasted;
}

/** True (and remembered) when the finished batch made labels its last toast did not count yet. */
function claimBatchToast(batchId: number, created: number): boolean {
  if (created <= 0 || typeof window === "undefined") return false;
  const seen = toastedBatches();
  if ((seen[batchId] ?? 0) >= created) return false;
  seen[batchId] = created;
  try {
    // The newest batches only: the tab's storage stays small.
    const kept = Object.fromEntries(Object.entries(seen).sort(([a], [b]) => Number(b) - Number(a)).slice(0, 50));
    window.sessionStorage.setItem(TOASTED_KEY, JSON.stringify(kept));
  } catch {
    // As above.
  }
  return true;
}

export function BatchProgress({ initial, onClose }: { initial: BatchProgressData; onClose: () => void }) {
  const { t } = useI18n();
  const url = `/app/batches/${initial.batchId}`;
  const poll = useFetcher<BatchProgressData>({ key: `batch-progress-${initial.batchId}` });
  const retry = useFetcher<{ ok: boolean; retried: number }>({ key: `batch-retry-${initial.batchId}` });
  const revalidator = useRevalidator();
  const progress: BatchProgressData = poll.data ?? initial;
  const wasPending = useRef(progress.pending > 0);

  useEffect(() => {
    if (progress.pending > 0) {
      wasPending.current = true;
      if (poll.state !== "idle") return;
      const timer = setTimeout(() => poll.load(url), POLL_MS);
      return () => clearTimeout(timer);
    }
    if (wasPending.current) {
      wasPending.current = false;
      revalidator.revalidate();
    }
    // Inside Shopify's admin the result is also App Bridge's toast ("Label aangemaakt").
    if (claimBatchToast(progress.batchId, progress.created)) showToast(t("toast.labelsCreated", { count: progress.created }));
    return undefined;
  }, [progress, poll.state]);

  // After "Mislukte opnieuw proberen" the batch is pending again: fetch it so polling resumes.
  useEffect(() => {
    if (retry.state === "idle" && retry.data?.ok && retry.data.retried > 0) poll.load(url);
  }, [retry.state, retry.data]);

  const percent = progress.total > 0 ? Math.round((progress.done / progress.total) * 100) : 100;
  const finished = progress.pending <= 0;

  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            {t("batch.title")}
          </Text>
          <InlineStack gap="200">
            {finished && progress.created > 0 ? (
              <Button variant="tertiary" url="/app/shipments">
                {t("batch.toShipments")}
              </Button>
            ) : null}
            <Button variant="tertiary" onClick={onClose}>
              {t("batch.close")}
            </Button>
          </InlineStack>
        </InlineStack>
        <ProgressBar progress={percent} tone={finished && progress.failed.length ? "critical" : finished ? "success" : "highlight"} animated={!finished} />
        <Text as="p">
          {t("batch.progress", { done: progress.done, total: progress.total })}
          {finished ? ` · ${t("batch.summary", { created: progress.created, failed: progress.failed.length })}` : ""}
        </Text>
        {retry.data?.ok && retry.state === "idle" ? (
          <Banner tone="info">{retry.data.retried > 0 ? t("batch.retried", { count: retry.data.retried }) : t("labels.writebackNothing")}</Banner>
        ) : null}
        {!finished && progress.retrying?.length ? (
          <BlockStack gap="200">
            <Text as="h3" variant="headingSm" tone="caution">
              {t("batch.retrying")}
            </Text>
            <List type="bullet">
              {progress.retrying.map((r) => {
                const m = labelFailureMessage(t, { state: "sending", reason: r.reason, attempts: r.attempt })!;
                return (
                  <List.Item key={r.labelRequestId}>
                    <ReasonText tone="caution" text={t("batch.failure", { number: r.orderNumber, reason: m.text })} detail={m.detail} />
                  </List.Item>
                );
              })}
            </List>
          </BlockStack>
        ) : null}
        {progress.failed.length ? (
          <BlockStack gap="200">
            <Text as="h3" variant="headingSm" tone="critical">
              {t("batch.failures")}
            </Text>
            <List type="bullet">
              {progress.failed.map((f) => {
                const why = reasonMessage(t, f.reason);
                return (
                  <List.Item key={f.labelRequestId}>
                    <ReasonText text={t("batch.failure", { number: f.orderNumber, reason: why.text })} detail={why.detail} />
                  </List.Item>
                );
              })}
            </List>
            <InlineStack>
              <Button
                loading={retry.state !== "idle"}
                onClick={() => retry.submit({}, { method: "post", action: url })}
              >
                {t("batch.retry")}
              </Button>
            </InlineStack>
          </BlockStack>
        ) : null}
      </BlockStack>
    </Card>
  );
}
