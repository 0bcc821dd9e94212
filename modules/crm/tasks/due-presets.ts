import { TZDate } from "@date-fns/tz";
import { addBusinessDays, addDays, format, nextMonday, startOfDay } from "date-fns";
import { resolveTimeZone } from "@/lib/time";

export interface DuePreset {
  label: string;
  /** The due date as the date box takes it, YYYY-MM-DD. */
  date: string;
  /** The date as people read it, "Mon, Dec 14". */
  hint: string;
}

const preset = (label: string, d: Date): DuePreset => ({ label, date: format(d, "yyyy-MM-dd"), hint: format(d, "EEE, MMM d") });

/**
 * The due dates a task offers in one click, counted from today in the zone
 * its date and time are typed in: Today, Tomorrow, Next week (the coming
 * Monday) and, for `businessDays` from 1 on, that many weekdays ahead.
 */
export function dueDatePresets(timeZone: string, businessDays: number, now = new Date()) {
  // date-fns counts the days and weekdays of a TZDate in its zone.
  const today = startOfDay(new TZDate(now.getTime(), resolveTimeZone(timeZone)));
  return {
    fixed: [preset("Today", today), preset("Tomorrow", addDays(today, 1)), preset("Next week", nextMonday(today))],
    businessDays: Number.isInteger(businessDays) && businessDays >= 1 && businessDays <= MAX_BUSINESS_DAYS
      ? preset(`In ${businessDays} business ${businessDays === 1 ? "day" : "days"}`, addBusinessDays(today, businessDays))
      : null,
  };
}

/** A year of weekdays: further out, a date is typed. */
export const MAX_BUSINESS_DAYS = 260;
