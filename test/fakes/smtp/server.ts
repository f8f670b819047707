// A real SMTP server on loopback (smtp-server) that keeps every message it accepted, parsed (mailparser): for the
// track & trace e-mail tests and the demo's catcher. Plain connections (no TLS) with optional AUTH.
import { SMTPServer } from "smtp-server";
import { simpleParser, type ParsedMail } from "mailparser";
import type { AddressInfo } from "node:net";

export type CaughtMail = { envelope: { from: string; to: string[] }; parsed: ParsedMail; raw: string; user: string | null };

export async function startSmtpCatcher(opts: { users?: Record<string, string> } = {}) {
  const messages: CaughtMail[] = [];
  let refuseAuth = false;
  const authRequired = Boolean(opts.users);
  const server = new SMTPServer({
    secure: false,
    disabledCommands: ["STARTTLS"],
    authOptional: !authRequired,
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, cb) {
      if (refuseAuth || !opts.users || opts.users[auth.username ?? ""] !== auth.password) return cb(new Error("Invalid username or password"));
      cb(null, { user: auth.username });
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", async () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        messages.push({
          envelope: { from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "", to: session.envelope.rcptTo.map((r) => r.address) },
          parsed: await simpleParser(raw),
          raw,
          user: (session.user as string | undefined) ?? null,
        });
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    host: "127.0.0.1",
    port,
    messages,
    /** Make every login fail (as a wrong password would), or work again. */
    refuseLogins(on: boolean) {
      refuseAuth = on;
    },
    clear() {
      messages.length = 0;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
