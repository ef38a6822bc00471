import { validationError } from "../errors.js";
import type { CsvTable } from "./csv.js";
import { periodsBetween } from "./periods.js";

const HOUR_MS = 3_600_000;
/** The longest range one utilization report covers (a quarter): 92 × 24 slot reads at most. */
export const MAX_UTILIZATION_DAYS = 92;

/** The hour slots of the days `[from, to]` (UTC ISO, as reservations name them). */
export const hoursOfDays = (days: string[]) =>
  days.flatMap((day) =>
    Array.from({ length: 24 }, (_, h) =>
      new Date(Date.parse(`${day}T00:00:00Z`) + h * HOUR_MS).toISOString(),
    ),
  );

export interface UtilizationDay {
  day: string;
  /** The cluster's chips × 24. */
  capacityChipHours: number;
  /**
   * Chip-hours that granted reservations held, hour by hour: a reservation counts for each hour
   * of its window that began while it was granted or suspended (cancelled or released before
   * an hour began, it does not count for that hour).
   */
  reservedChipHours: number;
  /** Chip-seconds of compute usage records counted for the program that day (exact). */
  usedChipSeconds: number;
  /** usedChipSeconds / 3,600, to two decimals. */
  usedChipHours: number;
  /** Percent of capacity, to two decimals. */
  reservedPercent: number;
  usedPercent: number;
}

export interface Utilization {
  programId: string;
  from: string;
  to: string;
  clusterChips: number;
  days: UtilizationDay[];
  totals: Omit<UtilizationDay, "day">;
}

const round2 = (n: number) => Math.round(n * 100) / 100;
const percent = (part: number, whole: number) => (whole > 0 ? round2((part * 100) / whole) : 0);

/** The days a request names, checked: `to` not before `from`, at most MAX_UTILIZATION_DAYS. */
export const utilizationDays = (from: string, to: string) => {
  if (to < from) throw validationError(`to (${to}) must not be before from (${from})`);
  const days = periodsBetween(from, to, "day");
  if (days.length > MAX_UTILIZATION_DAYS)
    throw validationError(`A utilization report covers at most ${MAX_UTILIZATION_DAYS} days: narrow from/to`);
  return days;
};

export const utilizationOf = (
  programId: string,
  days: string[],
  clusterChips: number,
  bookedChipsByHour: Map<string, number>,
  usedChipSecondsByDay: Map<string, number>,
): Utilization => {
  const capacity = clusterChips * 24;
  const rows = days.map((day): UtilizationDay => {
    const reserved = hoursOfDays([day]).reduce((s, h) => s + Math.max(0, bookedChipsByHour.get(h) ?? 0), 0);
    const used = usedChipSecondsByDay.get(day) ?? 0;
    return {
      day,
      capacityChipHours: capacity,
      reservedChipHours: reserved,
      usedChipSeconds: used,
      usedChipHours: round2(used / 3600),
      reservedPercent: percent(reserved, capacity),
      usedPercent: percent(used, capacity * 3600),
    };
  });
  const sum = (f: (d: UtilizationDay) => number) => rows.reduce((s, d) => s + f(d), 0);
  const capacityTotal = sum((d) => d.capacityChipHours);
  const reservedTotal = sum((d) => d.reservedChipHours);
  const usedTotal = sum((d) => d.usedChipSeconds);
  return {
    programId,
    from: days[0] ?? "",
    to: days.at(-1) ?? "",
    clusterChips,
    days: rows,
    totals: {
      capacityChipHours: capacityTotal,
      reservedChipHours: reservedTotal,
      usedChipSeconds: usedTotal,
      usedChipHours: round2(usedTotal / 3600),
      reservedPercent: percent(reservedTotal, capacityTotal),
      usedPercent: percent(usedTotal, capacityTotal * 3600),
    },
  };
};

export const utilizationTable = (u: Utilization): CsvTable => {
  const columns = [
    "capacityChipHours",
    "reservedChipHours",
    "usedChipSeconds",
    "usedChipHours",
    "reservedPercent",
    "usedPercent",
  ] as const;
  return {
    header: ["programId", "day", ...columns],
    rows: u.days.map((d) => [u.programId, d.day, ...columns.map((c) => d[c])]),
  };
};
