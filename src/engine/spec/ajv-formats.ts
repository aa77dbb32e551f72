import type { FormatDefinition } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FormatsPlugin } from 'ajv-formats';
import { fullFormats } from 'ajv-formats/dist/formats.js';

/** ajv-formats' plugin. It is CommonJS with `exports.default`; under NodeNext its default import is the module. */
const addFormatsPlugin = ((addFormatsModule as unknown as { default?: FormatsPlugin }).default ?? addFormatsModule) as FormatsPlugin;

/**
 * ajv-formats' formats, with `date-time` checked by isDateTime. Every timestamp of every answer is
 * checked against its spec, and ajv-formats' check splits the text and runs two regular
 * expressions that each build a match: a list page of twenty rows built hundreds of small objects
 * for its timestamps alone. Its comparison (for `formatMinimum` and the like) is kept.
 */
export function addFormats(ajv: Ajv): Ajv {
  addFormatsPlugin(ajv);
  return ajv.addFormat('date-time', { ...(fullFormats['date-time'] as FormatDefinition<string>), type: 'string', validate: isDateTime });
}

type Ajv = Parameters<FormatsPlugin>[0];

/** The shape of an RFC 3339 date-time: a date, `T` (either case) or one whitespace character, a time, an offset. */
const DATE_TIME = /^\d{4}-\d\d-\d\d[t\s]\d\d:\d\d:\d\d(?:\.\d+)?(?:z|[+-]\d\d(?::?\d\d)?)$/i;
const DAYS_IN_MONTH = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The two digits at `at` as a number. */
const twoDigits = (text: string, at: number): number => (text.charCodeAt(at) - 48) * 10 + (text.charCodeAt(at + 1) - 48);

/**
 * Whether the text is an RFC 3339 date-time, by the same rules as ajv-formats' `date-time` (its
 * full mode: a time zone is required): the month's days counted with leap years, and a leap
 * second only at 23:59 UTC. It reads the digits in place and allocates nothing.
 */
export function isDateTime(text: string): boolean {
  if (!DATE_TIME.test(text)) return false;
  const year = twoDigits(text, 0) * 100 + twoDigits(text, 2);
  const month = twoDigits(text, 5);
  const day = twoDigits(text, 8);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (month < 1 || month > 12 || day < 1 || day > (month === 2 && leap ? 29 : (DAYS_IN_MONTH[month] as number))) return false;
  const hour = twoDigits(text, 11);
  const minute = twoDigits(text, 14);
  const second = twoDigits(text, 17);
  // The offset follows the seconds and their fraction, if any.
  let at = 19;
  if (text.charCodeAt(at) === 46 /* . */) while (++at < text.length && text.charCodeAt(at) >= 48 && text.charCodeAt(at) <= 57);
  let offsetHours = 0;
  let offsetMinutes = 0;
  let sign = 1;
  const zone = text.charCodeAt(at);
  if (zone === 43 /* + */ || zone === 45 /* - */) {
    sign = zone === 45 ? -1 : 1;
    offsetHours = twoDigits(text, at + 1);
    const minutesAt = text.charCodeAt(at + 3) === 58 /* : */ ? at + 4 : at + 3;
    if (minutesAt < text.length) offsetMinutes = twoDigits(text, minutesAt);
  }
  if (offsetHours > 23 || offsetMinutes > 59) return false;
  if (hour <= 23 && minute <= 59 && second <= 59) return true;
  // A leap second: 23:59:60 in UTC.
  const utcMinute = minute - offsetMinutes * sign;
  const utcHour = hour - offsetHours * sign - (utcMinute < 0 ? 1 : 0);
  return (utcHour === 23 || utcHour === -1) && (utcMinute === 59 || utcMinute === -1) && second <= 60;
}
