// The store's wall clock: order date/time and status_changed_date/time are Europe/Amsterdam local time (the shop's
// time zone; the spec gives no zone), payments carry ISO-8601 with the local offset ("2021-06-29T14:41:26+02:00").
const ZONE = "Europe/Amsterdam";
const FMT = new Intl.DateTimeFormat("en-CA", {
  timeZone: ZONE,
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hourCycle: "h23",
});

/** `{ date: "yyyy-mm-dd", time: "hh:mm:ss" }` in Amsterdam time. */
export function localParts(ms: number): { date: string; time: string } {
  const p: Record<string, string> = {};
  for (const part of FMT.formatToParts(new Date(ms))) p[part.type] = part.value;
  return { date: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}:${p.second}` };
}

/** "yyyy-mm-dd hh:mm:ss" in Amsterdam time: the form the status_changed_* filters use. */
export function localDateTime(ms: number): string {
  const { date, time } = localParts(ms);
  return `${date} ${time}`;
}

/** ISO-8601 with the Amsterdam offset, seconds precision. */
export function isoLocal(ms: number): string {
  const t = Math.floor(ms / 1000) * 1000;
  const { date, time } = localParts(t);
  const offsetMin = Math.round((Date.parse(`${date}T${time}Z`) - t) / 60_000);
  const sign = offsetMin < 0 ? "-" : "+";
  const abs = Math.abs(offsetMin);
  return `${date}T${time}${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/;

function realDate(date: string): boolean {
  const m = DATE.exec(date);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/** A `format: date` query value ("yyyy-mm-dd"), or null when it is not one. */
export function parseDateParam(raw: string): string | null {
  return realDate(raw) ? raw : null;
}

/**
 * A status_changed_* value: "yyyy-mm-dd hh:mm:ss" (the documented form; "T" accepted too) or a bare date, which
 * means 00:00:00 of that day (as MyOnlineStore's changelog says it converts bare dates). Returned as the
 * "yyyy-mm-dd hh:mm:ss" string, which compares correctly as text. Null when invalid.
 */
export function parseDateTimeParam(raw: string): string | null {
  if (realDate(raw)) return `${raw} 00:00:00`;
  const m = DATE_TIME.exec(raw);
  if (!m || !realDate(m[1]!)) return null;
  if (Number(m[2]) > 23 || Number(m[3]) > 59 || Number(m[4]) > 59) return null;
  return `${m[1]} ${m[2]}:${m[3]}:${m[4]}`;
}
