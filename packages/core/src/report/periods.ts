import { validationError } from "../errors.js";

// Reports bucket time by UTC calendar day or month, named as ISO dates: "2026-11-30", "2026-11".

export type Interval = "day" | "month";

/** The most periods one report answers: a year and a half by day, 83 years by month. */
export const MAX_PERIODS = 550;

export const periodOf = (at: string | number | Date, interval: Interval) => {
  const iso = new Date(at).toISOString();
  return interval === "day" ? iso.slice(0, 10) : iso.slice(0, 7);
};

const next = (period: string, interval: Interval) => {
  if (interval === "day")
    return new Date(Date.parse(`${period}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  const [y, m] = period.split("-").map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, "0")}`;
};

/** Every period from `first` to `last`, both included; refused when more than MAX_PERIODS. */
export const periodsBetween = (first: string, last: string, interval: Interval): string[] => {
  const out: string[] = [];
  for (let p = first; p <= last; p = next(p, interval)) {
    out.push(p);
    if (out.length > MAX_PERIODS)
      throw validationError(
        `The report would have more than ${MAX_PERIODS} ${interval}s: narrow from/to${interval === "day" ? " or ask for interval=month" : ""}`,
      );
  }
  return out;
};

/** The last period a bound names: a month given for a daily report ends on its last day. */
export const lastPeriodOf = (bound: string, interval: Interval) => {
  if (interval === "day" && /^\d{4}-\d{2}$/.test(bound)) {
    const [y, m] = bound.split("-").map(Number) as [number, number];
    return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
  }
  return periodOf(bound, interval);
};
