CREATE TABLE "shop_mail_settings" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"shop_id" bigint NOT NULL,
	"enabled" boolean DEFAULT false NOT NULL,
	"host" text NOT NULL,
	"port" integer NOT NULL,
	"security" text DEFAULT 'starttls' NOT NULL,
	"username" text,
	"password_encrypted" text,
	"from_name" text NOT NULL,
	"from_email" text NOT NULL,
	"locale" text DEFAULT 'nl' NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "shipments" ADD COLUMN "mail_state" text DEFAULT 'not_needed' NOT NULL;--> statement-breakpoint
ALTER TABLE "shipments" ADD COLUMN "mail_attempts" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "shipments" ADD COLUMN "mail_error" text;--> statement-breakpoint
ALTER TABLE "shipments" ADD COLUMN "mail_message_id" text;--> statement-breakpoint
ALTER TABLE "shipments" ADD COLUMN "mail_sending_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "shipments" ADD COLUMN "mailed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "shipments" ADD COLUMN "mailed_to" text;--> statement-breakpoint
ALTER TABLE "shop_mail_settings" ADD CONSTRAINT "shop_mail_settings_shop_id_shops_id_fk" FOREIGN KEY ("shop_id") REFERENCES "public"."shops"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "shop_mail_settings_shop_uq" ON "shop_mail_settings" USING btree ("shop_id");