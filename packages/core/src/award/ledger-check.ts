import {
  isConsumption,
  type LedgerEntry,
  type LedgerRepository,
  type PartnerBalance,
  type Pool,
  type PoolBalance,
  partnerKeyOf,
} from "./ledger.js";

/** One balance that does not match what the entries add up to. */
export interface LedgerDifference {
  scope: "pool" | "partner" | "award" | "entry";
  /** The pool, the institution, the award or the entry id. */
  subject: string;
  field: string;
  expected: number;
  actual: number;
  message: string;
}

const POOLS: Pool[] = ["cash", "credits"];

const sumBy = <K>(entries: LedgerEntry[], keyOf: (e: LedgerEntry) => K | undefined) => {
  const sums = new Map<K, number>();
  for (const entry of entries) {
    const key = keyOf(entry);
    if (key !== undefined) sums.set(key, (sums.get(key) ?? 0) + entry.amountCents);
  }
  return sums;
};

/** What each award holds now per pool, from its entries alone. */
export const heldByAward = (entries: LedgerEntry[]) => {
  const held = new Map<string, { cashCents: number; creditsCents: number }>();
  for (const e of entries) {
    const h = held.get(e.awardId) ?? { cashCents: 0, creditsCents: 0 };
    if (e.pool === "cash") h.cashCents += e.amountCents;
    else h.creditsCents += e.amountCents;
    held.set(e.awardId, h);
  }
  return held;
};

/**
 * Recomputes every balance from the append-only entries and names each one that differs: the
 * pools (committed = sum of entries but consumption, consumed = minus the sum of consumption
 * entries and never above committed, available = total − committed and never below zero), the
 * strategic partners' credits (held = sum of their entries but consumption, remaining = cap −
 * held, never above the cap), each award's holding (all its entries, consumption included:
 * never below zero), and entry ids (never twice). Empty when consistent.
 */
