// The track & trace e-mail's template (nl/en) and how an SMTP failure is read (retry, give up, "may have gone out").
import { describe, expect, it } from "vitest";
import { renderTrackingMail, sampleTrackingMail } from "../../app/core/mail/tracking-template";
import { parseMailSettingsForm } from "../../app/core/mail/settings.server";
import { classifySmtpError, transportOptions } from "../../app/mail/smtp.server";

const input = {
  shopName: "De Fietsenwinkel",
  customerName: "Sanne de Vries",
  orderNumber: "#1042",
  carrierName: "PostNL",
  trackingNumber: "3SKOPL1234567",
  trackingUrl: "https://jouw.postnl.nl/track-and-trace/3SKOPL1234567-NL-3511ED",
};

describe("tracking mail template", () => {
  it("Dutch: subject, greeting, order number, carrier, link and code in text and HTML", () => {
    const m = renderTrackingMail({ ...input, locale: "nl" });
    expect(m.subject).toBe("Je bestelling #1042 is onderweg");
    expect(m.text).toContain("Hallo Sanne de Vries,");
    expect(m.text).toContain("je bestelling #1042 bij De Fietsenwinkel is verzonden met PostNL");
    expect(m.text).toContain(input.trackingUrl);
    expect(m.text).toContain("Track & trace-code: 3SKOPL1234567");
    expect(m.html).toContain(`href="${input.trackingUrl}"`);
    expect(m.html).toContain('lang="nl"');
    expect(m.html).toContain("De Fietsenwinkel");
  });

  it("English", () => {
    const m = renderTrackingMail({ ...input, locale: "en", customerName: null });
    expect(m.subject).toBe("Your order #1042 is on its way");
    expect(m.text.startsWith("Hello,\n")).toBe(true);
    expect(m.text).toContain("has been shipped with PostNL");
    expect(m.text).toContain("Tracking code: 3SKOPL1234567");
    expect(m.html).toContain("Track your parcel");
  });

  it("escapes HTML and links only http(s)", () => {
    const m = renderTrackingMail({ ...input, locale: "nl", shopName: "<b>Shop</b> & co", trackingUrl: "javascript:alert(1)" });
    expect(m.html).toContain("&lt;b&gt;Shop&lt;/b&gt; &amp; co");
    expect(m.html).not.toContain("href=\"javascript");
  });

  it("the preview uses the same template with an example", () => {
    expect(sampleTrackingMail("nl", "Winkel").subject).toBe("Je bestelling #1001 is onderweg");
    expect(sampleTrackingMail("en", "Shop").text).toContain("https://jouw.postnl.nl/track-and-trace/");
  });
});

describe("SMTP settings form and transport", () => {
  it("validates in the merchant's language; the default port follows the security mode", () => {
    const bad = parseMailSettingsForm("nl", { host: "", port: "99999", security: "tls", fromName: "", fromEmail: "nope" });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(Object.keys(bad.errors).sort()).toEqual(["fromEmail", "fromName", "host", "port"]);
    const ok = parseMailSettingsForm("en", { enabled: "true", host: "smtp.example.nl", port: "", security: "tls", username: "u", password: "p", fromName: "W", fromEmail: "w@example.nl", locale: "en" });
    expect(ok).toMatchObject({ ok: true, value: { enabled: true, port: 465, security: "tls", password: "p", locale: "en" } });
    const keep = parseMailSettingsForm("nl", { host: "smtp.example.nl", port: "587", security: "starttls", username: "u", password: "", fromName: "W", fromEmail: "w@example.nl" });
    expect(keep).toMatchObject({ ok: true, value: { enabled: false, password: null } });
  });

  it("TLS modes map to nodemailer: tls = secure, starttls = required, none = no upgrade", () => {
    const base = { host: "h", port: 1, username: null, password: null };
    expect(transportOptions({ ...base, security: "tls" })).toMatchObject({ secure: true, requireTLS: false, ignoreTLS: false, auth: undefined });
    expect(transportOptions({ ...base, security: "starttls" })).toMatchObject({ secure: false, requireTLS: true, ignoreTLS: false });
    expect(transportOptions({ ...base, security: "none" })).toMatchObject({ secure: false, requireTLS: false, ignoreTLS: true });
  });

  it("reads SMTP failures: a refused login gives up, a refused connection retries, a lost session may have delivered", () => {
    const err = (props: Record<string, unknown>) => Object.assign(new Error("x"), props);
    expect(classifySmtpError(err({ code: "EAUTH", responseCode: 535 }))).toMatchObject({ retryable: false, maybeDelivered: false });
    expect(classifySmtpError(err({ code: "EENVELOPE", responseCode: 451 }))).toMatchObject({ retryable: true, maybeDelivered: false });
    expect(classifySmtpError(err({ code: "EMESSAGE", responseCode: 554 }))).toMatchObject({ retryable: false, maybeDelivered: false });
    expect(classifySmtpError(err({ code: "ECONNECTION", originalCode: "ECONNREFUSED" }))).toMatchObject({ retryable: true, maybeDelivered: false });
    expect(classifySmtpError(err({ code: "ETIMEDOUT", timeoutType: "CONNECT_TIMEOUT" }))).toMatchObject({ retryable: true, maybeDelivered: false });
    expect(classifySmtpError(err({ code: "ETIMEDOUT", timeoutType: "SOCKET_TIMEOUT" }))).toMatchObject({ maybeDelivered: true });
  });
});
