// A result that went well ("Instellingen opgeslagen"): inside Shopify's admin App Bridge's toast, as Shopify's review
// asks (https://shopify.dev/docs/api/app-bridge-library/apis/toast); elsewhere a banner on the page.
import { useEffect } from "react";
import { useActionData } from "@remix-run/react";
import { Banner } from "@shopify/polaris";
import { showToast } from "~/components/app-bridge-toast";
import { useEmbedded } from "~/components/use-embedded";

export function SuccessNotice({ children, trigger, onDismiss, tone = "success" }: {
  children: string;
  /** What this result is (a fetcher's answer); the route's action answer by default. A new one toasts again. */
  trigger?: unknown;
  onDismiss?: () => void;
  /** Outside Shopify: "info" for a result that only started something (a retry). */
  tone?: "success" | "info";
}) {
  const embedded = useEmbedded();
  const actionData = useActionData();
  const result = trigger ?? actionData;
  useEffect(() => {
    if (embedded) showToast(children);
  }, [embedded, children, result]);
  if (embedded) return null;
  return (
    <Banner tone={tone} onDismiss={onDismiss}>
      {children}
    </Banner>
  );
}
