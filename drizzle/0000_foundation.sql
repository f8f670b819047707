CREATE TABLE "activity" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"shop_id" bigint NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"kind" text NOT NULL,
	"source" text NOT NULL,
	"result" text NOT NULL,
	"summary" text NOT NULL,
	"order_number" text,
	"reason" text,
	"duration_ms" integer,
	"details" jsonb
);
--> statement-breakpoint
CREATE TABLE "deliveries" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"platform" text NOT NULL,
	"shop_domain" text NOT NULL,
	"webhook_id" text NOT NULL,
	"event_id" text,
	"topic" text NOT NULL,
	"api_version" text,
	"triggered_at" timestamp with time zone,
	"payload" jsonb,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"processed_at" timestamp with time zone,
	"outcome" text DEFAULT 'pending' NOT NULL,
	"reason" text
);
--> statement-breakpoint
CREATE TABLE "orders" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"shop_id" bigint NOT NULL,
	"platform_order_id" text NOT NULL,
	"number" text NOT NULL,
	"placed_at" timestamp with time zone NOT NULL,
	"platform_updated_at" timestamp with time zone NOT NULL,
	"status" text NOT NULL,
	"financial_status" text NOT NULL,
	"fulfillment_status" text,
	"customer_name" text,
	"email" text,
	"company" text,
	"ship_to" jsonb,
	"ship_postcode" text,
	"ship_city" text,
	"ship_country" text,
	"lines" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"item_count" integer DEFAULT 0 NOT NULL,
	"weight_grams" integer DEFAULT 0 NOT NULL,
	"total_price" text,
	"currency" text,
	"search_text" text DEFAULT '' NOT NULL,
	"raw" jsonb,
	"imported_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"removed_at" timestamp with time zone,
	"shipped_at" timestamp with time zone,
	"redacted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "privacy_requests" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"shop_domain" text NOT NULL,
	"platform" text NOT NULL,
	"topic" text NOT NULL,
	"customer_email" text,
	"customer_id" text,
	"orders_requested" jsonb,
	"findings" jsonb,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "session" (
	"id" text PRIMARY KEY NOT NULL,
	"shop" text NOT NULL,
	"state" text NOT NULL,
	"isOnline" boolean DEFAULT false NOT NULL,
	"scope" text,
	"expires" timestamp,
	"accessToken" text,
	"userId" bigint,
	"firstName" text,
	"lastName" text,
	"email" text,
	"accountOwner" boolean,
	"locale" text,
	"collaborator" boolean,
	"emailVerified" boolean,
	"refreshToken" text,
	"refreshTokenExpires" timestamp
);
--> statement-breakpoint
CREATE TABLE "shops" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"platform" text NOT NULL,
	"domain" text NOT NULL,
	"name" text,
	"credentials_encrypted" text,
	"from_address" jsonb,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"sync_cursor" timestamp with time zone,
	"last_sync_at" timestamp with time zone,
	"installed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"uninstalled_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "activity" ADD CONSTRAINT "activity_shop_id_shops_id_fk" FOREIGN KEY ("shop_id") REFERENCES "public"."shops"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_shop_id_shops_id_fk" FOREIGN KEY ("shop_id") REFERENCES "public"."shops"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "activity_shop_at_idx" ON "activity" USING btree ("shop_id","at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE UNIQUE INDEX "deliveries_platform_webhook_uq" ON "deliveries" USING btree ("platform","webhook_id");--> statement-breakpoint
CREATE INDEX "deliveries_shop_received_idx" ON "deliveries" USING btree ("shop_domain","received_at");--> statement-breakpoint
CREATE UNIQUE INDEX "orders_shop_platform_order_uq" ON "orders" USING btree ("shop_id","platform_order_id");--> statement-breakpoint
CREATE INDEX "orders_list_idx" ON "orders" USING btree ("shop_id","status","placed_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "orders_shop_placed_idx" ON "orders" USING btree ("shop_id","placed_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "orders_shop_email_idx" ON "orders" USING btree ("shop_id","email");--> statement-breakpoint
CREATE UNIQUE INDEX "shops_platform_domain_uq" ON "shops" USING btree ("platform","domain");