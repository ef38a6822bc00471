// EventBridge's ScheduleExpression: `rate(value unit)` and `cron(minutes hours day-of-month month
// day-of-week year)`, in UTC, to the minute. Rates count from when the rule began (its anchor),
// as on AWS, where a rate rule first fires one period after it is created.

export class InvalidScheduleExpressionError extends Error {
  override name = "ValidationException";
}

export interface Schedule {
  expression: string;
  /** The first firing strictly after `after` (epoch ms), or undefined when it never fires again. */
  nextAfter(after: number, anchor: number): number | undefined;
}

const MINUTE = 60_000;
const UNIT_MS: Record<string, number> = { minute: MINUTE, hour: 60 * MINUTE, day: 24 * 60 * MINUTE };

const invalid = (expression: string, reason: string) =>
  new InvalidScheduleExpressionError(
    `Parameter ScheduleExpression is not valid: "${expression}": ${reason}.`,
  );

const parseRate = (expression: string, body: string): Schedule => {
  const match = /^(\d+) (minute|minutes|hour|hours|day|days)$/.exec(body.trim());
  if (!match) throw invalid(expression, 'a rate is "rate(value unit)", e.g. rate(5 minutes)');
  const value = Number(match[1]);
  const unit = match[2] as string;
  if (!Number.isSafeInteger(value) || value < 1)
    throw invalid(expression, "the value must be a positive integer");
  // AWS insists on the singular for 1 and the plural otherwise.
  if ((value === 1) !== !unit.endsWith("s")) {
    throw invalid(
      expression,
      value === 1 ? "use the singular unit for 1" : "use the plural unit for values above 1",
    );
  }
  const period = value * (UNIT_MS[unit.replace(/s$/, "")] as number);
  return {
    expression,
    nextAfter: (after, anchor) => anchor + Math.max(1, Math.floor((after - anchor) / period) + 1) * period,
  };
};

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

interface Field {
  label: string;
  min: number;
  max: number;
  names?: string[];
}

const FIELDS = {
  minutes: { label: "minutes", min: 0, max: 59 },
  hours: { label: "hours", min: 0, max: 23 },
  dayOfMonth: { label: "day-of-month", min: 1, max: 31 },
  month: { label: "month", min: 1, max: 12, names: MONTHS },
  dayOfWeek: { label: "day-of-week", min: 1, max: 7, names: DAYS },
  year: { label: "year", min: 1970, max: 2199 },
} satisfies Record<string, Field>;

/** The values a field's `*`, `a`, `a-b`, `a/n`, `a-b/n`, `*\/n` items and their lists allow. */
const valuesOf = (expression: string, text: string, field: Field): Set<number> => {
  const number = (token: string) => {
    const index = field.names?.indexOf(token.toUpperCase()) ?? -1;
    const value = index >= 0 ? index + field.min : /^\d+$/.test(token) ? Number(token) : Number.NaN;
    if (!Number.isInteger(value) || value < field.min || value > field.max) {
      throw invalid(expression, `${field.label} "${token}" is not within ${field.min}-${field.max}`);
    }
    return value;
  };
  const values = new Set<number>();
  for (const item of text.split(",")) {
    const [range = "", stepText] = item.split("/");
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1)
      throw invalid(expression, `${field.label} step "${stepText}" is not valid`);
    let from: number;
    let to: number;
    if (range === "*") {
      from = field.min;
      to = field.max;
    } else if (range.includes("-")) {
      const [a = "", b = ""] = range.split("-");
      from = number(a);
      to = number(b);
      if (to < from) throw invalid(expression, `${field.label} range "${range}" runs backwards`);
    } else {
      from = number(range);
      to = stepText === undefined ? from : field.max;
    }
    for (let value = from; value <= to; value += step) values.add(value);
  }
  return values;
};

type DayTest = (year: number, month: number, day: number) => boolean;

const daysIn = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();
/** 1 = Sunday … 7 = Saturday, as EventBridge numbers them. */
const weekday = (year: number, month: number, day: number) =>
  new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 1;

