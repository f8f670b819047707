// Koppel's tables. Migrations in drizzle/ are generated from this file (`npm run db:generate`) and are additive.
import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import {
  PLATFORMS,
  DELIVERY_OUTCOMES,
  ORDER_STATUSES,
  ACTIVITY_KINDS,
  ACTIVITY_RESULTS,
  CARRIERS,
  CARRIER_ENVIRONMENTS,
  LABEL_REQUEST_STATES,
  WRITEBACK_STATES,
  MAIL_STATES,
  SMTP_SECURITY,
  PARCEL_STATUSES,
  PARCEL_EVENT_SOURCES,
  type ParcelStatus,
  type MailState,
  type SmtpSecurity,
  type PlatformId,
  type FromAddress,
  type ShopSettings,
  type DeliveryOutcome,
  type OrderStatus,
  type ShipTo,
  type OrderLine,
  type ActivityKind,
  type ActivityResult,
  type LabelRequestState,
  type WritebackState,
} from "../core/domain";
import type { ParcelDimensions, RuleAction, RuleConditions } from "../core/rules/rule";

// Domain types and value lists belong to the core; re-exported so callers that only know the schema keep working.
export { PLATFORMS, DELIVERY_OUTCOMES, ORDER_STATUSES, ACTIVITY_KINDS, ACTIVITY_RESULTS, CARRIERS, CARRIER_ENVIRONMENTS, LABEL_REQUEST_STATES, WRITEBACK_STATES, MAIL_STATES, SMTP_SECURITY };
export type { MailState, SmtpSecurity, PlatformId, FromAddress, ShopSettings, DeliveryOutcome, OrderStatus, ShipTo, OrderLine, ActivityKind, ActivityResult, LabelRequestState, WritebackState };

/** Shopify sessions, in the shape @shopify/shopify-app-session-storage-drizzle expects. accessToken is encrypted by EncryptedSessionStorage. */
export const sessions = pgTable("session", {
  id: text("id").primaryKey(),
  shop: text("shop").notNull(),
  state: text("state").notNull(),
  isOnline: boolean("isOnline").default(false).notNull(),
  scope: text("scope"),
  expires: timestamp("expires", { mode: "date" }),
  accessToken: text("accessToken"),
  userId: bigint("userId", { mode: "number" }),
  firstName: text("firstName"),
  lastName: text("lastName"),
  email: text("email"),
  accountOwner: boolean("accountOwner"),
  locale: text("locale"),
  collaborator: boolean("collaborator"),
  emailVerified: boolean("emailVerified"),
  refreshToken: text("refreshToken"),
  refreshTokenExpires: timestamp("refreshTokenExpires", { mode: "date" }),
});

export const shops = pgTable(
  "shops",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    platform: text("platform", { enum: PLATFORMS }).notNull(),
    /** e.g. koppel-demo.myshopify.com */
    domain: text("domain").notNull(),
    name: text("name"),
    /** AES-256-GCM envelope (see app/crypto.server.ts): platform API credentials for non-Shopify platforms. */
    credentialsEncrypted: text("credentials_encrypted"),
    fromAddress: jsonb("from_address").$type<FromAddress>(),
    settings: jsonb("settings").$type<ShopSettings>().notNull().default({}),
    /** Orders updated after this instant are fetched by the next sync (minus an overlap). */
    syncCursor: timestamp("sync_cursor", { withTimezone: true }),
    lastSyncAt: timestamp("last_sync_at", { withTimezone: true }),
    installedAt: timestamp("installed_at", { withTimezone: true }).notNull().defaultNow(),
    uninstalledAt: timestamp("uninstalled_at", { withTimezone: true }),
    /** Koppel's merchant cookies and label download links carry this; bumping it (uninstall, reinstall, "log out everywhere") revokes them all. */
    sessionVersion: integer("session_version").notNull().default(1),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    /** The platform's public name for this install, when its App Store calls name the shop by it (CCV Shop's api_public). */
    platformKey: text("platform_key"),
    /** SHA-256 (hex) of the unguessable token in the webhook address Koppel registered with the shop (CCV Shop). */
    webhookTokenHash: text("webhook_token_hash"),
  },
  (t) => [
    uniqueIndex("shops_platform_domain_uq").on(t.platform, t.domain),
    uniqueIndex("shops_platform_key_uq").on(t.platform, t.platformKey),
    uniqueIndex("shops_webhook_token_hash_uq").on(t.webhookTokenHash),
  ],
);

