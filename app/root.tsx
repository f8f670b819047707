import type { LinksFunction } from "@remix-run/node";
import { isRouteErrorResponse, Links, Meta, Outlet, Scripts, ScrollRestoration, useRouteError } from "@remix-run/react";
import polarisStyles from "@shopify/polaris/build/esm/styles.css";
import { BlockStack, Button, Card, InlineStack, Page, Text } from "@shopify/polaris";
import { PolarisShell } from "~/components/PolarisShell";
import { useDocumentLocale, useNonce } from "~/document-context";
import { t } from "~/i18n";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: polarisStyles }];

export default function App() {
  const nonce = useNonce();
  return (
    <html lang="nl">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
        <Meta />
        <Links />
      </head>
      <body>
        {/* One wrapper: Polaris' scroll lock (open modal) fixes the height of body's first child. */}
        <div id="koppel-root">
          <Outlet />
        </div>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

/**
 * Unknown paths and errors outside the app's own layout: Koppel's page in the visitor's language (Dutch unless
 * ?locale=en or Accept-Language says English), never Remix's developer page, and never the error's message or stack.
 */
export function ErrorBoundary() {
  const error = useRouteError();
  const nonce = useNonce();
  const locale = useDocumentLocale();
  const notFound = isRouteErrorResponse(error) && error.status === 404;
  const title = t(locale, notFound ? "errorPage.notFound.title" : "errorPage.error.title");
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
        <title>{`Koppel · ${title}`}</title>
        <Links />
      </head>
      <body>
        <div id="koppel-root">
          <PolarisShell locale={locale}>
            <Page narrowWidth title={title}>
              <Card>
                <BlockStack gap="400">
                  <Text as="p">{t(locale, notFound ? "errorPage.notFound.body" : "errorPage.error.body")}</Text>
                  <InlineStack>
                    <Button url="/">{t(locale, "errorPage.home")}</Button>
                  </InlineStack>
                </BlockStack>
              </Card>
            </Page>
          </PolarisShell>
        </div>
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}
