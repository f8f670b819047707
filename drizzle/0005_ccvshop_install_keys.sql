ALTER TABLE "shops" ADD COLUMN "platform_key" text;--> statement-breakpoint
ALTER TABLE "shops" ADD COLUMN "webhook_token_hash" text;--> statement-breakpoint
CREATE UNIQUE INDEX "shops_platform_key_uq" ON "shops" USING btree ("platform","platform_key");--> statement-breakpoint
CREATE UNIQUE INDEX "shops_webhook_token_hash_uq" ON "shops" USING btree ("webhook_token_hash");