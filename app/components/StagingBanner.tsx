// Shown on every app page while the shop's carrier connection is on staging: the labels are not real, but the
// write-back to the live store (and the customer's e-mail, where the shop or Koppel sends one) is.
import { Banner, Box } from "@shopify/polaris";
import { useLocation } from "@remix-run/react";
import { useI18n } from "~/i18n/react";

export function StagingBanner({ customerMail = "platform" }: { customerMail?: "platform" | "koppel" | "none" }) {
  const { t } = useI18n();
  const { pathname } = useLocation();
  const onCarrierPage = pathname.startsWith("/app/carrier");
  return (
    <Box paddingInline="400" paddingBlockStart="400">
      <Banner tone="warning" action={onCarrierPage ? undefined : { content: t("staging.toCarrier"), url: "/app/carrier" }}>
        {t(customerMail === "platform" ? "staging.banner" : customerMail === "koppel" ? "staging.banner.koppelMail" : "staging.banner.noMail")}
      </Banner>
    </Box>
  );
}
