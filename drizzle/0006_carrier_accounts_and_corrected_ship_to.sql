CREATE TABLE "carrier_accounts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"shop_id" bigint NOT NULL,
	"carrier" text NOT NULL,
	"environment" text NOT NULL,
	"client_id" text NOT NULL,
	"client_secret_encrypted" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "carrier_connections" ADD COLUMN "account_id" bigint;--> statement-breakpoint
ALTER TABLE "label_requests" ADD COLUMN "carrier_account_id" bigint;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "ship_to_corrected" jsonb;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "ship_to_corrected_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "shipments" ADD COLUMN "carrier_account_id" bigint;--> statement-breakpoint
ALTER TABLE "carrier_accounts" ADD CONSTRAINT "carrier_accounts_shop_id_shops_id_fk" FOREIGN KEY ("shop_id") REFERENCES "public"."shops"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "carrier_accounts_shop_account_uq" ON "carrier_accounts" USING btree ("shop_id","carrier","environment","client_id");--> statement-breakpoint
ALTER TABLE "carrier_connections" ADD CONSTRAINT "carrier_connections_account_id_carrier_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."carrier_accounts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "label_requests" ADD CONSTRAINT "label_requests_carrier_account_id_carrier_accounts_id_fk" FOREIGN KEY ("carrier_account_id") REFERENCES "public"."carrier_accounts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shipments" ADD CONSTRAINT "shipments_carrier_account_id_carrier_accounts_id_fk" FOREIGN KEY ("carrier_account_id") REFERENCES "public"."carrier_accounts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
-- Backfill: each shop's current connection becomes its first account; requests and shipments made in that connection's
-- carrier and environment were made with it. Older ones (another environment, replaced since) stay without an account.
INSERT INTO "carrier_accounts" ("shop_id", "carrier", "environment", "client_id", "client_secret_encrypted", "created_at", "updated_at")
SELECT "shop_id", "carrier", "environment", "client_id", "client_secret_encrypted", "connected_at", "updated_at" FROM "carrier_connections"
ON CONFLICT DO NOTHING;--> statement-breakpoint
UPDATE "carrier_connections" c SET "account_id" = a."id" FROM "carrier_accounts" a
WHERE a."shop_id" = c."shop_id" AND a."carrier" = c."carrier" AND a."environment" = c."environment" AND a."client_id" = c."client_id";--> statement-breakpoint
UPDATE "label_requests" r SET "carrier_account_id" = c."account_id" FROM "carrier_connections" c
WHERE c."shop_id" = r."shop_id" AND c."carrier" = r."carrier" AND c."environment" = r."environment";--> statement-breakpoint
UPDATE "shipments" s SET "carrier_account_id" = c."account_id" FROM "carrier_connections" c
WHERE c."shop_id" = s."shop_id" AND c."carrier" = s."carrier" AND c."environment" = s."environment";
