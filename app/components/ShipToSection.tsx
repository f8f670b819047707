// The label dialog's ship-to (one order): the address as the carrier will receive it (street, number and addition
// apart, or the whole line), what the carrier would refuse, and "Adres aanpassen": a small form that stores Koppel's own
// correction (app/routes/app.orders.$orderId.ship-to.tsx). The shop's address itself never changes.
import { useEffect, useState } from "react";
import { useFetcher } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, DescriptionList, FormLayout, InlineStack, Select, Spinner, Text, TextField } from "@shopify/polaris";
import {
  addressLines,
  countryName,
  missingFieldsParams,
  SHIP_TO_COUNTRIES,
  SHIP_TO_FIELDS,
  type CarrierAddressView,
  type ShipToField,
  type ShipToValues,
  type ShipToView,
} from "~/core/labels/ship-to-correction";
import { useI18n } from "~/i18n/react";
import type { ShipToActionResult } from "~/routes/app.orders.$orderId.ship-to";

export function shipToPath(orderId: string): string {
  return `/app/orders/${encodeURIComponent(orderId)}/ship-to`;
}

/** Whether "Label aanmaken" may go: the address is loaded, the carrier takes it and no edit is open. */
/** `blocked`: the address shown is one the carrier refuses, or its form is open (a label must wait for the fix). */
export type ShipToState = { blocked: boolean };

export function ShipToSection({
  orderId,
  startEditing,
  onStateChange,
}: {
  orderId: string;
  startEditing: boolean;
  onStateChange: (state: ShipToState) => void;
}) {
  const { t, locale } = useI18n();
  const loader = useFetcher<ShipToView>();
  const saver = useFetcher<ShipToActionResult>();
  const [view, setView] = useState<ShipToView | null>(null);
  const [editing, setEditing] = useState(startEditing);
  const [values, setValues] = useState<ShipToValues | null>(null);
  const [notice, setNotice] = useState<"saved" | "cleared" | null>(null);
  const path = shipToPath(orderId);

  useEffect(() => {
    setView(null);
    setValues(null);
    setNotice(null);
    setEditing(startEditing);
    loader.load(path);
  }, [orderId]);

  useEffect(() => {
    if (loader.state === "idle" && loader.data && String(loader.data.orderId) === orderId) setView(loader.data);
  }, [loader.state, loader.data]);

  useEffect(() => {
    const r = saver.data;
    if (saver.state !== "idle" || !r) return;
    if ("view" in r) {
      setView(r.view);
      if (r.intent === "save") {
        setEditing(false);
        setNotice("saved");
      } else setNotice(r.ok ? "cleared" : null);
    } else if (r.values) setValues(r.values);
  }, [saver.state, saver.data]);

  // The form starts from the view's values (the correction, or the imported address as the carrier reads it).
  useEffect(() => {
    if (editing && view && !values) setValues(view.values);
  }, [editing, view, values]);

  // While the address loads nothing is known against it: the server checks it again when the label is requested.
  const blocked = editing || Boolean(view && (!view.address || view.missing.length > 0));
  useEffect(() => onStateChange({ blocked }), [blocked]);

  const errors = saver.state === "idle" && saver.data && saver.data.intent === "save" && !saver.data.ok ? saver.data.errors : {};
  const saving = saver.state !== "idle";

  if (!view) {
    return (
      <InlineStack gap="200" blockAlign="center">
        <Spinner size="small" accessibilityLabel={t("shipTo.loading")} />
        <Text as="span" tone="subdued">
          {t("shipTo.loading")}
        </Text>
      </InlineStack>
    );
  }

  const country = (code: string) => countryName(locale, code);
  const save = () => {
    if (!values) return;
    const form = new FormData();
    form.set("intent", "save");
    for (const f of SHIP_TO_FIELDS) form.set(f, values[f]);
    setNotice(null);
    saver.submit(form, { method: "post", action: path });
  };
  const clear = () => {
    const form = new FormData();
    form.set("intent", "clear");
    setNotice(null);
    setValues(null);
    saver.submit(form, { method: "post", action: path });
  };

  return (
    <BlockStack gap="300">
      <InlineStack gap="200" blockAlign="center">
        <Text as="h3" variant="headingSm">
          {t("shipTo.title")}
        </Text>
        {view.corrected ? <Badge tone="info">{t("labels.corrected")}</Badge> : null}
      </InlineStack>
      {notice === "saved" ? <Banner tone="success">{t("shipTo.saved")}</Banner> : null}
      {notice === "cleared" ? <Banner tone="info">{t("shipTo.cleared")}</Banner> : null}
      {view.address && view.missing.length ? (
        <Banner tone="warning">{t("shipTo.missing", missingFieldsParams(t, view.missing))}</Banner>
      ) : null}
      {!editing ? (
        <BlockStack gap="200">
          {view.address ? (
            <>
              <Text as="p" tone="subdued">
                {t("shipTo.intro")}
              </Text>
              <CarrierAddress address={view.address} country={country} />
            </>
          ) : (
            <Text as="p">{t("shipTo.none")}</Text>
          )}
          {view.corrected ? (
            <BlockStack gap="100">
              <Text as="p" tone="subdued" variant="bodySm">
                {t("shipTo.corrected")}
              </Text>
              {view.imported ? (
                <Text as="p" tone="subdued" variant="bodySm" breakWord>
                  {t("shipTo.original", { address: addressLines(view.imported, country).join(", ") })}
                </Text>
              ) : null}
            </BlockStack>
          ) : null}
          <InlineStack gap="200">
            <Button
              onClick={() => {
                setValues(view.values);
                setNotice(null);
                setEditing(true);
              }}
            >
              {t("shipTo.edit")}
            </Button>
            {view.corrected ? (
              <Button variant="plain" onClick={clear} loading={saving}>
                {t("shipTo.clear")}
              </Button>
            ) : null}
          </InlineStack>
        </BlockStack>
      ) : values ? (
        <ShipToForm
          values={values}
          errors={errors}
          saving={saving}
          onChange={(f, v) => setValues((s) => (s ? { ...s, [f]: v } : s))}
          onSave={save}
          onCancel={() => {
            setEditing(false);
            setValues(null);
          }}
        />
      ) : null}
    </BlockStack>
  );
}

