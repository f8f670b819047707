// Shopify's print menu, on one order's page and for a selection in the order list (both targets, one module): the
// labels of the orders as one PDF in the shop's chosen format (A6, or A4 from a start position), as a signed link the
// admin previews and prints. Orders without a label are listed, never silently dropped.
import { render } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import "@shopify/ui-extensions/preact";
import { callKoppel, errorText, translator, type Answer } from "../../shared/koppel";
import type { LabelPrintFormat, PrintView } from "../../shared/views";

export default async () => {
  render(<PrintLabels />, document.body);
};

function PrintLabels() {
  const t = translator(shopify);
  const ids = shopify.data.selected.map((s) => s.id);
  const [answer, setAnswer] = useState<Answer<PrintView> | null>(null);
  // Answers can arrive out of order (A4, then quickly position 3): only the newest request's answer is shown.
  const latest = useRef(0);
  useEffect(() => {
    void (async () => {
      const answered = await callKoppel<PrintView>(shopify, `/api/extensions/print?ids=${encodeURIComponent(ids.join(","))}`);
      if (latest.current === 0) setAnswer(answered);
    })();
  }, []);
  const view = answer?.status === 200 ? answer.body : null;
  // The merchant's choice is stored for the shop: the next print (and the label download links) use it.
  const choose = async (format: LabelPrintFormat) => {
    const mine = ++latest.current;
    if (view) setAnswer({ status: 200, body: { ...view, format, src: null } });
    const answered = await callKoppel<PrintView>(shopify, "/api/extensions/print", { method: "POST", body: { ids, ...format } });
    if (mine === latest.current) setAnswer(answered);
  };

  return (
    <s-admin-print-action src={view?.src ?? undefined}>
      <s-stack gap="base">
        {answer && !view ? <s-banner tone="critical">{errorText(t, answer)}</s-banner> : null}
        {view ? (
          <s-stack gap="base">
            <s-select
              label={t("format.label")}
              value={view.format.format}
              onChange={(e) => void choose({ format: e.currentTarget.value === "A4" ? "A4" : "A6", start: view.format.start })}
            >
              <s-option value="A6">{t("format.A6")}</s-option>
              <s-option value="A4">{t("format.A4")}</s-option>
            </s-select>
            {view.format.format === "A4" ? (
              <s-select
                label={t("format.start")}
                value={String(view.format.start)}
                onChange={(e) => void choose({ format: "A4", start: (Math.min(4, Math.max(1, Number(e.currentTarget.value) || 1)) as LabelPrintFormat["start"]) })}
              >
                {[1, 2, 3, 4].map((p) => (
                  <s-option value={String(p)} key={p}>
                    {t(`format.position.${p}`)}
                  </s-option>
                ))}
              </s-select>
            ) : null}
            {view.printed.length ? <s-text>{t("printed", { orders: view.printed.join(", ") })}</s-text> : <s-banner tone="warning" heading={t("noneHeading")} />}
            {view.missing.length ? (
              <s-stack gap="small-200">
                <s-text>{t("missingHeading")}</s-text>
                <s-unordered-list>
                  {view.missing.map((m) => (
                    <s-list-item key={m.id}>
                      {`${m.number ?? t("unknownOrder", { id: m.id.replace(/^gid:\/\/shopify\/Order\//, "") })}: ${t(`why.${m.why}`)}`}
                    </s-list-item>
                  ))}
                </s-unordered-list>
              </s-stack>
            ) : null}
          </s-stack>
        ) : null}
      </s-stack>
    </s-admin-print-action>
  );
}
