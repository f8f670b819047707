CREATE TABLE "attempt_limits" (
	"key" text PRIMARY KEY NOT NULL,
	"failures" integer NOT NULL,
	"window_started_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "attempt_limits_window_idx" ON "attempt_limits" USING btree ("window_started_at");