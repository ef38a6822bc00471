import type { LedgerEntry, LedgerKind, Pool } from "../award/ledger.js";
import { validationError } from "../errors.js";
import type { CsvTable } from "./csv.js";
import { type Interval, lastPeriodOf, periodOf, periodsBetween } from "./periods.js";

/**
 * One pool's movements in one period, from the ledger entries alone (cents):
 * - committed: what commitments and top-ups gave awards (kinds `commit`, `topup`);
 * - consumed: what awards used (kind `consume`: credits consumed from usage, cash declared
 *   spent at closeout; those entries are negative, a refund's positive), so minus their sum;
 * - released: what releases gave back to the pool (kind `release`), as a positive amount;
 * - adjusted: the net of `adjustment` entries (either sign);
 * - net: the change of the pool's committed balance (every entry but consumption, which never
 *   returns to the pool): committed − released + adjusted.
 * Cumulative figures add every entry up to the period's end, from the ledger's first entry (not
 * from the report's `from`), so `poolCommittedCents` and `cumulativeConsumedCents` of the last
 * period are the pool's committed and consumed balances by the ledger check when the report runs
 * to today, and `heldCents` is what awards hold unconsumed.
 */
export interface BudgetMovements {
  committedCents: number;
  consumedCents: number;
  releasedCents: number;
  adjustedCents: number;
  netCents: number;
}

export interface BudgetPeriod extends BudgetMovements {
  period: string;
  pool: Pool;
  cumulativeCommittedCents: number;
  cumulativeConsumedCents: number;
  cumulativeReleasedCents: number;
  cumulativeAdjustedCents: number;
  /** The pool's committed balance at the period's end: the cumulative net. */
  poolCommittedCents: number;
  /** What awards hold unconsumed at the period's end: poolCommitted − cumulative consumed. */
  heldCents: number;
}

export interface BudgetOverTime {
  programId: string;
  interval: Interval;
  from: string;
  to: string;
  /** Per pool, the movements within [from, to] and what awards hold at `to`'s end. */
  totals: Array<
    BudgetMovements & { pool: Pool; poolCommittedCents: number; heldCents: number; entries: number }
  >;
  periods: BudgetPeriod[];
}

const POOLS: Pool[] = ["cash", "credits"];
const zero = (): BudgetMovements => ({
  committedCents: 0,
  consumedCents: 0,
  releasedCents: 0,
  adjustedCents: 0,
  netCents: 0,
});

/** Adds one entry to the movements it belongs to. */
const add = (m: BudgetMovements, kind: LedgerKind | "consume", cents: number) => {
  if (kind === "consume") {
    m.consumedCents -= cents;
    return;
  }
  m.netCents += cents;
  if (kind === "commit" || kind === "topup") m.committedCents += cents;
  else if (kind === "release") m.releasedCents -= cents;
  else m.adjustedCents += cents;
};

const addAll = (into: BudgetMovements, m: BudgetMovements) => {
  into.committedCents += m.committedCents;
  into.consumedCents += m.consumedCents;
  into.releasedCents += m.releasedCents;
  into.adjustedCents += m.adjustedCents;
  into.netCents += m.netCents;
};

/**
 * The program's budget per period and pool between `from` and `to` (periods of `interval`, both
 * included; by default from the first entry's period to `to`). Dense: a period without entries
 * is a row of zero movements carrying the cumulative figures on.
 */
export const budgetOverTime = (
  programId: string,
  entries: LedgerEntry[],
  options: { interval: Interval; from?: string; to: string },
): BudgetOverTime => {
  const { interval } = options;
  const sorted = [...entries]
    .filter((e) => e.programId === programId)
    .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  const to = lastPeriodOf(options.to, interval);
  const first = sorted[0] ? periodOf(sorted[0].at, interval) : to;
  // Entries all after `to` leave nothing to start from: the report is `to` alone.
  const from = options.from ? periodOf(options.from, interval) : ([first, to].sort()[0] ?? to);
  if (from > to) throw validationError(`from (${from}) must not be after to (${to})`);
  const periods = periodsBetween(from, to, interval);

  const opening = new Map(POOLS.map((p) => [p, zero()]));
  const within = new Map<string, BudgetMovements>();
  const counted = new Map(POOLS.map((p) => [p, 0]));
  for (const e of sorted) {
    const period = periodOf(e.at, interval);
    if (period > to) break;
    if (period < from) add(opening.get(e.pool) ?? zero(), e.kind, e.amountCents);
    else {
      const key = `${period}|${e.pool}`;
      const m = within.get(key) ?? zero();
      add(m, e.kind, e.amountCents);
      within.set(key, m);
      counted.set(e.pool, (counted.get(e.pool) ?? 0) + 1);
    }
  }

  const rows: BudgetPeriod[] = [];
  const totals: BudgetOverTime["totals"] = [];
  for (const pool of POOLS) {
    const cumulative = { ...(opening.get(pool) ?? zero()) };
    const total = zero();
    for (const period of periods) {
      const m = within.get(`${period}|${pool}`) ?? zero();
      addAll(cumulative, m);
      addAll(total, m);
      rows.push({
        period,
        pool,
        ...m,
        cumulativeCommittedCents: cumulative.committedCents,
        cumulativeConsumedCents: cumulative.consumedCents,
        cumulativeReleasedCents: cumulative.releasedCents,
        cumulativeAdjustedCents: cumulative.adjustedCents,
        poolCommittedCents: cumulative.netCents,
        heldCents: cumulative.netCents - cumulative.consumedCents,
      });
    }
    totals.push({
      pool,
      ...total,
      poolCommittedCents: cumulative.netCents,
      heldCents: cumulative.netCents - cumulative.consumedCents,
      entries: counted.get(pool) ?? 0,
    });
  }
  rows.sort((a, b) => (a.period < b.period ? -1 : a.period > b.period ? 1 : a.pool < b.pool ? -1 : 1));
  return { programId, interval, from, to, totals, periods: rows };
};

export const budgetTable = (r: BudgetOverTime): CsvTable => {
  const columns = [
    "committedCents",
    "consumedCents",
    "releasedCents",
    "adjustedCents",
    "netCents",
    "cumulativeCommittedCents",
    "cumulativeConsumedCents",
    "cumulativeReleasedCents",
    "cumulativeAdjustedCents",
    "poolCommittedCents",
    "heldCents",
  ] as const;
  return {
    header: ["programId", "period", "pool", ...columns],
    rows: r.periods.map((p) => [r.programId, p.period, p.pool, ...columns.map((c) => p[c])]),
  };
};
