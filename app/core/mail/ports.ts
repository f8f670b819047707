// Koppel's own e-mail as the core sees it: a port. app/mail/smtp.server.ts implements it on nodemailer; the core never
// talks SMTP itself.
import type { SmtpSecurity } from "../domain";

/** The merchant's SMTP server, password decrypted (only ever in memory, on its way to the server). */
export type SmtpSettings = {
  host: string;
  port: number;
  security: SmtpSecurity;
  username: string | null;
  password: string | null;
};

export type MailMessage = {
  from: { name: string; address: string };
  to: string;
  subject: string;
  text: string;
  html: string;
  /** "<…@…>": the same for every attempt at one e-mail, so a receiving server or a person can spot a duplicate. */
  messageId: string;
  headers?: Record<string, string>;
};

export type MailFailure = {
  ok: false;
  reason: string;
  /** Worth trying again later (connection refused, timeout, 4xx); false for a refusal no retry changes (auth, 5xx). */
  retryable: boolean;
  /**
   * The server may have accepted the message anyway: the failure came after the message was handed over (the reply
   * to the end of DATA never arrived). Such a failure is never retried automatically.
   */
  maybeDelivered: boolean;
};

export type MailResult = { ok: true; messageId: string; response: string } | MailFailure;

export interface Mailer {
  send(smtp: SmtpSettings, message: MailMessage): Promise<MailResult>;
}