/** Every webhook delivery, recorded before it is answered. Unique on (platform, webhook id): a redelivery is a no-op. */
export const deliveries = pgTable(
  "deliveries",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    platform: text("platform", { enum: PLATFORMS }).notNull(),
    shopDomain: text("shop_domain").notNull(),
    webhookId: text("webhook_id").notNull(),
    eventId: text("event_id"),
    topic: text("topic").notNull(),
    apiVersion: text("api_version"),
    triggeredAt: timestamp("triggered_at", { withTimezone: true }),
    payload: jsonb("payload"),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
    processedAt: timestamp("processed_at", { withTimezone: true }),
    outcome: text("outcome", { enum: DELIVERY_OUTCOMES }).notNull().default("pending"),
    reason: text("reason"),
  },
  (t) => [
    uniqueIndex("deliveries_platform_webhook_uq").on(t.platform, t.webhookId),
    index("deliveries_shop_received_idx").on(t.shopDomain, t.receivedAt),
  ],
);

export const orders = pgTable(
  "orders",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    shopId: bigint("shop_id", { mode: "number" })
      .notNull()
      .references(() => shops.id, { onDelete: "cascade" }),
    platformOrderId: text("platform_order_id").notNull(),
    /** What the merchant calls the order: "#1001" on Shopify. */
    number: text("number").notNull(),
    placedAt: timestamp("placed_at", { withTimezone: true }).notNull(),
    /** The platform's updated_at: an older update never overwrites a newer one. */
    platformUpdatedAt: timestamp("platform_updated_at", { withTimezone: true }).notNull(),
    status: text("status", { enum: ORDER_STATUSES }).notNull(),
    financialStatus: text("financial_status").notNull(),
    fulfillmentStatus: text("fulfillment_status"),
    customerName: text("customer_name"),
    email: text("email"),
    /** The platform's id of the customer (PlatformOrder.customerId): customers/redact and data requests find orders by it. */
    platformCustomerId: text("platform_customer_id"),
    company: text("company"),
    shipTo: jsonb("ship_to").$type<ShipTo>(),
    /**
     * The merchant's correction of the ship-to ("Adres aanpassen"): Koppel's own, used for this and later labels,
     * never written back to the shop and never touched by an import.
     */
    shipToCorrected: jsonb("ship_to_corrected").$type<ShipTo>(),
    shipToCorrectedAt: timestamp("ship_to_corrected_at", { withTimezone: true }),
    /** The billing address as the platform sent it (PlatformOrder.billTo), shown on the order page only. */
    billTo: jsonb("bill_to").$type<ShipTo>(),
    shipPostcode: text("ship_postcode"),
    shipCity: text("ship_city"),
    shipCountry: text("ship_country"),
    lines: jsonb("lines").$type<OrderLine[]>().notNull().default([]),
    itemCount: integer("item_count").notNull().default(0),
    weightGrams: integer("weight_grams").notNull().default(0),
    totalPrice: text("total_price"),
    currency: text("currency"),
    /** Platform tags or labels (Shopify tags, CCV Shop order labels; [] where the platform has none): shipping rules match them. */
    tags: jsonb("tags").$type<string[]>().notNull().default([]),
    /** The shipping method the customer chose, as the platform names it (shipping rules match it). */
    shippingMethod: text("shipping_method"),
    /** lower-case "number name company email postcode city" for the list's search box. */
    searchText: text("search_text").notNull().default(""),
    /** The platform's own payload, as received (scrubbed on customers/redact). */
    raw: jsonb("raw"),
    /**
     * What the platform's adapter keeps about the order for its own later calls (PlatformOrder.platformData), opaque
     * to the core and handed back to markShipped: Shopify's fulfillment order ids, so the write-back need not read them.
     */
    platformData: jsonb("platform_data"),
    importedAt: timestamp("imported_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    /** "Verwijder bestellingen": hidden from the list, kept so a sync never brings it back. */
    removedAt: timestamp("removed_at", { withTimezone: true }),
    shippedAt: timestamp("shipped_at", { withTimezone: true }),
    redactedAt: timestamp("redacted_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("orders_shop_platform_order_uq").on(t.shopId, t.platformOrderId),
    // Keyset pages of the list: newest first within a shop and status.
    index("orders_list_idx").on(t.shopId, t.status, t.placedAt.desc(), t.id.desc()),
    index("orders_shop_placed_idx").on(t.shopId, t.placedAt.desc(), t.id.desc()),
    // The list's other sorts (app/core/order-sort.ts): the same key expressions, read forwards or backwards.
    index("orders_list_number_idx").on(t.shopId, t.status, sql`(lpad(${t.number}, 40) collate "C")`, t.id),
    index("orders_list_country_idx").on(t.shopId, t.status, sql`coalesce(${t.shipCountry}, '')`, t.id),
    index("orders_list_weight_idx").on(t.shopId, t.status, t.weightGrams, t.id),
    index("orders_shop_email_idx").on(t.shopId, t.email),
    index("orders_shop_customer_idx").on(t.shopId, t.platformCustomerId),
    // The list's search box matches anywhere in number/name/e-mail/postcode: trigram index (pg_trgm).
    index("orders_search_trgm_idx").using("gin", sql`${t.searchText} gin_trgm_ops`),
  ],
);

export const activity = pgTable(
  "activity",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    shopId: bigint("shop_id", { mode: "number" })
      .notNull()
      .references(() => shops.id, { onDelete: "cascade" }),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    kind: text("kind", { enum: ACTIVITY_KINDS }).notNull(),
    /** webhook | sync | merchant | cli | system */
    source: text("source").notNull(),
    result: text("result", { enum: ACTIVITY_RESULTS }).notNull(),
    summary: text("summary").notNull(),
    orderNumber: text("order_number"),
    reason: text("reason"),
    durationMs: integer("duration_ms"),
    details: jsonb("details"),
  },
  (t) => [
    index("activity_shop_at_idx").on(t.shopId, t.at.desc(), t.id.desc()),
    index("activity_shop_id_idx").on(t.shopId, t.id.desc()),
    // The order page's timeline: one order's rows of the shop.
    index("activity_shop_order_idx").on(t.shopId, t.orderNumber),
    // …and the rows about several orders at once, which list them in details.numbers (bulk remove / restore).
    index("activity_numbers_idx").using("gin", sql`(${t.details} -> 'numbers')`).where(sql`${t.orderNumber} is null`),
  ],
);

