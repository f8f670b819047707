// The "Standaard afzendadres" form, used by setup and settings. Field errors come from the server's zod parse.
import { useState, type ReactNode } from "react";
import { useNavigation, useSubmit } from "@remix-run/react";
import { Banner, BlockStack, Button, Form, FormLayout, InlineStack, Select, TextField } from "@shopify/polaris";
import { REQUIRED_FROM_ADDRESS_FIELDS, SUPPORTED_COUNTRIES, type FromAddressErrors, type FromAddressField, type FromAddressValues } from "~/core/from-address";
import { useI18n } from "~/i18n/react";

export const FROM_ADDRESS_INTENT = "from-address";

export function FromAddressForm({
  initialValues,
  errors = {},
  submitLabel,
  intent = FROM_ADDRESS_INTENT,
  leading,
}: {
  initialValues: FromAddressValues;
  errors?: FromAddressErrors;
  submitLabel: string;
  intent?: string;
  /** Fields of the same form shown before the address (Mijnwebwinkel's Shop-URL and API token), submitted with it. */
  leading?: ReactNode;
}) {
  const { t } = useI18n();
  const submit = useSubmit();
  const navigation = useNavigation();
  const [values, setValues] = useState<FromAddressValues>(initialValues);
  const submitting =
    navigation.state === "submitting" && navigation.formData?.get("intent") === intent;

  const field = (name: FromAddressField, props: Partial<React.ComponentProps<typeof TextField>> = {}) => (
    <TextField
      label={t(`fromAddress.${name}`)}
      name={name}
      id={`fromAddress-${name}`}
      value={values[name]}
      onChange={(v) => setValues((s) => ({ ...s, [name]: v }))}
      error={errors[name]}
      autoComplete="off"
      requiredIndicator={REQUIRED_FROM_ADDRESS_FIELDS.includes(name)}
      {...props}
    />
  );

  const countryOptions = SUPPORTED_COUNTRIES.map((c) => ({ label: t(`country.${c}`), value: c }));
  if (values.country && !(SUPPORTED_COUNTRIES as readonly string[]).includes(values.country)) {
    countryOptions.unshift({ label: values.country, value: values.country as (typeof SUPPORTED_COUNTRIES)[number] });
  }
  const hasErrors = Object.keys(errors).length > 0;

  return (
    // noValidate: Koppel's own (Dutch or English) messages per field, not the browser's bubbles.
    <Form method="post" noValidate onSubmit={(event) => submit(event.currentTarget, { method: "post" })}>
      <input type="hidden" name="intent" value={intent} />
      <BlockStack gap="400">
        {hasErrors ? <Banner tone="critical">{t("fromAddress.errorsBanner")}</Banner> : null}
        {leading}
        <FormLayout>
          {field("company", { autoComplete: "organization" })}
          {field("contactName", { autoComplete: "name" })}
          <FormLayout.Group condensed>
            {field("street", { autoComplete: "address-line1" })}
            {field("houseNumber", { inputMode: "numeric" })}
            {field("houseNumberAddition", { helpText: t("fromAddress.houseNumberAddition.help") })}
          </FormLayout.Group>
          <FormLayout.Group>
            {field("postcode", { autoComplete: "postal-code" })}
            {field("city", { autoComplete: "address-level2" })}
          </FormLayout.Group>
          <Select
            label={t("fromAddress.country")}
            name="country"
            id="fromAddress-country"
            requiredIndicator
            options={countryOptions}
            value={values.country}
            onChange={(v) => setValues((s) => ({ ...s, country: v }))}
            error={errors.country}
          />
          <FormLayout.Group>
            {field("phone", { type: "tel", autoComplete: "tel" })}
            {field("email", { type: "email", autoComplete: "email" })}
          </FormLayout.Group>
        </FormLayout>
        <InlineStack align="end">
          <Button submit variant="primary" loading={submitting}>
            {submitLabel}
          </Button>
        </InlineStack>
      </BlockStack>
    </Form>
  );
}
