/** Each segment of an IANA name starts with a capital (`Asia/Kolkata`, `Etc/GMT+5`). */
const IANA_NAME = /^[A-Z][A-Za-z0-9_+-]*(\/[A-Z][A-Za-z0-9_+-]*)+$/;

/**
 * The IANA zones (and backward links) named without an area. ICU also accepts Java's legacy
 * three-letter ids (`IST`, `PST`), which the IANA database, and so Python's zoneinfo, does not.
 */
const IANA_SINGLE_NAMES = new Set(
  'CET CST6CDT Cuba EET EST EST5EDT Egypt Eire GB GB-Eire GMT GMT+0 GMT-0 GMT0 Greenwich HST Hongkong Iceland Iran Israel Jamaica Japan Kwajalein Libya MET MST MST7MDT NZ NZ-CHAT Navajo PRC PST8PDT Poland Portugal ROC ROK Singapore Turkey UCT UTC Universal W-SU WET Zulu'.split(' '),
);

/**
 * Whether Python's `zoneinfo.ZoneInfo(name)` would load the zone, as the FastAPI vendors check
 * one. Intl knows the same tz database, aliases included, but matches names case-insensitively
 * and takes ICU's legacy ids, where zoneinfo reads files by their exact IANA name.
 *
 * @example
 * isIanaTimeZone('Asia/Kolkata'); // true
 * isIanaTimeZone('asia/kolkata'); // false
 * isIanaTimeZone('IST');          // false
 */
export function isIanaTimeZone(name: string): boolean {
  if (!IANA_SINGLE_NAMES.has(name) && (!IANA_NAME.test(name) || name.startsWith('SystemV/'))) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