/** customers/data_request: what was asked and what Koppel holds for that customer. */
export const privacyRequests = pgTable("privacy_requests", {
  id: bigserial("id", { mode: "number" }).primaryKey(),
  shopDomain: text("shop_domain").notNull(),
  platform: text("platform", { enum: PLATFORMS }).notNull(),
  topic: text("topic").notNull(),
  customerEmail: text("customer_email"),
  customerId: text("customer_id"),
  ordersRequested: jsonb("orders_requested").$type<string[]>(),
  findings: jsonb("findings"),
  receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
  completedAt: timestamp("completed_at", { withTimezone: true }),
});

// ---------------------------------------------------------------------------------------------------------------
// Labels: carrier connection, label requests (intent, persisted before the carrier is called), shipments, batches.

export const carrierConnections = pgTable(
  "carrier_connections",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    shopId: bigint("shop_id", { mode: "number" })
      .notNull()
      .references(() => shops.id, { onDelete: "cascade" }),
    carrier: text("carrier", { enum: CARRIERS }).notNull(),
    environment: text("environment", { enum: CARRIER_ENVIRONMENTS }).notNull(),
    clientId: text("client_id").notNull(),
    /** AES-256-GCM envelope; never sent to the browser. */
    clientSecretEncrypted: text("client_secret_encrypted").notNull(),
    /** Last 4 characters of the secret, to show "••••abcd". */
    clientSecretLast4: text("client_secret_last4").notNull(),
    services: jsonb("services").$type<{ code: string; description: string; distributor: string | null }[]>().notNull().default([]),
    defaultService: text("default_service"),
    defaultPackageType: text("default_package_type").notNull().default("package"),
    /** The account in use (carrier_accounts): new label requests are bought with it. */
    accountId: bigint("account_id", { mode: "number" }).references(() => carrierAccounts.id, { onDelete: "set null" }),
    connectedAt: timestamp("connected_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("carrier_connections_shop_uq").on(t.shopId)],
);

/**
 * Every carrier account a shop has connected (carrier, environment, credentials), kept after the shop connects another:
 * a label is downloaded, tracked and reconciled with the account it was bought with. carrier_connections points at the
 * one in use.
 */
export const carrierAccounts = pgTable(
  "carrier_accounts",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    shopId: bigint("shop_id", { mode: "number" })
      .notNull()
      .references(() => shops.id, { onDelete: "cascade" }),
    carrier: text("carrier", { enum: CARRIERS }).notNull(),
    environment: text("environment", { enum: CARRIER_ENVIRONMENTS }).notNull(),
    clientId: text("client_id").notNull(),
    /** AES-256-GCM envelope; never sent to the browser. */
    clientSecretEncrypted: text("client_secret_encrypted").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    /**
     * SHA-256 (hex) of the unguessable token in the label-update webhook address Koppel registered for this account
     * (POST /webhooks): the address names the account, its HMAC is checked with the account's credentials.
     */
    parcelWebhookTokenHash: text("parcel_webhook_token_hash"),
    parcelWebhookRegisteredAt: timestamp("parcel_webhook_registered_at", { withTimezone: true }),
    /** Why the last registration failed (the carrier's words); the poll covers the account meanwhile. */
    parcelWebhookError: text("parcel_webhook_error"),
  },
  (t) => [
    uniqueIndex("carrier_accounts_shop_account_uq").on(t.shopId, t.carrier, t.environment, t.clientId),
    uniqueIndex("carrier_accounts_parcel_webhook_uq").on(t.parcelWebhookTokenHash),
  ],
);

