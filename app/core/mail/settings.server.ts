// A shop's track & trace e-mail settings ("Track & trace e-mail" in Instellingen): off by default; the merchant's SMTP
// server and sender. The password is stored as an AES-256-GCM envelope and never leaves the server: pages get a hint.
import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Db, DbOrTx } from "../../db/client.server";
import { shopMailSettings, shops } from "../../db/schema";
import { SMTP_SECURITY, type SmtpSecurity } from "../domain";
import { decryptSecret, encryptSecret } from "../../crypto.server";
import { logActivity } from "../activity.server";
import { t, parseLocale, type Locale } from "../../i18n";
import type { Mailer, MailResult, SmtpSettings } from "./ports";
import { sampleTrackingMail } from "./tracking-template";

export type MailSettingsView = {
  enabled: boolean;
  host: string;
  port: number;
  security: SmtpSecurity;
  username: string;
  /** "••••" when a password is stored, "" when none: the password itself never reaches a page. */
  passwordHint: string;
  fromName: string;
  fromEmail: string;
  locale: Locale;
};

/** The stored settings with the password decrypted: for the mail job and the test send only, never for a page. */
export type MailSettings = { enabled: boolean; smtp: SmtpSettings; from: { name: string; address: string }; locale: Locale };

export const DEFAULT_SMTP_PORT: Record<SmtpSecurity, number> = { none: 25, starttls: 587, tls: 465 };

export async function getMailSettingsView(db: Db, shopId: number): Promise<MailSettingsView | null> {
  const [m] = await db.select().from(shopMailSettings).where(eq(shopMailSettings.shopId, shopId));
  if (!m) return null;
  return {
    enabled: m.enabled,
    host: m.host,
    port: m.port,
    security: m.security,
    username: m.username ?? "",
    passwordHint: m.passwordEncrypted ? "••••" : "",
    fromName: m.fromName,
    fromEmail: m.fromEmail,
    locale: parseLocale(m.locale) ?? "nl",
  };
}

export async function loadMailSettings(db: DbOrTx, shopId: number, encryptionKey: string): Promise<MailSettings | null> {
  const [m] = await db.select().from(shopMailSettings).where(eq(shopMailSettings.shopId, shopId));
  if (!m) return null;
  return {
    enabled: m.enabled,
    smtp: {
      host: m.host,
      port: m.port,
      security: m.security,
      username: m.username,
      password: m.passwordEncrypted ? decryptSecret(m.passwordEncrypted, encryptionKey) : null,
    },
    from: { name: m.fromName, address: m.fromEmail },
    locale: parseLocale(m.locale) ?? "nl",
  };
}

/** Is Koppel's e-mail on for this shop (the core's whole decision: the shop's setting, whatever its platform)? */
export async function trackingMailEnabled(db: DbOrTx, shopId: number): Promise<boolean> {
  const [m] = await db.select({ enabled: shopMailSettings.enabled }).from(shopMailSettings).where(eq(shopMailSettings.shopId, shopId));
  return m?.enabled ?? false;
}

export type MailSettingsInput = {
  enabled: boolean;
  host: string;
  port: number;
  security: SmtpSecurity;
  username: string | null;
  /** null: keep the stored password; "" with a username cleared: none. */
  password: string | null;
  fromName: string;
  fromEmail: string;
  locale: Locale;
};

export type MailSettingsFormValues = Record<"enabled" | "host" | "port" | "security" | "username" | "fromName" | "fromEmail" | "locale", string>;
export type MailSettingsErrors = Partial<Record<keyof MailSettingsFormValues | "password", string>>;

