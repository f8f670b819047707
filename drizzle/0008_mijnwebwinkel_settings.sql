CREATE TABLE "mijnwebwinkel_settings" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"shop_id" bigint NOT NULL,
	"to_ship_statuses" integer[],
	"shipped_status" integer,
	"only_paid" boolean DEFAULT true NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "mijnwebwinkel_settings" ADD CONSTRAINT "mijnwebwinkel_settings_shop_id_shops_id_fk" FOREIGN KEY ("shop_id") REFERENCES "public"."shops"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "mijnwebwinkel_settings_shop_uq" ON "mijnwebwinkel_settings" USING btree ("shop_id");