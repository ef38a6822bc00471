// The pieces every template is built from: the greeting and signature, paragraphs and lists,
// and money, moments and durations in words. Pure functions of plain data.

export interface MessageContent {
  subject: string;
  text: string;
}

export const SIGNATURE = "The Allot program team";

export const greeting = (name?: string) => (name?.trim() ? `Dear ${name.trim()},` : "Hello,");

/** Paragraphs separated by one blank line, ending with a newline; empty entries are dropped. */
export const compose = (...paragraphs: Array<string | undefined | false>) =>
  `${paragraphs.filter((p): p is string => typeof p === "string" && p.length > 0).join("\n\n")}\n`;

export const bullets = (items: readonly string[]) => items.map((item) => `  - ${item}`).join("\n");

/** Every line of `text` (but blank ones) behind `prefix`: quoted text set off from the message. */
export const indent = (text: string, prefix: string) =>
  text
    .split(/\r\n|\r|\n/)
    .map((line) => (line ? prefix + line : line))
    .join("\n");

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * Integer cents as dollars, computed on integers (BigInt) so that no amount is ever rounded:
 * 50_000_000 → "$500,000.00".
 */
export const formatCents = (cents: number | bigint): string => {
  if (typeof cents === "number" && !Number.isSafeInteger(cents)) {
    throw new RangeError(`${cents} is not a whole number of cents`);
  }
  const value = BigInt(cents);
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const dollars = (abs / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const rest = (abs % 100n).toString().padStart(2, "0");
  return `${negative ? "-" : ""}$${dollars}.${rest}`;
};

const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

/**
 * A moment in words, always in UTC: recipients live in every time zone, and a deadline stated
 * once, unambiguously, beats one guessed into a local zone. "Friday, 5 March 2027, 17:00 UTC".
 */
export const formatUtc = (iso: string): string => {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) throw new RangeError(`${iso} is not a date-time`);
  const hh = String(d.getUTCHours()).padStart(2, "0");
  const mm = String(d.getUTCMinutes()).padStart(2, "0");
  return `${WEEKDAYS[d.getUTCDay()]}, ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}, ${hh}:${mm} UTC`;
};

/** "2 days and 5 hours"; minutes only once less than an hour is left. */
export const formatDuration = (ms: number): string => {
  const minutes = Math.floor(Math.abs(ms) / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  if (days > 0)
    return hours > 0 ? `${plural(days, "day")} and ${plural(hours, "hour")}` : plural(days, "day");
  if (hours > 0) return plural(hours, "hour");
  return plural(minutes, "minute");
};
