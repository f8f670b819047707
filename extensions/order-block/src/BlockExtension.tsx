// Koppel's block on Shopify's order page: this order's state in Koppel — to ship, label requested, shipped with its
// waybill and tracking link, or a failed write-back with its reason and "Opnieuw".
import { render } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import "@shopify/ui-extensions/preact";
import { callKoppel, errorText, toast, translator, type Answer } from "../../shared/koppel";
import { labelInProgress, type OrderView } from "../../shared/views";

const POLL_MS = 3000;
/** Then it stops asking (10 minutes); reloading the order page asks again. */
const MAX_POLLS = 200;
/** The order action's handle (extensions/order-action/shopify.extension.toml): "Label aanmaken" opens it. */
const ACTION_EXTENSION = "extension://order-action";

export default async () => {
  render(<OrderBlock />, document.body);
};

type Tone = "info" | "success" | "warning" | "critical" | "neutral";

function OrderBlock() {
  const t = translator(shopify);
  const orderId = shopify.data.selected[0]?.id ?? "";
  const [answer, setAnswer] = useState<Answer<OrderView> | null>(null);
  const [busy, setBusy] = useState(false);
  const load = async () => setAnswer(await callKoppel<OrderView>(shopify, `/api/extensions/order?id=${encodeURIComponent(orderId)}`));
  useEffect(() => {
    void load();
  }, []);
  const view = answer?.status === 200 ? answer.body : null;
  // A label or write-back under way: look again in a while.
  const moving = !!view && (labelInProgress(view) || view.label?.writeback?.state === "pending");
  const polls = useRef(0);
  useEffect(() => {
    if (!moving || polls.current >= MAX_POLLS) return;
    polls.current++;
    const timer = setTimeout(() => void load(), POLL_MS);
    return () => clearTimeout(timer);
  }, [answer]);

  const retry = async () => {
    setBusy(true);
    const r = await callKoppel<{ view: OrderView }>(shopify, "/api/extensions/retry-writeback", { method: "POST", body: { orderId } });
    setBusy(false);
    if (r.body.view) setAnswer({ status: 200, body: r.body.view });
    toast(shopify, r.status === 200 ? t("retried") : errorText(t, r as Answer<unknown>), r.status !== 200);
  };

  if (!answer) return <s-admin-block heading={t("heading")}><s-spinner accessibilityLabel={t("heading")} /></s-admin-block>;
  if (!view) {
    return (
      <s-admin-block heading={t("heading")}>
        <s-stack gap="small-200">
          {answer.status === 404 ? <s-badge tone="neutral">{t("state.notInKoppel")}</s-badge> : null}
          <s-paragraph>{answer.status === 404 ? t("notInKoppel") : errorText(t, answer)}</s-paragraph>
        </s-stack>
      </s-admin-block>
    );
  }
  const { order, label } = view;
  const writeback = label?.writeback ?? null;
  const [state, tone]: [string, Tone] = order.removed
    ? ["removed", "neutral"]
    : writeback?.state === "failed"
      ? ["writebackFailed", "critical"]
      : label?.state === "created" && (writeback?.state === "done" || writeback?.state === "not_needed" || order.status === "shipped")
        ? ["shipped", "success"]
        : label?.state === "created"
          ? ["created", "info"]
          : label && labelInProgress(view)
            ? ["requested", "info"]
            : label && (label.state === "failed" || label.state === "rejected")
              ? ["labelFailed", "critical"]
              : order.status === "to_ship"
                ? ["toShip", "warning"]
                : ["", "neutral"];
  return (
    <s-admin-block heading={t("heading")}>
      <s-stack gap="small-200">
        <s-stack direction="inline" gap="small-200">
          <s-badge tone={tone}>{state ? t(`state.${state}`) : t(`status.${order.status}`)}</s-badge>
        </s-stack>
        {label?.failure ? <s-text>{label.failure.text}</s-text> : null}
        {label?.failure?.detail ? <s-text color="subdued">{label.failure.detail}</s-text> : null}
        {writeback?.state === "failed" && writeback.reason ? (
          <s-banner tone="critical">
            <s-paragraph>{writeback.reason.text}</s-paragraph>
            {writeback.reason.detail ? <s-text color="subdued">{writeback.reason.detail}</s-text> : null}
            <s-button loading={busy} onClick={() => void retry()}>
              {t("retry")}
            </s-button>
          </s-banner>
        ) : null}
        {label?.state === "created" && label.trackingNumber ? <s-text>{t("waybill", { waybill: label.trackingNumber })}</s-text> : null}
        <s-stack direction="inline" gap="base">
          {label?.state === "created" && label.trackingUrl ? (
            <s-link href={label.trackingUrl} target="_blank">
              {t("tracking")}
            </s-link>
          ) : null}
          {label?.state === "created" && label.pdfUrl ? (
            <s-link href={label.pdfUrl} target="_blank">
              {t("download")}
            </s-link>
          ) : null}
        </s-stack>
        {state === "toShip" || state === "labelFailed" ? (
          <s-button onClick={() => shopify.navigation.navigate(ACTION_EXTENSION)}>{t("create")}</s-button>
        ) : null}
      </s-stack>
    </s-admin-block>
  );
}
