/**
 * The two date spellings SigV4 accepts: ISO 8601 basic (`20150830T123600Z`, X-Amz-Date) and, for the
 * header form only, an HTTP Date header (IMF-fixdate, or itself in ISO 8601 basic format). Parsing is
 * strict: a date that does not round-trip (month 13, 31 February, a leap second) is rejected.
 */

const BASIC_FORMAT = /^\d{8}T\d{6}Z$/;
const IMF_FIXDATE = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\d{2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function utcDate(year: number, month: number, day: number, hour: number, minute: number, second: number): Date | undefined {
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  const roundTrips =
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day &&
    date.getUTCHours() === hour && date.getUTCMinutes() === minute && date.getUTCSeconds() === second;
  return roundTrips ? date : undefined;
}

/** The number written by the ASCII digits text[from..to); the caller has checked they are digits. */
function digits(text: string, from: number, to: number): number {
  let value = 0;
  for (let index = from; index < to; index++) value = value * 10 + text.charCodeAt(index) - 0x30;
  return value;
}

export function parseAmzDate(text: string): Date | undefined {
  // The regex validates; the fields are then read in place (no match array to slice and map: this
  // runs on every signed request).
  if (!BASIC_FORMAT.test(text)) return undefined;
  return utcDate(digits(text, 0, 4), digits(text, 4, 6), digits(text, 6, 8), digits(text, 9, 11), digits(text, 11, 13), digits(text, 13, 15));
}

export function parseHttpDate(text: string): Date | undefined {
  const match = IMF_FIXDATE.exec(text);
  if (!match) return parseAmzDate(text);
  const [, day, monthName, year, hour, minute, second] = match as unknown as [string, string, string, string, string, string, string];
  return utcDate(Number(year), MONTHS.indexOf(monthName) + 1, Number(day), Number(hour), Number(minute), Number(second));
}

function pad2(value: number): string {
  return value < 10 ? '0' + value : String(value);
}

function pad4(value: number): string {
  return value < 1000 ? String(value).padStart(4, '0') : String(value);
}

/**
 * toISOString's spelling without the milliseconds. Years 0..9999 are written by hand (toISOString
 * plus regexes cost more than the rest of a request's date handling); anything else (an expanded
 * ±YYYYYY year, an invalid date's RangeError) is left to toISOString itself, so the output and the
 * errors are exactly toISOString's.
 */
function formatWholeSeconds(date: Date, dateSeparator: string, timeSeparator: string): string {
  if (!hasFourDigitYear(date)) {
    const iso = date.toISOString().replace(/\.\d{3}Z$/, 'Z');
    return dateSeparator === '-' ? iso : iso.replace(/[-:]/g, '');
  }
  return (
    isoDay(date, dateSeparator) + 'T' +
    pad2(date.getUTCHours()) + timeSeparator + pad2(date.getUTCMinutes()) + timeSeparator + pad2(date.getUTCSeconds()) + 'Z'
  );
}

function hasFourDigitYear(date: Date): boolean {
  const year = date.getUTCFullYear();
  return year >= 0 && year <= 9999;
}

function isoDay(date: Date, separator: string): string {
  return pad4(date.getUTCFullYear()) + separator + pad2(date.getUTCMonth() + 1) + separator + pad2(date.getUTCDate());
}

/** `20150830T123600Z`; sub-second precision is dropped, as in every SigV4 timestamp. */
export function formatAmzDate(date: Date): string {
  return formatWholeSeconds(date, '', '');
}

/** `20150830`, the date part of formatAmzDate (a credential scope's date). */
export function formatAmzDay(date: Date): string {
  return hasFourDigitYear(date) ? isoDay(date, '') : formatAmzDate(date).slice(0, 8);
}

/** `2015-08-30T12:36:00Z`, the spelling S3 uses for ServerTime and Expires. */
export function formatIsoSeconds(date: Date): string {
  return formatWholeSeconds(date, '-', ':');
}