export const labelBatches = pgTable(
  "label_batches",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    shopId: bigint("shop_id", { mode: "number" })
      .notNull()
      .references(() => shops.id, { onDelete: "cascade" }),
    total: integer("total").notNull(),
    /** The dialog's one choice for all orders, or "by rules" (each request then holds its order's own). */
    options: jsonb("options").$type<{ service: string; colli: number; packageType: string } | { byRules: true }>().notNull(),
    source: text("source").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("label_batches_shop_created_idx").on(t.shopId, t.createdAt.desc())],
);

export const labelRequests = pgTable(
  "label_requests",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    shopId: bigint("shop_id", { mode: "number" })
      .notNull()
      .references(() => shops.id, { onDelete: "cascade" }),
    orderId: bigint("order_id", { mode: "number" })
      .notNull()
      .references(() => orders.id, { onDelete: "cascade" }),
    batchId: bigint("batch_id", { mode: "number" }).references(() => labelBatches.id, { onDelete: "set null" }),
    /** Sent to the carrier with the shipment; the same key never buys a second label. */
    idempotencyKey: text("idempotency_key").notNull(),
    carrier: text("carrier", { enum: CARRIERS }).notNull(),
    environment: text("environment", { enum: CARRIER_ENVIRONMENTS }).notNull(),
    /** The carrier account the request was made for: it is bought with exactly that one. */
    carrierAccountId: bigint("carrier_account_id", { mode: "number" }).references(() => carrierAccounts.id, { onDelete: "set null" }),
    service: text("service").notNull(),
    colli: integer("colli").notNull(),
    packageType: text("package_type").notNull(),
    /** Each parcel's size when a shipping rule set one (cm), sent with the shipment. */
    dimensions: jsonb("dimensions").$type<ParcelDimensions>(),
    state: text("state", { enum: LABEL_REQUEST_STATES }).notNull().default("queued"),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp("sent_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("label_requests_key_uq").on(t.idempotencyKey),
    // At most one live request per order: a double click or a second tab joins the first one.
    uniqueIndex("label_requests_one_live_per_order_uq")
      .on(t.orderId)
      .where(sql`state in ('queued', 'sending', 'created')`),
    index("label_requests_batch_idx").on(t.batchId),
    index("label_requests_shop_state_idx").on(t.shopId, t.state),
  ],
);

