// Mijnwebwinkel's Shop-URL and API token, as the connect and login forms ask for them (names shopUrl, apiToken). The
// token field is a password field and never filled in by the server, except with the demo's fake token.
import { useState } from "react";
import { FormLayout, TextField } from "@shopify/polaris";
import { useI18n } from "~/i18n/react";

export function MijnwebwinkelFields({
  shopUrl,
  apiToken = "",
  errors = {},
}: {
  shopUrl: string;
  /** Prefilled only in the demo (the fake's token). */
  apiToken?: string;
  errors?: { shopUrl?: string; apiToken?: string };
}) {
  const { t } = useI18n();
  const [url, setUrl] = useState(shopUrl);
  const [token, setToken] = useState(apiToken);
  return (
    <FormLayout>
      <TextField
        label={t("mijnwebwinkel.shopUrl")}
        name="shopUrl"
        id="mijnwebwinkel-shopUrl"
        value={url}
        onChange={setUrl}
        placeholder="jouwwinkel.myonline.store"
        helpText={t("mijnwebwinkel.shopUrl.help")}
        error={errors.shopUrl}
        autoComplete="url"
        inputMode="url"
        requiredIndicator
      />
      <TextField
        label={t("mijnwebwinkel.apiToken")}
        name="apiToken"
        id="mijnwebwinkel-apiToken"
        type="password"
        value={token}
        onChange={setToken}
        helpText={t("mijnwebwinkel.apiToken.help")}
        error={errors.apiToken}
        autoComplete="off"
        requiredIndicator
      />
    </FormLayout>
  );
}