/** The settings form (zod): messages in the merchant's language; the password field is never echoed back. */
export function parseMailSettingsForm(
  locale: Locale,
  form: Record<string, FormDataEntryValue | undefined>,
): { ok: true; value: MailSettingsInput } | { ok: false; errors: MailSettingsErrors; values: MailSettingsFormValues } {
  const str = (k: string) => (typeof form[k] === "string" ? (form[k] as string).trim() : "");
  const values: MailSettingsFormValues = {
    enabled: form.enabled === "on" || form.enabled === "true" ? "true" : "false",
    host: str("host"),
    port: str("port"),
    security: str("security") || "starttls",
    username: str("username"),
    fromName: str("fromName"),
    fromEmail: str("fromEmail"),
    locale: str("locale") || "nl",
  };
  const msg = (key: string) => t(locale, key);
  const schema = z.object({
    host: z
      .string()
      .min(1, msg("settings.mail.error.host"))
      .max(253, msg("settings.mail.error.host"))
      .regex(/^[A-Za-z0-9.-]+$|^\[?[0-9a-fA-F:.]+\]?$/, msg("settings.mail.error.host")),
    port: z.coerce.number(msg("settings.mail.error.port")).int(msg("settings.mail.error.port")).min(1, msg("settings.mail.error.port")).max(65535, msg("settings.mail.error.port")),
    security: z.enum(SMTP_SECURITY, msg("settings.mail.error.security")),
    username: z.string().max(320),
    fromName: z.string().min(1, msg("settings.mail.error.fromName")).max(100, msg("settings.mail.error.fromName")),
    fromEmail: z.email(msg("settings.mail.error.fromEmail")).max(320, msg("settings.mail.error.fromEmail")),
    locale: z.enum(["nl", "en"]),
  });
  const parsed = schema.safeParse({ ...values, port: values.port || String(DEFAULT_SMTP_PORT[values.security as SmtpSecurity] ?? "") });
  const password = typeof form.password === "string" && form.password.length > 0 ? form.password : null;
  if (password && password.length > 1000) return { ok: false, errors: { password: msg("settings.mail.error.password") }, values };
  if (!parsed.success) {
    const errors: MailSettingsErrors = {};
    for (const issue of parsed.error.issues) {
      const f = issue.path[0] as keyof MailSettingsErrors;
      errors[f] ??= issue.message;
    }
    return { ok: false, errors, values };
  }
  const d = parsed.data;
  return {
    ok: true,
    value: { enabled: values.enabled === "true", host: d.host, port: d.port, security: d.security, username: d.username || null, password, fromName: d.fromName, fromEmail: d.fromEmail, locale: d.locale },
  };
}

export async function saveMailSettings(db: Db, shopId: number, input: MailSettingsInput, encryptionKey: string): Promise<void> {
  // A new password replaces the stored one; none given keeps it, unless the username was cleared (no login at all).
  const password =
    input.password !== null ? { passwordEncrypted: encryptSecret(input.password, encryptionKey) } : input.username === null ? { passwordEncrypted: null } : {};
  const row = {
    enabled: input.enabled,
    host: input.host,
    port: input.port,
    security: input.security,
    username: input.username,
    fromName: input.fromName,
    fromEmail: input.fromEmail,
    locale: input.locale,
    updatedAt: new Date(),
  };
  await db.transaction(async (tx) => {
    await tx
      .insert(shopMailSettings)
      .values({ shopId, ...row, passwordEncrypted: input.password !== null ? password.passwordEncrypted : null })
      .onConflictDoUpdate({ target: shopMailSettings.shopId, set: { ...row, ...password } });
    await logActivity(tx, {
      shopId,
      kind: "settings",
      source: "merchant",
      result: "ok",
      summary: input.enabled ? "mail.settings_saved_on" : "mail.settings_saved_off",
      details: { host: input.host, port: input.port, security: input.security },
    });
  });
}

/** "Stuur test naar mezelf": the template with an example shipment, to the merchant's own from address. */
export async function sendTestMail(deps: { db: Db; mailer: Mailer; encryptionKey: string }, shopId: number): Promise<MailResult | { ok: false; reason: "not_configured" }> {
  const settings = await loadMailSettings(deps.db, shopId, deps.encryptionKey);
  if (!settings) return { ok: false, reason: "not_configured" };
  const [shop] = await deps.db.select({ name: shops.name, domain: shops.domain }).from(shops).where(eq(shops.id, shopId));
  const mail = sampleTrackingMail(settings.locale, shop?.name || shop?.domain || settings.from.name);
  const result = await deps.mailer.send(settings.smtp, {
    from: settings.from,
    to: settings.from.address,
    subject: `[Test] ${mail.subject}`,
    text: mail.text,
    html: mail.html,
    messageId: `<koppel-test-${shopId}-${Date.now()}@${domainOf(settings.from.address)}>`,
  });
  await logActivity(deps.db, {
    shopId,
    kind: "mail",
    source: "merchant",
    result: result.ok ? "ok" : "failed",
    summary: result.ok ? "mail.test_sent" : "mail.test_failed",
    reason: result.ok ? null : result.reason,
    details: { to: settings.from.address },
  });
  return result;
}

export function domainOf(address: string): string {
  const at = address.lastIndexOf("@");
  const d = at >= 0 ? address.slice(at + 1) : "";
  return /^[A-Za-z0-9.-]+$/.test(d) ? d : "koppel.invalid";
}
