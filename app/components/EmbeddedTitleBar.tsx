// App Bridge's title bar inside Shopify's admin (Shopify's review checks it; https://shopify.dev/docs/api/app-bridge-library/web-components/ui-title-bar):
// the name of the page the merchant is on, from the app's navigation; Koppel's name elsewhere (setup).
import { TitleBar } from "@shopify/app-bridge-react";
import { useLocation } from "@remix-run/react";
import { useI18n } from "~/i18n/react";

export function EmbeddedTitleBar({ nav }: { nav: readonly { to: string; key: string }[] }) {
  const { t } = useI18n();
  const { pathname } = useLocation();
  const path = pathname.replace(/\/+$/, "") || "/";
  // "/app" is the order list itself; every other entry also names the pages under it.
  const item = nav.find((n) => path === n.to) ?? nav.find((n) => n.to !== "/app" && path.startsWith(`${n.to}/`));
  return <TitleBar title={item ? t(item.key) : t("app.name")} />;
}
