// "Gegevens naar de vervoerder" (datamapper): how an order's fields become the shipment's, defaults preselected, a few
// alternatives each, and a preview for the newest order to ship. The label job applies it (app/core/labels/label-job).
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { and, desc, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import { db } from "~/db.server";
import { orders } from "~/db/schema";
import { requireMerchant } from "~/merchant.server";
import { readFormData } from "~/body-limit.server";
import { getShop, updateShopSettings } from "~/core/shops.server";
import { effectiveShipTo } from "~/core/labels/carrier-address";
import { FIELD_MAPPING_CHOICES, FIELD_MAPPING_KEYS, fieldMappingOf, type FieldMapping } from "~/core/rules/field-mapping";
import { FieldMappingSection } from "~/components/rules/FieldMappingSection";

export async function loader({ request }: LoaderFunctionArgs) {
  const merchant = await requireMerchant(request);
  const shop = await getShop(db, merchant.shopId);
  const [order] = await db
    .select({ number: orders.number, email: orders.email, company: orders.company, lines: orders.lines, shipTo: orders.shipTo, shipToCorrected: orders.shipToCorrected, billTo: orders.billTo })
    .from(orders)
    .where(and(eq(orders.shopId, merchant.shopId), eq(orders.status, "to_ship"), isNull(orders.removedAt)))
    .orderBy(desc(orders.placedAt))
    .limit(1);
  return {
    mapping: fieldMappingOf(shop?.settings?.fieldMapping),
    sample: order ? { number: order.number, email: order.email, company: order.company, lines: order.lines, shipTo: effectiveShipTo(order), billTo: order.billTo } : null,
  };
}

export type FieldMappingActionResult = { ok: boolean };

export async function action({ request }: ActionFunctionArgs): Promise<FieldMappingActionResult> {
  const merchant = await requireMerchant(request);
  const form = await readFormData(request);
  const Mapping = z.object(Object.fromEntries(FIELD_MAPPING_KEYS.map((k) => [k, z.enum(FIELD_MAPPING_CHOICES[k] as unknown as [string, ...string[]])])));
  const parsed = Mapping.safeParse(Object.fromEntries(FIELD_MAPPING_KEYS.map((k) => [k, form.get(k)])));
  if (!parsed.success) return { ok: false };
  await updateShopSettings(db, merchant.shopId, { fieldMapping: parsed.data as FieldMapping });
  return { ok: true };
}

export default function FieldMappingRoute() {
  const data = useLoaderData<typeof loader>();
  return <FieldMappingSection mapping={data.mapping} sample={data.sample} />;
}