function CarrierAddress({ address: a, country }: { address: CarrierAddressView; country: (code: string) => string }) {
  const { t } = useI18n();
  const items: { term: string; description: string }[] = [{ term: t("shipTo.term.name"), description: a.name }];
  if (a.company) items.push({ term: t("shipTo.term.company"), description: a.company });
  if (a.street && a.houseNumber) {
    items.push({ term: t("shipTo.term.street"), description: a.street }, { term: t("shipTo.term.houseNumber"), description: a.houseNumber });
    if (a.houseNumberAddition) items.push({ term: t("shipTo.term.houseNumberAddition"), description: a.houseNumberAddition });
  } else if (a.addressLine1) items.push({ term: t("shipTo.term.addressLine1"), description: a.addressLine1 });
  if (a.addressLine2) items.push({ term: t("shipTo.term.addressLine2"), description: a.addressLine2 });
  items.push({ term: t("shipTo.term.postcodeCity"), description: [a.postcode, a.city].filter(Boolean).join(" ") });
  items.push({ term: t("shipTo.term.country"), description: a.country ? `${country(a.country)} (${a.country})` : "" });
  return (
    <div data-testid="ship-to-address">
      <DescriptionList gap="tight" items={items} />
    </div>
  );
}

function ShipToForm(props: {
  values: ShipToValues;
  errors: Partial<Record<ShipToField, string>>;
  saving: boolean;
  onChange: (field: ShipToField, value: string) => void;
  onSave: () => void;
  onCancel: () => void;
}) {
  const { t, locale } = useI18n();
  const { values, errors } = props;
  const field = (name: ShipToField, extra: Partial<React.ComponentProps<typeof TextField>> = {}) => (
    <TextField
      label={t(`shipTo.field.${name}`)}
      name={name}
      id={`shipTo-${name}`}
      value={values[name]}
      onChange={(v) => props.onChange(name, v)}
      error={errors[name]}
      autoComplete="off"
      {...extra}
    />
  );
  const countries: string[] = [...SHIP_TO_COUNTRIES];
  if (values.country && !countries.includes(values.country)) countries.unshift(values.country);
  const hasErrors = Object.keys(errors).length > 0;

  return (
    // A <form> of its own (Enter saves); the label dialog's buttons stay outside it.
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        props.onSave();
      }}
    >
      <BlockStack gap="300">
        <Text as="p" tone="subdued" variant="bodySm">
          {t("shipTo.help")}
        </Text>
        {hasErrors ? <Banner tone="critical">{t("shipTo.notSaved")}</Banner> : null}
        <FormLayout>
          {field("name", { autoComplete: "name", requiredIndicator: true })}
          {field("company", { autoComplete: "organization" })}
          {field("street", { autoComplete: "address-line1", requiredIndicator: true })}
          <FormLayout.Group condensed>
            {field("houseNumber", { inputMode: "numeric", helpText: t("shipTo.field.houseNumber.help") })}
            {field("houseNumberAddition", { helpText: t("shipTo.field.houseNumberAddition.help") })}
          </FormLayout.Group>
          {field("address2", { autoComplete: "address-line2" })}
          <FormLayout.Group condensed>
            {field("postcode", { autoComplete: "postal-code", requiredIndicator: true })}
            {field("city", { autoComplete: "address-level2", requiredIndicator: true })}
          </FormLayout.Group>
          <Select
            label={t("shipTo.field.country")}
            name="country"
            id="shipTo-country"
            requiredIndicator
            options={countries.map((c) => ({ label: countryName(locale, c), value: c }))}
            value={values.country}
            onChange={(v) => props.onChange("country", v)}
            error={errors.country}
          />
          {field("phone", { type: "tel", autoComplete: "tel" })}
        </FormLayout>
        <InlineStack gap="200" align="end">
          <Button onClick={props.onCancel}>{t("shipTo.cancel")}</Button>
          <Button submit variant="primary" loading={props.saving}>
            {t("shipTo.save")}
          </Button>
        </InlineStack>
      </BlockStack>
    </form>
  );
}
