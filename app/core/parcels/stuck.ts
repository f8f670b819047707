// When a parcel counts as stuck ("problemen" in Zendingen): returned, a problem the carrier reported (rejected,
// missing, cancelled), or no scan two working days after its label was made. Pure.
import type { ParcelStatus } from "../domain";

/** Working days a label may wait for its first scan before it counts as stuck. */
export const STUCK_AFTER_WORKING_DAYS = 2;

/** Statuses that are a problem whatever their age. */
export const PROBLEM_STATUSES: readonly ParcelStatus[] = ["returned", "problem"];

/**
 * The instant `workingDays` working days before `now`: a label made before it and still "created" waited longer than
 * that. Working days are Monday–Friday that are not a Dutch public holiday on which PostNL and DHL do not collect or
 * deliver (dutchCarrierHoliday), by the calendar day in Amsterdam. Friday 10:00 → Wednesday 10:00; Monday 10:00 →
 * Thursday; Tuesday after Easter → the Thursday before Good Friday's weekend.
 */
export function workingDaysBefore(now: Date, workingDays: number = STUCK_AFTER_WORKING_DAYS): Date {
  const d = new Date(now.getTime());
  let left = workingDays;
  while (left > 0) {
    d.setUTCDate(d.getUTCDate() - 1);
    if (isWorkingDay(amsterdamDate(d))) left--;
  }
  return d;
}

type CalendarDay = { year: number; month: number; day: number; weekday: number };

function isWorkingDay(c: CalendarDay): boolean {
  return c.weekday !== 0 && c.weekday !== 6 && !dutchCarrierHoliday(c.year, c.month, c.day);
}

const AMSTERDAM_DAY = new Intl.DateTimeFormat("en-US", { timeZone: "Europe/Amsterdam", year: "numeric", month: "numeric", day: "numeric", weekday: "short" });
const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

function amsterdamDate(d: Date): CalendarDay {
  const parts = Object.fromEntries(AMSTERDAM_DAY.formatToParts(d).map((p) => [p.type, p.value]));
  return { year: Number(parts.year), month: Number(parts.month), day: Number(parts.day), weekday: WEEKDAYS.indexOf(parts.weekday!) };
}

/**
 * Dutch public holidays on which the parcel carriers neither collect nor deliver: New Year's Day, Easter Monday,
 * King's Day (27 April, the 26th when the 27th is a Sunday), Ascension Day, Whit Monday, Christmas Day and Boxing Day.
 * Good Friday and Liberation Day are ordinary working days for PostNL and DHL. `month` is 1–12.
 */
export function dutchCarrierHoliday(year: number, month: number, day: number): boolean {
  if ((month === 1 && day === 1) || (month === 12 && (day === 25 || day === 26))) return true;
  const kingsDay = new Date(Date.UTC(year, 3, 27)).getUTCDay() === 0 ? 26 : 27;
  if (month === 4 && day === kingsDay) return true;
  const easter = easterSunday(year);
  const offset = Math.round((Date.UTC(year, month - 1, day) - easter) / 86_400_000);
  return offset === 1 || offset === 39 || offset === 50; // Easter Monday, Ascension Day, Whit Monday
}

/** Easter Sunday (Gregorian, the anonymous "Meeus/Jones/Butcher" computus) as a UTC midnight timestamp. */
function easterSunday(year: number): number {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return Date.UTC(year, month - 1, day);
}

export function isStuck(s: { parcelStatus: ParcelStatus; createdAt: Date }, now: Date): boolean {
  if (PROBLEM_STATUSES.includes(s.parcelStatus)) return true;
  return s.parcelStatus === "created" && s.createdAt.getTime() < workingDaysBefore(now).getTime();
}
