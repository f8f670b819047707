export const gid = (type: string, id: number | string) => `gid://shopify/${type}/${id}`;

/** Numeric id from a GID of the given type, or null. */
export function parseGid(value: string, type: string): number | null {
  const m = new RegExp(`^gid://shopify/${type}/(\\d+)(?:\\?.*)?$`).exec(value);
  return m ? Number(m[1]) : null;
}

/** Shopify timestamps have second precision: "2026-11-01T10:00:00Z". */
export function isoSeconds(d: Date | string | number): string {
  const date = d instanceof Date ? d : new Date(d);
  if (Number.isNaN(date.getTime())) throw new Error(`invalid date: ${String(d)}`);
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** REST-style timestamp in the shop's time zone, as Shopify's webhooks send it: "2026-11-01T11:00:00+01:00". */
export function restTime(iso: string | null, timeZone = "Europe/Amsterdam"): string | null {
  if (!iso) return null;
  const date = new Date(iso);
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-GB", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    })
      .formatToParts(date)
      .map((p) => [p.type, p.value]),
  ) as Record<string, string>;
  const local = Date.UTC(+parts.year!, +parts.month! - 1, +parts.day!, +parts.hour!, +parts.minute!, +parts.second!);
  const offsetMin = Math.round((local - Math.floor(date.getTime() / 1000) * 1000) / 60000);
  const sign = offsetMin >= 0 ? "+" : "-";
  const abs = Math.abs(offsetMin);
  const off = `${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}${off}`;
}

export function json(body: unknown, init: { status?: number; headers?: Record<string, string> } = {}): Response {
  return new Response(JSON.stringify(body), {
    status: init.status ?? 200,
    headers: { "Content-Type": "application/json; charset=utf-8", ...(init.headers ?? {}) },
  });
}

/** A clock tests move by hand (no real sleeping). */
export class ManualClock {
  private t: number;
  constructor(start: Date | string | number = "2026-11-27T10:00:00Z") {
    this.t = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.t);
  }
  advance(ms: number): void {
    this.t += ms;
  }
  set(d: Date | string | number): void {
    this.t = new Date(d).getTime();
  }
}
