ALTER TABLE "orders" ADD COLUMN "platform_customer_id" text;--> statement-breakpoint
CREATE INDEX "orders_shop_customer_idx" ON "orders" USING btree ("shop_id","platform_customer_id");--> statement-breakpoint
-- Hand-written backfill, appended to the generated SQL: orders imported before this column existed hold the customer
-- id only in Shopify's own payload (webhook orders: raw.customer.id, exact digits in jsonb). Orders the sync imported
-- stored no customer id; they get it at their next import. The core no longer reads raw.
UPDATE "orders" SET "platform_customer_id" = substring("orders"."raw"->'customer'->>'id' from '^(?:gid://shopify/Customer/)?(\d+)$')
FROM "shops"
WHERE "shops"."id" = "orders"."shop_id" AND "shops"."platform" = 'shopify' AND "orders"."raw"->'customer'->>'id' IS NOT NULL;