export const shipments = pgTable(
  "shipments",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    shopId: bigint("shop_id", { mode: "number" })
      .notNull()
      .references(() => shops.id, { onDelete: "cascade" }),
    orderId: bigint("order_id", { mode: "number" })
      .notNull()
      .references(() => orders.id, { onDelete: "cascade" }),
    labelRequestId: bigint("label_request_id", { mode: "number" })
      .notNull()
      .references(() => labelRequests.id, { onDelete: "cascade" }),
    carrier: text("carrier", { enum: CARRIERS }).notNull(),
    environment: text("environment", { enum: CARRIER_ENVIRONMENTS }).notNull(),
    /** The carrier account it was bought with: its PDFs and tracking come from there, whatever the shop uses now. */
    carrierAccountId: bigint("carrier_account_id", { mode: "number" }).references(() => carrierAccounts.id, { onDelete: "set null" }),
    carrierShipmentId: text("carrier_shipment_id").notNull(),
    sequence: text("sequence"),
    service: text("service").notNull(),
    colli: integer("colli").notNull(),
    packageType: text("package_type").notNull(),
    labels: jsonb("labels").$type<{ id: string; waybill: string; trackingUrl: string }[]>().notNull(),
    trackingNumber: text("tracking_number").notNull(),
    trackingUrl: text("tracking_url").notNull(),
    trackingCompany: text("tracking_company").notNull(),
    status: text("status").notNull().default("created"),
    /** The carrier's reply, as received. */
    raw: jsonb("raw"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    writebackState: text("writeback_state", { enum: WRITEBACK_STATES }).notNull().default("pending"),
    writebackAttempts: integer("writeback_attempts").notNull().default(0),
    writebackError: text("writeback_error"),
    writtenBackAt: timestamp("written_back_at", { withTimezone: true }),
    platformFulfillmentIds: jsonb("platform_fulfillment_ids").$type<string[]>(),
    /** Koppel's own track & trace e-mail (MAIL_STATES); shipments from before it, or of shops with it off: not_needed. */
    mailState: text("mail_state", { enum: MAIL_STATES }).notNull().default("not_needed"),
    mailAttempts: integer("mail_attempts").notNull().default(0),
    mailError: text("mail_error"),
    /** The Message-ID the e-mail is sent with: derived from the shipment, the same on every attempt. */
    mailMessageId: text("mail_message_id"),
    /** Committed before the SMTP call ("sending"): a job finding it set without mailed_at does not send again. */
    mailSendingAt: timestamp("mail_sending_at", { withTimezone: true }),
    mailedAt: timestamp("mailed_at", { withTimezone: true }),
    /** Where it went (the order's e-mail at the time). */
    mailedTo: text("mailed_to"),
    /** Where the parcel is (PARCEL_STATUSES), from the carrier's webhooks or Koppel's poll; "created" until a scan. */
    parcelStatus: text("parcel_status", { enum: PARCEL_STATUSES }).$type<ParcelStatus>().notNull().default("created"),
    /** When the carrier says the current status began (the label's creation for "created"). */
    parcelStatusAt: timestamp("parcel_status_at", { withTimezone: true }),
    /** The carrier's own status and text of the current status (Boekuwzending: in_transit, "Zending is onderweg"). */
    parcelCarrierStatus: text("parcel_carrier_status"),
    parcelDescription: text("parcel_description"),
    /** The carrier says nothing more will happen (delivered, return delivered, cancelled): no more polling. */
    parcelFinal: boolean("parcel_final").notNull().default(false),
    /** The last time anything came from the carrier about this parcel (webhook or poll): the poll skips fresh ones. */
    parcelUpdatedAt: timestamp("parcel_updated_at", { withTimezone: true }),
    parcelPolledAt: timestamp("parcel_polled_at", { withTimezone: true }),
  },
  (t) => [
    // The poll's pick: open parcels, least recently heard of first.
    index("shipments_parcel_open_idx").on(t.parcelFinal, t.parcelPolledAt),
    uniqueIndex("shipments_label_request_uq").on(t.labelRequestId),
    uniqueIndex("shipments_carrier_shipment_uq").on(t.carrier, t.carrierShipmentId),
    index("shipments_shop_created_idx").on(t.shopId, t.createdAt.desc(), t.id.desc()),
    index("shipments_order_idx").on(t.orderId),
  ],
);

