// The Mailer port on nodemailer: one connection per e-mail to the merchant's SMTP server (a shipment's e-mail is rare
// enough that pooling buys nothing), bounded by timeouts that end well inside the job's expiry (120 s).
// TLS modes: "tls" = TLS from the first byte (usually port 465); "starttls" = plain, then STARTTLS, which is required
// (a server that does not offer it fails, so a password never goes out in the clear); "none" = plain, no upgrade
// (a local relay on loopback or an internal network).
import nodemailer from "nodemailer";
import type { Mailer, MailMessage, MailResult, SmtpSettings } from "../core/mail/ports";

export const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000, dnsTimeout: 10_000 } as const;

type SmtpError = Error & { code?: string; originalCode?: string; responseCode?: number; command?: string; timeoutType?: string };

/** Failures before any connection existed: the message certainly did not go out. */
const NEVER_CONNECTED = new Set(["ECONNREFUSED", "ENOTFOUND", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN", "ECONNRESET_BEFORE"]);
const SETUP_TIMEOUTS = new Set(["CONNECT_TIMEOUT", "GREETING_TIMEOUT", "UPGRADE_TIMEOUT"]);

/** What a nodemailer error means for the job: retry, give up, or "may have been delivered" (never retried automatically). */
export function classifySmtpError(e: unknown): Extract<MailResult, { ok: false }> {
  const err = e as SmtpError;
  const reason = err?.message || String(e);
  if (err.responseCode) {
    // The server answered: 4xx is "try later", 5xx is "no" (a wrong login, a refused sender or recipient).
    return { ok: false, reason, retryable: err.responseCode < 500 && err.code !== "EAUTH", maybeDelivered: false };
  }
  switch (err.code) {
    case "EAUTH":
    case "ENOAUTH":
    case "EENVELOPE":
    case "ECONFIG":
    case "EMESSAGE":
      return { ok: false, reason, retryable: false, maybeDelivered: false };
    case "ETLS":
    case "EDNS":
    case "EPROTOCOL":
      return { ok: false, reason, retryable: true, maybeDelivered: false };
    case "ETIMEDOUT":
    case "ECONNECTION":
    case "ESOCKET": {
      const beforeSession = (err.originalCode && NEVER_CONNECTED.has(err.originalCode)) || (err.timeoutType && SETUP_TIMEOUTS.has(err.timeoutType));
      // A connection lost mid-session without a reply: the message may have been taken already.
      return { ok: false, reason, retryable: true, maybeDelivered: !beforeSession };
    }
    default:
      return { ok: false, reason, retryable: true, maybeDelivered: false };
  }
}

export function transportOptions(smtp: SmtpSettings) {
  return {
    host: smtp.host,
    port: smtp.port,
    secure: smtp.security === "tls",
    requireTLS: smtp.security === "starttls",
    ignoreTLS: smtp.security === "none",
    auth: smtp.username ? { user: smtp.username, pass: smtp.password ?? "" } : undefined,
    ...SMTP_TIMEOUTS,
    // One e-mail, one connection: nothing left open between jobs.
    pool: false,
  };
}

export function smtpMailer(): Mailer {
  return {
    async send(smtp: SmtpSettings, message: MailMessage): Promise<MailResult> {
      const transport = nodemailer.createTransport(transportOptions(smtp));
      try {
        const info = await transport.sendMail({
          from: { name: message.from.name, address: message.from.address },
          to: message.to,
          subject: message.subject,
          text: message.text,
          html: message.html,
          messageId: message.messageId,
          headers: message.headers,
          // Never read a file or URL named in the message (the content is ours, but be strict).
          disableFileAccess: true,
          disableUrlAccess: true,
        });
        if (info.rejected?.length) return { ok: false, reason: `rejected: ${info.rejected.join(", ")} ${info.response ?? ""}`.trim(), retryable: false, maybeDelivered: false };
        return { ok: true, messageId: info.messageId ?? message.messageId, response: info.response ?? "" };
      } catch (e) {
        return classifySmtpError(e);
      } finally {
        transport.close();
      }
    },
  };
}
