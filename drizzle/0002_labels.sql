CREATE TABLE "carrier_connections" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"shop_id" bigint NOT NULL,
	"carrier" text NOT NULL,
	"environment" text NOT NULL,
	"client_id" text NOT NULL,
	"client_secret_encrypted" text NOT NULL,
	"client_secret_last4" text NOT NULL,
	"services" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"default_service" text,
	"default_package_type" text DEFAULT 'package' NOT NULL,
	"connected_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "label_batches" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"shop_id" bigint NOT NULL,
	"total" integer NOT NULL,
	"options" jsonb NOT NULL,
	"source" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "label_requests" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"shop_id" bigint NOT NULL,
	"order_id" bigint NOT NULL,
	"batch_id" bigint,
	"idempotency_key" text NOT NULL,
	"carrier" text NOT NULL,
	"environment" text NOT NULL,
	"service" text NOT NULL,
	"colli" integer NOT NULL,
	"package_type" text NOT NULL,
	"state" text DEFAULT 'queued' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "shipments" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"shop_id" bigint NOT NULL,
	"order_id" bigint NOT NULL,
	"label_request_id" bigint NOT NULL,
	"carrier" text NOT NULL,
	"environment" text NOT NULL,
	"carrier_shipment_id" text NOT NULL,
	"sequence" text,
	"service" text NOT NULL,
	"colli" integer NOT NULL,
	"package_type" text NOT NULL,
	"labels" jsonb NOT NULL,
	"tracking_number" text NOT NULL,
	"tracking_url" text NOT NULL,
	"tracking_company" text NOT NULL,
	"status" text DEFAULT 'created' NOT NULL,
	"raw" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"writeback_state" text DEFAULT 'pending' NOT NULL,
	"writeback_attempts" integer DEFAULT 0 NOT NULL,
	"writeback_error" text,
	"written_back_at" timestamp with time zone,
	"platform_fulfillment_ids" jsonb
);
--> statement-breakpoint
ALTER TABLE "carrier_connections" ADD CONSTRAINT "carrier_connections_shop_id_shops_id_fk" FOREIGN KEY ("shop_id") REFERENCES "public"."shops"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "label_batches" ADD CONSTRAINT "label_batches_shop_id_shops_id_fk" FOREIGN KEY ("shop_id") REFERENCES "public"."shops"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "label_requests" ADD CONSTRAINT "label_requests_shop_id_shops_id_fk" FOREIGN KEY ("shop_id") REFERENCES "public"."shops"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "label_requests" ADD CONSTRAINT "label_requests_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "label_requests" ADD CONSTRAINT "label_requests_batch_id_label_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."label_batches"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shipments" ADD CONSTRAINT "shipments_shop_id_shops_id_fk" FOREIGN KEY ("shop_id") REFERENCES "public"."shops"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shipments" ADD CONSTRAINT "shipments_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shipments" ADD CONSTRAINT "shipments_label_request_id_label_requests_id_fk" FOREIGN KEY ("label_request_id") REFERENCES "public"."label_requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "carrier_connections_shop_uq" ON "carrier_connections" USING btree ("shop_id");--> statement-breakpoint
CREATE INDEX "label_batches_shop_created_idx" ON "label_batches" USING btree ("shop_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE UNIQUE INDEX "label_requests_key_uq" ON "label_requests" USING btree ("idempotency_key");--> statement-breakpoint
CREATE UNIQUE INDEX "label_requests_one_live_per_order_uq" ON "label_requests" USING btree ("order_id") WHERE state in ('queued', 'sending', 'created');--> statement-breakpoint
CREATE INDEX "label_requests_batch_idx" ON "label_requests" USING btree ("batch_id");--> statement-breakpoint
CREATE INDEX "label_requests_shop_state_idx" ON "label_requests" USING btree ("shop_id","state");--> statement-breakpoint
CREATE UNIQUE INDEX "shipments_label_request_uq" ON "shipments" USING btree ("label_request_id");--> statement-breakpoint
CREATE UNIQUE INDEX "shipments_carrier_shipment_uq" ON "shipments" USING btree ("carrier","carrier_shipment_id");--> statement-breakpoint
CREATE INDEX "shipments_shop_created_idx" ON "shipments" USING btree ("shop_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "shipments_order_idx" ON "shipments" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "activity_shop_id_idx" ON "activity" USING btree ("shop_id","id" DESC NULLS LAST);