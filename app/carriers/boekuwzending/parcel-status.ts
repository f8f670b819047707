// Boekuwzending's label statuses (docs /api/labels/) in Koppel's words, and its dates (an ISO string, or a PHP
// DateTime serialised as {date, timezone_type, timezone}: contract A, "In label webhooks").
import type { ParcelStatus } from "../../core/ports";

/** Carrier status → Koppel status, and whether nothing follows it. Unknown statuses are left out (kept raw). */
export const LABEL_STATUS_MAP: Readonly<Record<string, { status: ParcelStatus; final: boolean }>> = Object.freeze({
  created: { status: "created", final: false },
  scanned: { status: "scanned", final: false },
  in_transit: { status: "in_transit", final: false },
  at_customs: { status: "at_customs", final: false },
  delivered: { status: "delivered", final: true },
  at_pickup_point: { status: "at_pickup_point", final: false },
  picked_up: { status: "delivered", final: true },
  rejected: { status: "problem", final: false },
  return_in_transit: { status: "returned", final: false },
  return_delivered: { status: "returned", final: true },
  missing: { status: "problem", final: false },
  canceled: { status: "problem", final: true },
  cancelled: { status: "problem", final: true },
});

export function mapLabelStatus(carrierStatus: string): { status: ParcelStatus; final: boolean } | null {
  return LABEL_STATUS_MAP[carrierStatus.trim().toLowerCase()] ?? null;
}

/** Offset in minutes of an IANA zone at an instant (e.g. Europe/Amsterdam in winter: 60). */
function zoneOffsetMinutes(zone: string, at: Date): number | null {
  try {
    const name = new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "longOffset" }).formatToParts(at).find((p) => p.type === "timeZoneName")?.value;
    if (name === "GMT") return 0;
    const m = name?.match(/GMT([+-])(\d{2}):(\d{2})/);
    return m ? (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : null;
  } catch {
    return null;
  }
}

const PHP_ABBREVIATIONS: Record<string, number> = { UTC: 0, GMT: 0, Z: 0, CET: 60, CEST: 120, WET: 0, WEST: 60, BST: 60 };

/** A carrier date: ISO 8601 text, or PHP's DateTime object. Null when it cannot be read. */
export function parseCarrierDate(value: unknown): Date | null {
  if (typeof value === "string") {
    const d = new Date(value.includes("T") || /[zZ]|[+-]\d{2}:?\d{2}$/.test(value) ? value : `${value.replace(" ", "T")}Z`);
    return Number.isNaN(d.getTime()) ? null : d;
  }
  if (typeof value !== "object" || value === null) return null;
  const { date, timezone_type: type, timezone } = value as { date?: unknown; timezone_type?: unknown; timezone?: unknown };
  if (typeof date !== "string") return null;
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(\.\d+)?$/.exec(date.trim());
  if (!m) return null;
  const wall = new Date(`${m[1]}T${m[2]}${m[3] ? m[3].slice(0, 4) : ""}Z`);
  if (Number.isNaN(wall.getTime())) return null;
  const tz = typeof timezone === "string" ? timezone.trim() : "UTC";
  let offset: number | null;
  if (type === 1 || /^[+-]\d{2}:?\d{2}$/.test(tz)) {
    const o = /^([+-])(\d{2}):?(\d{2})$/.exec(tz);
    offset = o ? (o[1] === "-" ? -1 : 1) * (Number(o[2]) * 60 + Number(o[3])) : null;
  } else if (type === 2) offset = PHP_ABBREVIATIONS[tz.toUpperCase()] ?? null;
  else {
    // An IANA zone: the offset at that wall-clock time (taken at the guess; exact except within the DST switch hour).
    offset = zoneOffsetMinutes(tz, wall);
  }
  if (offset === null) return null;
  return new Date(wall.getTime() - offset * 60_000);
}
