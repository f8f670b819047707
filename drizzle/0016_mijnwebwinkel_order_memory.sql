CREATE TABLE "mijnwebwinkel_orders" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"shop_id" bigint NOT NULL,
	"number" text NOT NULL,
	"fingerprint" text NOT NULL,
	"seen_at" timestamp with time zone NOT NULL,
	"open" boolean DEFAULT false NOT NULL,
	"financial" text,
	"payment_checks" integer DEFAULT 0 NOT NULL,
	"payment_check_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "mijnwebwinkel_orders" ADD CONSTRAINT "mijnwebwinkel_orders_shop_id_shops_id_fk" FOREIGN KEY ("shop_id") REFERENCES "public"."shops"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "mijnwebwinkel_orders_shop_number_uq" ON "mijnwebwinkel_orders" USING btree ("shop_id","number");--> statement-breakpoint
CREATE INDEX "mijnwebwinkel_orders_payment_due_idx" ON "mijnwebwinkel_orders" USING btree ("shop_id","payment_check_at");