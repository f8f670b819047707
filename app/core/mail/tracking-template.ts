// The track & trace e-mail Koppel sends the customer (and the merchant as a preview / test): Dutch or English, plain
// text plus simple HTML with the tracking link, the order number and the carrier. Pure: no database, no SMTP.
import type { Locale } from "../../i18n";

export type TrackingMailInput = {
  locale: Locale;
  shopName: string;
  customerName: string | null;
  orderNumber: string;
  carrierName: string;
  trackingNumber: string;
  trackingUrl: string;
};

export type RenderedMail = { subject: string; text: string; html: string };

const COPY = {
  nl: {
    subject: (i: TrackingMailInput) => `Je bestelling ${i.orderNumber} is onderweg`,
    greeting: (name: string | null) => (name ? `Hallo ${name},` : "Hallo,"),
    body: (i: TrackingMailInput) => `Goed nieuws: je bestelling ${i.orderNumber} bij ${i.shopName} is verzonden met ${i.carrierName}.`,
    follow: "Volg je pakket via deze link:",
    code: "Track & trace-code",
    button: "Volg je pakket",
    closing: (shop: string) => `Met vriendelijke groet,\n${shop}`,
  },
  en: {
    subject: (i: TrackingMailInput) => `Your order ${i.orderNumber} is on its way`,
    greeting: (name: string | null) => (name ? `Hello ${name},` : "Hello,"),
    body: (i: TrackingMailInput) => `Good news: your order ${i.orderNumber} from ${i.shopName} has been shipped with ${i.carrierName}.`,
    follow: "Track your parcel with this link:",
    code: "Tracking code",
    button: "Track your parcel",
    closing: (shop: string) => `Kind regards,\n${shop}`,
  },
} as const;

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** Only http(s) links go into the e-mail (a tracking URL is the carrier's; anything else is shown as text only). */
function safeUrl(url: string): string | null {
  try {
    const u = new URL(url);
    return u.protocol === "https:" || u.protocol === "http:" ? u.toString() : null;
  } catch {
    return null;
  }
}

export function renderTrackingMail(input: TrackingMailInput): RenderedMail {
  const c = COPY[input.locale] ?? COPY.nl;
  const firstName = input.customerName?.trim() || null;
  const url = safeUrl(input.trackingUrl);
  const text = [
    c.greeting(firstName),
    "",
    c.body(input),
    "",
    c.follow,
    url ?? input.trackingUrl,
    "",
    `${c.code}: ${input.trackingNumber}`,
    "",
    c.closing(input.shopName),
    "",
  ].join("\n");
  const e = escapeHtml;
  const html = `<!doctype html>
<html lang="${input.locale}"><head><meta charset="utf-8"><title>${e(c.subject(input))}</title></head>
<body style="font-family: -apple-system, Segoe UI, Roboto, Helvetica, Arial, sans-serif; color: #202223; line-height: 1.5;">
<p>${e(c.greeting(firstName))}</p>
<p>${e(c.body(input))}</p>
${url ? `<p><a href="${e(url)}" style="display: inline-block; padding: 10px 16px; background: #303030; color: #ffffff; border-radius: 8px; text-decoration: none;">${e(c.button)}</a></p>\n<p>${e(c.follow)}<br><a href="${e(url)}">${e(url)}</a></p>` : `<p>${e(c.follow)} ${e(input.trackingUrl)}</p>`}
<p>${e(c.code)}: <strong>${e(input.trackingNumber)}</strong></p>
<p>${e(c.closing(input.shopName)).replace("\n", "<br>")}</p>
</body></html>
`;
  return { subject: c.subject(input), text, html };
}

/** What the settings page previews and "Stuur test naar mezelf" sends: the same template with an example shipment. */
export function sampleTrackingMail(locale: Locale, shopName: string): RenderedMail {
  return renderTrackingMail({
    locale,
    shopName,
    customerName: locale === "nl" ? "Jan Jansen" : "Jane Doe",
    orderNumber: "#1001",
    carrierName: "PostNL",
    trackingNumber: "3SABCD0123456789",
    trackingUrl: "https://jouw.postnl.nl/track-and-trace/3SABCD0123456789-NL-3511ED",
  });
}
