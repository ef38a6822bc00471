import { z } from "zod";

// Periods are ISO 8601 durations ("P21D", "PT72H", "PT5S"): readable in configuration, exact,
// and short enough in tests to exercise deadlines for real. Months and years are refused:
// their length depends on the calendar, and a deadline must not.
const pattern = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

export const durationSeconds = (value: string): number | undefined => {
  const m = pattern.exec(value);
  if (!m || value === "P" || value.endsWith("T")) return undefined;
  const [w, d, h, min, s] = m.slice(1).map((x) => Number(x ?? 0)) as [number, number, number, number, number];
  return (((w * 7 + d) * 24 + h) * 60 + min) * 60 + s;
};

export const Duration = z.string().refine((v) => (durationSeconds(v) ?? 0) > 0, {
  message:
    'must be a positive ISO 8601 duration in weeks, days, hours, minutes or seconds, e.g. "P21D" or "PT72H"',
});
