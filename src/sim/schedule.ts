/**
 * Calling windows in a time zone: the days and hours a campaign may dial (Asisso's
 * schedule_config slots, Sarvam's allowed_schedule). Times are local to the zone, so a window
 * follows its daylight-saving changes.
 */
export interface CallingWindow {
  /** IANA time zone, e.g. `Asia/Kolkata`. */
  timezone: string;
  /** Local slots; `day` 0 = Monday … 6 = Sunday (Dograh's day_of_week); `HH:MM`, end after start. */
  slots: ReadonlyArray<{ day: number; start: string; end: string }>;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timezone: string): Intl.DateTimeFormat {
  let format = formatters.get(timezone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      weekday: 'short',
    });
    formatters.set(timezone, format);
  }
  return format;
}

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** The local calendar date, weekday (0 = Monday) and minute of day of an instant in a zone. */
export function localTime(ms: number, timezone: string): { year: number; month: number; day: number; weekday: number; minute: number } {
  const parts: Record<string, string> = {};
  for (const part of formatter(timezone).formatToParts(ms)) parts[part.type] = part.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    weekday: WEEKDAYS.indexOf(parts.weekday as string),
    minute: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

/** The instant at which the local wall clock of `timezone` reads the given date and minute. */
function instantOf(year: number, month: number, day: number, minute: number, timezone: string): number {
  const wall = Date.UTC(year, month - 1, day, 0, minute);
  let guess = wall;
  // Two passes settle the zone offset, across a daylight-saving change too.
  for (let i = 0; i < 2; i++) {
    const local = localTime(guess, timezone);
    const seen = Date.UTC(local.year, local.month - 1, local.day, 0, local.minute);
    guess += wall - seen;
  }
  return guess;
}

const toMinute = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * The first stretch of open time at or after `ms`: from the instant it opens (or `ms`, if it is
 * open then) to the instant it closes. `undefined` if the window never opens (no slots). Searches
 * eight days ahead, enough for any weekly window.
 */
export function nextOpenSpan(window: CallingWindow, ms: number): { start: number; end: number } | undefined {
  if (window.slots.length === 0) return undefined;
  const here = localTime(ms, window.timezone);
  let best: { start: number; end: number } | undefined;
  for (let offset = 0; offset <= 7; offset++) {
    const date = new Date(Date.UTC(here.year, here.month - 1, here.day + offset));
    const weekday = (here.weekday + offset) % 7;
    for (const slot of window.slots) {
      if (slot.day !== weekday) continue;
      const [y, m, d] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
      const start = instantOf(y, m, d, toMinute(slot.start), window.timezone);
      const end = instantOf(y, m, d, toMinute(slot.end), window.timezone);
      if (end <= ms) continue;
      const span = { start: Math.max(start, ms), end };
      if (best === undefined || span.start < best.start) best = span;
    }
    // Slots of later days open later still: the earliest found so far is the answer.
    if (best !== undefined) return best;
  }
  return best;
}