/** The weekday nearest to `target` within the month (`15W`, `LW`). */
const nearestWeekday = (year: number, month: number, target: number) => {
  const last = daysIn(year, month);
  const day = Math.min(target, last);
  const dow = weekday(year, month, day);
  if (dow === 7) return day === 1 ? 3 : day - 1;
  if (dow === 1) return day === last ? day - 2 : day + 1;
  return day;
};

const dayOfMonthTest = (expression: string, text: string): DayTest => {
  if (text === "L") return (y, m, d) => d === daysIn(y, m);
  if (text === "LW") return (y, m, d) => d === nearestWeekday(y, m, daysIn(y, m));
  const w = /^(\d+)W$/.exec(text);
  if (w) {
    const target = [...valuesOf(expression, w[1] as string, FIELDS.dayOfMonth)][0] as number;
    return (y, m, d) => d === nearestWeekday(y, m, target);
  }
  const days = valuesOf(expression, text, FIELDS.dayOfMonth);
  return (_y, _m, d) => days.has(d);
};

const dayOfWeekTest = (expression: string, text: string): DayTest => {
  if (text === "L") return (y, m, d) => weekday(y, m, d) === 7;
  const last = /^(\w+)L$/.exec(text);
  if (last) {
    const dow = [...valuesOf(expression, last[1] as string, FIELDS.dayOfWeek)][0];
    return (y, m, d) => weekday(y, m, d) === dow && d + 7 > daysIn(y, m);
  }
  const nth = /^(\w+)#([1-5])$/.exec(text);
  if (nth) {
    const dow = [...valuesOf(expression, nth[1] as string, FIELDS.dayOfWeek)][0];
    const n = Number(nth[2]);
    return (y, m, d) => weekday(y, m, d) === dow && Math.ceil(d / 7) === n;
  }
  const days = valuesOf(expression, text, FIELDS.dayOfWeek);
  return (y, m, d) => days.has(weekday(y, m, d));
};

const parseCron = (expression: string, body: string): Schedule => {
  const parts = body.trim().split(/\s+/);
  if (parts.length !== 6) {
    throw invalid(expression, "cron takes 6 fields: minutes hours day-of-month month day-of-week year");
  }
  const [minutesText, hoursText, domText, monthText, dowText, yearText] = parts as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  // EventBridge: one of day-of-month and day-of-week must be "?".
  if ((domText === "?") === (dowText === "?")) {
    throw invalid(expression, 'exactly one of day-of-month and day-of-week must be "?"');
  }
  const minutes = [...valuesOf(expression, minutesText, FIELDS.minutes)].sort((a, b) => a - b);
  const hours = [...valuesOf(expression, hoursText, FIELDS.hours)].sort((a, b) => a - b);
  const months = valuesOf(expression, monthText, FIELDS.month);
  const years = valuesOf(expression, yearText, FIELDS.year);
  const dayMatches =
    domText === "?" ? dayOfWeekTest(expression, dowText) : dayOfMonthTest(expression, domText);
  const lastYear = Math.max(...years);

  return {
    expression,
    nextAfter: (after) => {
      const start = new Date(Math.floor(after / MINUTE) * MINUTE + MINUTE);
      let day = Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate());
      let fromMinuteOfDay = start.getUTCHours() * 60 + start.getUTCMinutes();
      for (;;) {
        const date = new Date(day);
        const y = date.getUTCFullYear();
        if (y > lastYear) return undefined;
        const m = date.getUTCMonth() + 1;
        const d = date.getUTCDate();
        if (!years.has(y)) {
          day = Date.UTC(y + 1, 0, 1);
        } else if (!months.has(m)) {
          day = Date.UTC(y, m, 1);
        } else {
          if (dayMatches(y, m, d)) {
            for (const h of hours) {
              for (const minute of minutes) {
                if (h * 60 + minute >= fromMinuteOfDay) return day + (h * 60 + minute) * MINUTE;
              }
            }
          }
          day += 24 * 60 * MINUTE;
        }
        fromMinuteOfDay = 0;
      }
    },
  };
};

export const parseScheduleExpression = (expression: string): Schedule => {
  const match = /^(rate|cron)\((.*)\)$/.exec(expression.trim());
  if (!match) throw invalid(expression, "it must be rate(...) or cron(...)");
  return match[1] === "rate"
    ? parseRate(expression, match[2] as string)
    : parseCron(expression, match[2] as string);
};