export const checkLedger = (
  entries: LedgerEntry[],
  pools: PoolBalance[],
  partners: PartnerBalance[],
): LedgerDifference[] => {
  const differences: LedgerDifference[] = [];
  const differ = (d: Omit<LedgerDifference, "message">, message: string) => {
    if (d.expected !== d.actual) differences.push({ ...d, message });
  };

  const seen = new Map<string, number>();
  for (const e of entries) seen.set(e.entryId, (seen.get(e.entryId) ?? 0) + 1);
  for (const [entryId, count] of seen) {
    differ(
      { scope: "entry", subject: entryId, field: "count", expected: 1, actual: count },
      `entry ${entryId} is recorded ${count} times`,
    );
  }

  const poolKey = (programId: string, pool: Pool) => `${programId}\u0000${pool}`;
  const committed = sumBy(entries, (e) => (isConsumption(e) ? undefined : poolKey(e.programId, e.pool)));
  const consumed = sumBy(entries, (e) => (isConsumption(e) ? poolKey(e.programId, e.pool) : undefined));
  const known = new Set(pools.map((p) => poolKey(p.programId, p.pool)));
  for (const p of pools) {
    const sum = committed.get(poolKey(p.programId, p.pool)) ?? 0;
    const used = -(consumed.get(poolKey(p.programId, p.pool)) ?? 0);
    const subject = `${p.programId}/${p.pool}`;
    differ(
      { scope: "pool", subject, field: "consumedCents", expected: used, actual: p.consumedCents },
      `the ${p.pool} pool records ${p.consumedCents} cents consumed, its consumption entries add up to ${used}`,
    );
    if (used > sum) {
      differences.push({
        scope: "pool",
        subject,
        field: "overconsumedCents",
        expected: 0,
        actual: used - sum,
        message: `the ${p.pool} pool's awards consumed ${used - sum} cents more than they were given`,
      });
    }
    differ(
      { scope: "pool", subject, field: "committedCents", expected: sum, actual: p.committedCents },
      `the ${p.pool} pool records ${p.committedCents} cents committed, its entries add up to ${sum}`,
    );
    differ(
      {
        scope: "pool",
        subject,
        field: "availableCents",
        expected: p.totalCents - sum,
        actual: p.availableCents,
      },
      `the ${p.pool} pool records ${p.availableCents} cents available, total − entries is ${p.totalCents - sum}`,
    );
    if (p.totalCents - sum < 0) {
      differences.push({
        scope: "pool",
        subject,
        field: "overcommittedCents",
        expected: 0,
        actual: sum - p.totalCents,
        message: `the ${p.pool} pool is over-committed by ${sum - p.totalCents} cents`,
      });
    }
  }
  for (const key of new Set([...committed.keys(), ...consumed.keys()])) {
    if (known.has(key)) continue;
    const sum = committed.get(key) ?? 0;
    const [programId, pool] = key.split("\u0000");
    differences.push({
      scope: "pool",
      subject: `${programId}/${pool}`,
      field: "committedCents",
      expected: sum,
      actual: 0,
      message: `entries move ${sum} cents in the ${pool} pool of ${programId}, which has no balance`,
    });
  }

  const partnerKey = (programId: string, key: string) => `${programId}\u0000${key}`;
  const partnerHeld = sumBy(entries, (e) =>
    e.strategicPartner && e.pool === "credits" && !isConsumption(e)
      ? partnerKey(e.programId, partnerKeyOf(e))
      : undefined,
  );
  const knownPartners = new Set<string>();
  for (const p of partners) {
    const key = partnerKey(p.programId, p.institutionKey);
    knownPartners.add(key);
    const sum = partnerHeld.get(key) ?? 0;
    const subject = `${p.programId}/${p.institution}`;
    differ(
      { scope: "partner", subject, field: "heldCents", expected: sum, actual: p.heldCents },
      `${p.institution} records ${p.heldCents} credit cents held, its entries add up to ${sum}`,
    );
    differ(
      {
        scope: "partner",
        subject,
        field: "remainingCents",
        expected: p.capCents - sum,
        actual: p.remainingCents,
      },
      `${p.institution} records ${p.remainingCents} credit cents remaining, cap − entries is ${p.capCents - sum}`,
    );
    if (sum > p.capCents) {
      differences.push({
        scope: "partner",
        subject,
        field: "overCapCents",
        expected: 0,
        actual: sum - p.capCents,
        message: `${p.institution} holds ${sum - p.capCents} credit cents above its cap`,
      });
    }
  }
  for (const [key, sum] of partnerHeld) {
    if (knownPartners.has(key) || sum === 0) continue;
    const [programId, institution] = key.split("\u0000");
    differences.push({
      scope: "partner",
      subject: `${programId}/${institution}`,
      field: "heldCents",
      expected: sum,
      actual: 0,
      message: `${institution} holds ${sum} credit cents by its entries, but has no partner balance`,
    });
  }

  for (const [awardId, held] of heldByAward(entries)) {
    for (const pool of POOLS) {
      const cents = pool === "cash" ? held.cashCents : held.creditsCents;
      if (cents < 0) {
        differences.push({
          scope: "award",
          subject: awardId,
          field: `${pool}Cents`,
          expected: 0,
          actual: cents,
          message: `award ${awardId} released or consumed ${-cents} ${pool} cents more than it held`,
        });
      }
    }
  }
  return differences;
};

/**
 * Reads a program's ledger through the port and checks it. Entries come from an index that
 * may trail the balances by a moment on AWS: a difference seen while movements are under way
 * is confirmed by running the check again once they settle.
 */
export const runLedgerCheck = async (
  ledger: Pick<LedgerRepository, "entriesForProgram" | "pools" | "partners">,
  programId: string,
) => {
  const [pools, partners] = await Promise.all([ledger.pools(programId), ledger.partners(programId)]);
  const entries = await ledger.entriesForProgram(programId);
  return {
    programId,
    pools,
    partners,
    entries: entries.length,
    awards: heldByAward(entries).size,
    differences: checkLedger(entries, pools, partners),
  };
};
