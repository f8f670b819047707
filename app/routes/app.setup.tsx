// First run: "Standaard afzendadres". Saving it completes the installation.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useActionData, useLoaderData, useOutlet } from "@remix-run/react";
import { BlockStack, Card, Layout, Page, Text } from "@shopify/polaris";
import { db } from "~/db.server";
import { requireMerchant } from "~/merchant.server";
import { readFormData } from "~/body-limit.server";
import { saveFromAddress } from "~/core/shops.server";
import { fromAddressFormValues, parseFromAddress } from "~/core/from-address";
import { FromAddressForm } from "~/components/FromAddressForm";
import { useI18n } from "~/i18n/react";

export async function loader({ request }: LoaderFunctionArgs) {
  const merchant = await requireMerchant(request);
  return { values: fromAddressFormValues(merchant.shop.fromAddress) };
}

export async function action({ request }: ActionFunctionArgs) {
  const merchant = await requireMerchant(request);
  const form = Object.fromEntries(await readFormData(request));
  const parsed = parseFromAddress(merchant.locale, form);
  if (!parsed.ok) return { errors: parsed.errors, values: parsed.values };
  await saveFromAddress(db, merchant.shopId, parsed.address, "install");
  throw redirect("/app/setup/done");
}

export default function SetupPage() {
  // /app/setup/done is this route's child (flat routes nest app.setup.done under app.setup): show it instead.
  const outlet = useOutlet();
  return outlet ?? <SetupForm />;
}

function SetupForm() {
  const { values } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useI18n();
  return (
    <Page title={t("setup.title")} narrowWidth>
      <Layout>
        <Layout.Section>
          <Card>
            <BlockStack gap="400">
              <BlockStack gap="100">
                <Text as="h2" variant="headingMd">
                  {t("fromAddress.title")}
                </Text>
                <Text as="p" tone="subdued">
                  {t("fromAddress.intro")}
                </Text>
              </BlockStack>
              <FromAddressForm
                initialValues={result?.values ?? values}
                errors={result?.errors}
                submitLabel={t("fromAddress.submit.setup")}
              />
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
