ALTER TABLE "orders" ADD COLUMN "bill_to" jsonb;--> statement-breakpoint
CREATE INDEX "activity_shop_order_idx" ON "activity" USING btree ("shop_id","order_number");--> statement-breakpoint
CREATE INDEX "orders_list_number_idx" ON "orders" USING btree ("shop_id","status",(lpad("number", 40) collate "C"),"id");--> statement-breakpoint
CREATE INDEX "orders_list_country_idx" ON "orders" USING btree ("shop_id","status",coalesce("ship_country", ''),"id");--> statement-breakpoint
CREATE INDEX "orders_list_weight_idx" ON "orders" USING btree ("shop_id","status","weight_grams","id");