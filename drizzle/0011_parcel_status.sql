CREATE TABLE "carrier_webhooks" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"carrier" text NOT NULL,
	"carrier_account_id" bigint NOT NULL,
	"shop_id" bigint NOT NULL,
	"event_id" text NOT NULL,
	"event" text NOT NULL,
	"payload" jsonb,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"processed_at" timestamp with time zone,
	"outcome" text
);
--> statement-breakpoint
CREATE TABLE "parcel_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"shop_id" bigint NOT NULL,
	"shipment_id" bigint NOT NULL,
	"label_id" text DEFAULT '' NOT NULL,
	"status" text NOT NULL,
	"carrier_status" text NOT NULL,
	"carrier_code" text,
	"description" text,
	"occurred_at" timestamp with time zone NOT NULL,
	"source" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "carrier_accounts" ADD COLUMN "parcel_webhook_token_hash" text;--> statement-breakpoint
ALTER TABLE "carrier_accounts" ADD COLUMN "parcel_webhook_registered_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "carrier_accounts" ADD COLUMN "parcel_webhook_error" text;--> statement-breakpoint
ALTER TABLE "shipments" ADD COLUMN "parcel_status" text DEFAULT 'created' NOT NULL;--> statement-breakpoint
ALTER TABLE "shipments" ADD COLUMN "parcel_status_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "shipments" ADD COLUMN "parcel_carrier_status" text;--> statement-breakpoint
ALTER TABLE "shipments" ADD COLUMN "parcel_description" text;--> statement-breakpoint
ALTER TABLE "shipments" ADD COLUMN "parcel_final" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "shipments" ADD COLUMN "parcel_updated_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "shipments" ADD COLUMN "parcel_polled_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "carrier_webhooks" ADD CONSTRAINT "carrier_webhooks_carrier_account_id_carrier_accounts_id_fk" FOREIGN KEY ("carrier_account_id") REFERENCES "public"."carrier_accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "carrier_webhooks" ADD CONSTRAINT "carrier_webhooks_shop_id_shops_id_fk" FOREIGN KEY ("shop_id") REFERENCES "public"."shops"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parcel_events" ADD CONSTRAINT "parcel_events_shop_id_shops_id_fk" FOREIGN KEY ("shop_id") REFERENCES "public"."shops"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parcel_events" ADD CONSTRAINT "parcel_events_shipment_id_shipments_id_fk" FOREIGN KEY ("shipment_id") REFERENCES "public"."shipments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "carrier_webhooks_event_uq" ON "carrier_webhooks" USING btree ("carrier","carrier_account_id","event_id");--> statement-breakpoint
CREATE UNIQUE INDEX "parcel_events_dedupe_uq" ON "parcel_events" USING btree ("shipment_id","label_id","carrier_status","occurred_at");--> statement-breakpoint
CREATE INDEX "parcel_events_shipment_idx" ON "parcel_events" USING btree ("shipment_id","occurred_at");--> statement-breakpoint
CREATE UNIQUE INDEX "carrier_accounts_parcel_webhook_uq" ON "carrier_accounts" USING btree ("parcel_webhook_token_hash");--> statement-breakpoint
CREATE INDEX "shipments_parcel_open_idx" ON "shipments" USING btree ("parcel_final","parcel_polled_at");