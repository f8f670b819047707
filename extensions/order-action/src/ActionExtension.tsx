// "Label aanmaken" in Shopify's order page (More actions): the app's label dialog for this order — service, number of
// labels and shipment format preselected by the shop's shipping rules as the app's dialog does ("Gekozen door regel",
// or a rule's "no label", which the merchant may overrule), the staging warning — then progress, the waybill, the tracking
// link and "Download label". An order that is not in Koppel, or cannot be shipped, says why and offers what it can.
import { render } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import "@shopify/ui-extensions/preact";
import { callKoppel, errorText, toast, translator, type Answer } from "../../shared/koppel";
import { labelInProgress, type OrderView } from "../../shared/views";

/** How often the dialog asks about a label the carrier is still making. */
const POLL_MS = 1500;
/** Then it stops asking (10 minutes: the carrier is retried for longer); reopening the dialog asks again. */
const MAX_POLLS = 400;

export default async () => {
  render(<OrderAction />, document.body);
};

function OrderAction() {
  const t = translator(shopify);
  const orderId = shopify.data.selected[0]?.id ?? "";
  const [view, setView] = useState<OrderView | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [notFound, setNotFound] = useState(false);
  const [fetching, setFetching] = useState(false);
  const [service, setService] = useState("");
  const [colli, setColli] = useState(1);
  const [packageType, setPackageType] = useState("package");

  const defaulted = useRef(false);
  /** The carrier's price of the rules' choice, asked on the first load only (not on every poll). */
  const [price, setPrice] = useState<{ amount: number; currency: string } | null>(null);
  const waiting = useRef(false);
  const show = (answer: Answer<OrderView>) => {
    if (answer.status !== 200) {
      setNotFound(answer.status === 404);
      return setFailure(errorText(t, answer));
    }
    const carrier = answer.body.carrier;
    const rules = answer.body.rules;
    // The dialog's defaults, as the app's dialog sets them: the shipping rules' choice, else (no rule's label) the
    // carrier's default service and shipment format, one label.
    if (carrier && !defaulted.current) {
      defaulted.current = true;
      setService(rules?.service ?? carrier.defaultService ?? carrier.services[0]?.code ?? "");
      setPackageType(rules?.packageType ?? carrier.defaultPackageType);
      setColli(rules?.colli ?? 1);
      setPrice(rules?.price ?? null);
    }
    // A label this dialog asked for is done: say so (created), or let the merchant try again (failed).
    const state = answer.body.label?.state;
    if (waiting.current && (state === "created" || state === "failed" || state === "rejected")) {
      waiting.current = false;
      setBusy(false);
      if (state === "created") toast(shopify, t("created.toast"));
    }
    setView(answer.body);
    setFailure(null);
  };
  const load = async (prices = false) => show(await callKoppel<OrderView>(shopify, `/api/extensions/order?id=${encodeURIComponent(orderId)}${prices ? "&prices=1" : ""}`));

  useEffect(() => {
    void load(true);
  }, []);
  // While the carrier works: ask again until the label is there or failed.
  const inProgress = view ? labelInProgress(view) : false;
  const polls = useRef(0);
  useEffect(() => {
    if (!inProgress || polls.current >= MAX_POLLS) return;
    polls.current++;
    const timer = setTimeout(() => void load(), POLL_MS);
    return () => clearTimeout(timer);
  }, [view]);
  const post = async (path: string, body: unknown) => {
    const answer = await callKoppel<{ view: OrderView }>(shopify, path, { method: "POST", body });
    if (answer.body.view) show({ status: 200, body: answer.body.view });
    if (answer.status !== 200) {
      waiting.current = false;
      setBusy(false);
      setFailure(errorText(t, answer as Answer<unknown>));
    } else setFailure(null);
    return answer;
  };
  const create = async () => {
    setBusy(true);
    waiting.current = true;
    polls.current = 0;
    // Unchanged from the rules' choice: the rules' plan as is (with its parcel size); else the merchant's choice overrides.
    await post("/api/extensions/labels", planned ? { orderId } : { orderId, service, colli, packageType });
  };
  // Not in Koppel yet (a webhook on its way): read it from Shopify now; the import policy decides as always.
  const fetchNow = async () => {
    setFetching(true);
    const answer = await callKoppel<{ view?: OrderView; skip?: string }>(shopify, "/api/extensions/fetch-order", { method: "POST", body: { orderId } });
    setFetching(false);
    if (answer.status === 200 && answer.body.view) {
      setNotFound(false);
      show({ status: 200, body: answer.body.view });
      toast(shopify, t("fetch.toast"));
    } else setFailure(answer.body.skip ? t(`skip.${answer.body.skip}`) : errorText(t, answer as Answer<unknown>));
  };
  const restore = async () => {
    const answer = await post("/api/extensions/restore", { orderId });
    if (answer.status === 200) toast(shopify, t("removed.toast"));
  };

  const order = view?.order;
  const label = view?.label ?? null;
  const shippable = !!order && order.status === "to_ship" && !order.removed;
  const retryable = !label || label.state === "failed" || label.state === "rejected";
  // The form still shows the rules' choice (the price holds for it).
  const rules = view?.rules;
  const planned = !!rules && !rules.skip && rules.service === service && rules.packageType === packageType && rules.colli === colli;
  const ready = !!view && shippable && retryable && !!view.carrier && view.fromAddress && order!.missingAddress.length === 0 && !!service;

  return (
    <s-admin-action heading={order ? t("heading_order", { number: order.number }) : t("heading")} loading={!view && !failure}>
      <s-stack gap="base">
        {failure ? <s-banner tone="critical">{failure}</s-banner> : null}
        {failure && !view ? <s-paragraph>{t("notInKoppel")}</s-paragraph> : null}
        {notFound && !view ? (
          <s-button loading={fetching} onClick={() => void fetchNow()}>
            {t("fetch.button")}
          </s-button>
        ) : null}
        {view?.carrier?.environment === "staging" ? <s-banner tone="warning">{t("staging")}</s-banner> : null}
        {order?.removed ? (
          <s-banner tone="warning" heading={t("removed.heading")}>
            <s-paragraph>{t("removed.text")}</s-paragraph>
            <s-button onClick={() => void restore()}>{t("removed.restore")}</s-button>
          </s-banner>
        ) : null}
        {order && !order.removed && order.status !== "to_ship" && !label ? <s-banner tone="info">{t(`status.${order.status}`)}</s-banner> : null}
        {view && !view.carrier ? <s-banner tone="warning">{t("noCarrier")}</s-banner> : null}
        {view && !view.fromAddress ? <s-banner tone="warning">{t("noFromAddress")}</s-banner> : null}
        {order && shippable && order.missingAddress.length ? (
          <s-banner tone="warning">{t("address.refused", { fields: order.missingAddress.join(", ") })}</s-banner>
        ) : null}
        {label?.failure ? (
          <s-banner tone={label.failure.retrying ? "warning" : "critical"}>
            <s-paragraph>{label.failure.text}</s-paragraph>
            {label.failure.detail ? <s-text color="subdued">{label.failure.detail}</s-text> : null}
          </s-banner>
        ) : null}
        {inProgress ? (
          <s-stack direction="inline" gap="small-200">
            <s-spinner accessibilityLabel={t("progress")} />
            <s-text>{t("progress")}</s-text>
          </s-stack>
        ) : null}
        {label?.state === "created" ? <Created view={view!} t={t} /> : null}
        {view && shippable && retryable && view.carrier ? (
          <s-stack gap="base">
            {order!.shipTo ? (
              <s-text>
                {t("shipTo", { name: order!.shipTo.name, line: order!.shipTo.line, postcode: order!.shipTo.postcode, city: order!.shipTo.city, country: order!.shipTo.country })}
              </s-text>
            ) : null}
            {view.rules?.skip ? (
              <s-banner tone="info">{t("rules.skip", { rule: view.rules.rule ?? "" })}</s-banner>
            ) : view.rules?.rule ? (
              <s-text color="subdued">{t("rules.chosen", { rule: view.rules.rule })}</s-text>
            ) : null}
            {view.rules?.dimensions ? (
              <s-text color="subdued">
                {t("rules.dimensions", { length: view.rules.dimensions.lengthCm, width: view.rules.dimensions.widthCm, height: view.rules.dimensions.heightCm })}
              </s-text>
            ) : null}
            <s-select label={t("field.service")} value={service} onChange={(e) => setService(e.currentTarget.value)}>
              {view.carrier.services.map((s) => (
                <s-option value={s.code} key={s.code}>
                  {s.description}
                </s-option>
              ))}
            </s-select>
            {planned && price ? (
              <s-text>{t("rules.price", { price: new Intl.NumberFormat(t("locale"), { style: "currency", currency: price.currency }).format(price.amount) })}</s-text>
            ) : null}
            <s-number-field
              label={t("field.colli")}
              details={t("field.colliHelp", { max: view.maxColli })}
              value={String(colli)}
              min={1}
              max={view.maxColli}
              step={1}
              onChange={(e) => setColli(Math.min(view.maxColli, Math.max(1, Math.trunc(Number(e.currentTarget.value)) || 1)))}
            />
            <s-select label={t("field.packageType")} value={packageType} onChange={(e) => setPackageType(e.currentTarget.value)}>
              {view.packageTypes.map((p) => (
                <s-option value={p.value} key={p.value}>
                  {p.label}
                </s-option>
              ))}
            </s-select>
          </s-stack>
        ) : null}
      </s-stack>
      <s-button slot="primary-action" variant="primary" disabled={!ready || busy} loading={busy} onClick={() => void create()}>
        {t("create")}
      </s-button>
      <s-button slot="secondary-actions" onClick={() => shopify.close()}>
        {t("close")}
      </s-button>
    </s-admin-action>
  );
}

function Created({ view, t }: { view: OrderView; t: (key: string, params?: Record<string, string | number>) => string }) {
  const label = view.label!;
  return (
    <s-banner tone="success" heading={t("created.heading")}>
      <s-stack gap="small-200">
        {label.trackingNumber ? <s-text>{t("created.waybill", { waybill: label.trackingNumber })}</s-text> : null}
        {label.trackingUrl ? (
          <s-link href={label.trackingUrl} target="_blank">
            {t("created.tracking")}
          </s-link>
        ) : null}
        {label.pdfUrl ? (
          <s-button href={label.pdfUrl} target="_blank">
            {t("created.download")}
          </s-button>
        ) : null}
      </s-stack>
    </s-banner>
  );
}
