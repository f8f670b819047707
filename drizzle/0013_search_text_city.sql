-- Hand-written (drizzle-kit generate --custom): the list's search also matches the ship-to city and the company
-- (app/core/import-order.server.ts searchTextFor writes them from now on); orders imported before get them here.
-- Redacted orders keep their number-only search text.
UPDATE "orders" SET "search_text" = "search_text" || ' ' || lower("ship_city")
WHERE "ship_city" IS NOT NULL AND "ship_city" <> '' AND "redacted_at" IS NULL AND position(lower("ship_city") in "search_text") = 0;--> statement-breakpoint
UPDATE "orders" SET "search_text" = "search_text" || ' ' || lower("company")
WHERE "company" IS NOT NULL AND "company" <> '' AND "redacted_at" IS NULL AND position(lower("company") in "search_text") = 0;
