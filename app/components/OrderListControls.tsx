// The order list's label filter ("Nog geen label", "Label gemaakt, wacht op terugschrijven") and sort order, next to
// the search box. Changing either starts the list again from its first page.
import { InlineStack, Select } from "@shopify/polaris";
import { useI18n } from "~/i18n/react";

// The values of ORDER_SORTS / ORDER_LABEL_FILTERS (app/core): the server parses them again and falls back to the default.
const SORTS = ["date_desc", "date_asc", "number_desc", "number_asc", "country_asc", "country_desc", "weight_desc", "weight_asc"] as const;
const LABEL_FILTERS = ["any", "no_label", "awaiting_writeback"] as const;

export function OrderListControls({
  sort,
  label,
  onSort,
  onLabel,
}: {
  sort: string;
  label: string;
  onSort: (sort: string) => void;
  onLabel: (label: string) => void;
}) {
  const { t } = useI18n();
  return (
    <div style={{ marginTop: "var(--p-space-200)" }}>
      <InlineStack gap="200" wrap>
        <Select
          label={t("orders.labelFilter.label")}
          labelInline
          options={LABEL_FILTERS.map((f) => ({ value: f, label: t(`orders.labelFilter.${f}`) }))}
          value={label}
          onChange={onLabel}
        />
        <Select label={t("orders.sort.label")} labelInline options={SORTS.map((s) => ({ value: s, label: t(`orders.sort.${s}`) }))} value={sort} onChange={onSort} />
      </InlineStack>
    </div>
  );
}