/**
 * Koppel's own track & trace e-mail per shop (off by default): the merchant's SMTP server and sender. The password is an
 * AES-256-GCM envelope (app/crypto.server.ts), never sent to the browser.
 */
export const shopMailSettings = pgTable(
  "shop_mail_settings",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    shopId: bigint("shop_id", { mode: "number" })
      .notNull()
      .references(() => shops.id, { onDelete: "cascade" }),
    enabled: boolean("enabled").notNull().default(false),
    host: text("host").notNull(),
    port: integer("port").notNull(),
    security: text("security", { enum: SMTP_SECURITY }).notNull().default("starttls"),
    username: text("username"),
    passwordEncrypted: text("password_encrypted"),
    fromName: text("from_name").notNull(),
    fromEmail: text("from_email").notNull(),
    /** The e-mail's language: the shop's customers' (nl | en). */
    locale: text("locale").notNull().default("nl"),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("shop_mail_settings_shop_uq").on(t.shopId)],
);

/**
 * A Mijnwebwinkel shop's choice of its store's order statuses (ids from GET /v1/orderstatuses, per store): which are
 * "to ship" (the poll lists them) and which one Koppel's write-back sets; null = the name-based defaults
 * (app/platforms/mijnwebwinkel/order-schema.ts statusPolicy). "Alleen betaalde bestellingen": payments checked.
 */
export const mijnwebwinkelSettings = pgTable(
  "mijnwebwinkel_settings",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    shopId: bigint("shop_id", { mode: "number" })
      .notNull()
      .references(() => shops.id, { onDelete: "cascade" }),
    toShipStatuses: integer("to_ship_statuses").array(),
    shippedStatus: integer("shipped_status"),
    onlyPaid: boolean("only_paid").notNull().default(true),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("mijnwebwinkel_settings_shop_uq").on(t.shopId)],
);

/**
 * What the Mijnwebwinkel poll remembers of a store's orders (app/platforms/mijnwebwinkel/order-memory.server.ts), so a
 * restart forgets nothing: `seen_at` is when it first saw the order as it is now (`fingerprint`, a SHA-256 of what it
 * read; the API has no modification time, so this is the order's updatedAt, and an order that cannot be read is logged
 * once until it changes), `open` whether it was in a to-ship status and not archived, `financial` its payments' answer:
 * paid or refunded is never asked again, unpaid ("pending") again at `payment_check_at`, backing off with
 * `payment_checks`. No customer data: an order number and a hash.
 */
export const mijnwebwinkelOrders = pgTable(
  "mijnwebwinkel_orders",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    shopId: bigint("shop_id", { mode: "number" })
      .notNull()
      .references(() => shops.id, { onDelete: "cascade" }),
    /** The order number's digits ("1005"); an order without a readable number: "?" + its fingerprint. */
    number: text("number").notNull(),
    fingerprint: text("fingerprint").notNull(),
    seenAt: timestamp("seen_at", { withTimezone: true }).notNull(),
    open: boolean("open").notNull().default(false),
    financial: text("financial"),
    paymentChecks: integer("payment_checks").notNull().default(0),
    paymentCheckAt: timestamp("payment_check_at", { withTimezone: true }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("mijnwebwinkel_orders_shop_number_uq").on(t.shopId, t.number), index("mijnwebwinkel_orders_payment_due_idx").on(t.shopId, t.paymentCheckAt)],
);

