// Progress of a label batch: polls the batch resource route about every second while labels are pending, then
// revalidates the page once so the order list shows the new label states. The page stays usable meanwhile.
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
      // Inside Shopify's admin the result is also App Bridge's toast ("Label aangemaakt").
      if (progress.created > 0) showToast(t("toast.labelsCreated", { count: progress.created }));
    }
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