/**
 * Failed sign-in / connect attempts per key (a SHA-256 of what is limited: scope, client address, shop), in a fixed
 * window from the first failure (app/attempt-limit.server.ts). In PostgreSQL so every server process counts the same.
 */
export const attemptLimits = pgTable(
  "attempt_limits",
  {
    key: text("key").primaryKey(),
    failures: integer("failures").notNull(),
    windowStartedAt: timestamp("window_started_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("attempt_limits_window_idx").on(t.windowStartedAt)],
);

/** A parcel's history: each status the carrier reported, once (dedupe on shipment, label, carrier status and time). */
export const parcelEvents = pgTable(
  "parcel_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    shopId: bigint("shop_id", { mode: "number" })
      .notNull()
      .references(() => shops.id, { onDelete: "cascade" }),
    shipmentId: bigint("shipment_id", { mode: "number" })
      .notNull()
      .references(() => shipments.id, { onDelete: "cascade" }),
    /** The carrier's label (collo) it is about; "" when the carrier did not say. */
    labelId: text("label_id").notNull().default(""),
    status: text("status", { enum: PARCEL_STATUSES }).$type<ParcelStatus>().notNull(),
    carrierStatus: text("carrier_status").notNull(),
    carrierCode: text("carrier_code"),
    description: text("description"),
    occurredAt: timestamp("occurred_at", { withTimezone: true }).notNull(),
    source: text("source", { enum: PARCEL_EVENT_SOURCES }).notNull(),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("parcel_events_dedupe_uq").on(t.shipmentId, t.labelId, t.carrierStatus, t.occurredAt),
    index("parcel_events_shipment_idx").on(t.shipmentId, t.occurredAt),
  ],
);

/** Carrier webhooks as received (label-update), stored before they are answered; unique per carrier event id. */
export const carrierWebhooks = pgTable(
  "carrier_webhooks",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    carrier: text("carrier", { enum: CARRIERS }).notNull(),
    carrierAccountId: bigint("carrier_account_id", { mode: "number" })
      .notNull()
      .references(() => carrierAccounts.id, { onDelete: "cascade" }),
    shopId: bigint("shop_id", { mode: "number" })
      .notNull()
      .references(() => shops.id, { onDelete: "cascade" }),
    eventId: text("event_id").notNull(),
    event: text("event").notNull(),
    payload: jsonb("payload"),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
    processedAt: timestamp("processed_at", { withTimezone: true }),
    /** What processing found (no shipment with that label, …). */
    outcome: text("outcome"),
  },
  (t) => [
    uniqueIndex("carrier_webhooks_event_uq").on(t.carrier, t.carrierAccountId, t.eventId),
    // Updates that came before their shipment was stored, found by waybill when the label job stores it
    // (applyWaitingWebhooks, in every label job's transaction): only those rows, so the lookup stays small.
    index("carrier_webhooks_waiting_idx")
      .on(t.shopId, sql`coalesce(${t.payload}->>'waybill', ${t.payload}->'updates'->0->>'waybill')`)
      .where(sql`${t.outcome} = 'no_shipment'`),
  ],
);

/**
 * Shipping rules per shop ("Verzendregels", app/core/rules/): in `position` order, the first enabled one that matches
 * an order chooses its service, format and colli (or no label). Conditions and action are checked by app/core/rules/rule.ts.
 */
export const shippingRules = pgTable(
  "shipping_rules",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    shopId: bigint("shop_id", { mode: "number" })
      .notNull()
      .references(() => shops.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    name: text("name").notNull(),
    enabled: boolean("enabled").notNull().default(true),
    conditions: jsonb("conditions").$type<RuleConditions>().notNull().default({}),
    action: jsonb("action").$type<RuleAction>().notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("shipping_rules_shop_position_idx").on(t.shopId, t.position)],
);

export const schema = { sessions, shops, deliveries, orders, activity, privacyRequests, carrierAccounts, carrierConnections, labelBatches, labelRequests, shipments, shopMailSettings, mijnwebwinkelSettings, mijnwebwinkelOrders, attemptLimits, parcelEvents, carrierWebhooks, shippingRules };
