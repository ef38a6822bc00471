import type { Actor } from "../actor.js";
import type { Clock } from "../clock.js";
import {
  ConcurrentModification,
  notFound,
  retryOnConcurrentModification,
  validationError,
} from "../errors.js";
import { createEvent, type DomainEvent } from "../events/define.js";
import type { UsageRepository } from "../usage/ports.js";
import { INACTIVATION_REASON } from "./activation.js";
import { ConsumptionSettled, ProjectInactivated, ProjectReactivated } from "./events.js";
import { isConsumption, type LedgerEntry, type LedgerRepository, type Pool } from "./ledger.js";
import { entriesFor, ids, SYSTEM, staffOnly } from "./moves.js";
import type { AwardRepository } from "./ports.js";
import type { Award, AwardStatus } from "./schema.js";

// Consumption enters the ledger by settlement: the counted usage (usage/*) is compared with the
// consumption entries, and the difference is written as one more "consume" entry. Settling sets
// the ledger to a target rather than adding a figure, so a retried or raced settlement finds
// nothing left to do; entries are named by the award's revision, whose condition lets only one
// of two racing settlements write.

export interface SettlementDeps {
  awards: Pick<AwardRepository, "get">;
  ledger: Pick<LedgerRepository, "move" | "entriesForAward">;
  usage: Pick<UsageRepository, "totals" | "consumed">;
  clock: Clock;
}

/** Statuses in which an award holds its budget: consumption settles against it. */
const HOLDING: AwardStatus[] = ["active", "suspended", "closing"];
/** Statuses in which the provider's project runs on the award's credits (closeout inactivates on its own). */
const RUNNING: AwardStatus[] = ["active", "suspended"];

const sum = (entries: LedgerEntry[]) => entries.reduce((s, e) => s + e.amountCents, 0);

/** One pool of an award from its entries: consumed so far, still held, and both together. */
export const poolPosition = (entries: LedgerEntry[], pool: Pool) => {
  const own = entries.filter((e) => e.pool === pool);
  const consumedCents = 0 - sum(own.filter(isConsumption));
  const heldCents = sum(own);
  return { consumedCents, heldCents, capacityCents: consumedCents + heldCents };
};

/**
 * An award's money by pool, from its entries alone: given (commits and top-ups), released,
 * consumed, and still held (given − released − consumed).
 */
export const awardPosition = (entries: LedgerEntry[]) => {
  const of = (pool: Pool) => {
    const own = entries.filter((e) => e.pool === pool);
    return {
      committedCents: sum(own.filter((e) => e.kind === "commit" || e.kind === "topup")),
      releasedCents: 0 - sum(own.filter((e) => e.kind === "release")),
      consumedCents: 0 - sum(own.filter(isConsumption)),
      heldCents: sum(own),
    };
  };
  return { cash: of("cash"), credits: of("credits") };
};

export interface SettlementPlan {
  /** Ledger consumption of credits after the settlement (≤ what the award was given, net of releases). */
  consumedCents: number;
  /**
   * Consumption moved: positive for usage, negative when refunds bring it down. A settlement that
   * raced another to the same movement reports that movement too (it was written once).
   */
  settledCents: number;
  /** Counted usage beyond what the award holds: recorded, never taken from the pool. */
  overageCents: number;
  /** The counted usage has reached everything the award holds (100 %). */
  exhausted: boolean;
  inactivate: boolean;
  reactivate: boolean;
}

/**
 * The settlement of an award's credits, pure: consumption goes to the counted usage, capped at
 * what the award holds. A released award (revoked, closed, lapsed) settles nothing more: what
 * it used past its release is overage.
 */
export const planSettlement = (
  award: Award,
  entries: LedgerEntry[],
  countedCents: number,
): SettlementPlan => {
  const { consumedCents, capacityCents } = poolPosition(entries, "credits");
  const usage = Math.max(0, countedCents);
  const target = HOLDING.includes(award.status) ? Math.min(usage, capacityCents) : consumedCents;
  const exhausted = capacityCents > 0 && usage >= capacityCents;
  const running = RUNNING.includes(award.status);
  return {
    consumedCents: target,
    settledCents: target - consumedCents,
    overageCents: Math.max(0, usage - target),
    exhausted,
    inactivate: running && exhausted && !award.inactivatedAt,
    reactivate: running && !exhausted && Boolean(award.inactivatedAt),
  };
};

const settledAward = (award: Award, consumption: NonNullable<Award["consumption"]>): Award => ({
  ...award,
  consumption,
  revision: award.revision + 1,
});

const MAX_ROUNDS = 6;

/**
 * Brings the ledger's credit consumption of an award up to its counted usage (refunds bring it
 * down), capped at what the award holds; the rest is overage, kept on the award. Crossing 100 %
 * marks the award's project inactivated (ProjectInactivated, once per crossing) and falling back
 * under it (a top-up, a refund) reactivates it. Idempotent and safe to race: it settles until a
 * fresh read finds nothing left to move.
 */
export const settleConsumption = async (
  deps: SettlementDeps,
  awardId: string,
  cause: string,
): Promise<{ consumedCents: number; settledCents: number; overageCents: number }> => {
  let settledCents = 0;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const award = await deps.awards.get(awardId);
    if (!award) throw notFound(`Award ${awardId}`);
    const entries = await deps.ledger.entriesForAward(awardId);
    const counted = await deps.usage.consumed(awardId);
    const plan = planSettlement(award, entries, counted);
    const cash = poolPosition(entries, "cash").consumedCents;
    const recorded = award.consumption;
    const unchanged =
      plan.settledCents === 0 &&
      !plan.inactivate &&
      !plan.reactivate &&
      (recorded?.creditsCents ?? 0) === plan.consumedCents &&
      (recorded?.overageCents ?? 0) === plan.overageCents;
    if (unchanged)
      return { consumedCents: plan.consumedCents, settledCents, overageCents: plan.overageCents };

    const when = deps.clock.now().toISOString();
    const tag = `consume-r${award.revision}`;
    let after = settledAward(award, {
      creditsCents: plan.consumedCents,
      cashCents: cash,
      overageCents: plan.overageCents,
      settledAt: when,
    });
    const events: DomainEvent[] = [];
    if (plan.settledCents !== 0) {
      events.push(
        createEvent(ConsumptionSettled, `${awardId}:${tag}:settled`, when, {
          ...ids(award),
          creditsCents: plan.settledCents,
          cashCents: 0,
          consumedCreditsCents: plan.consumedCents,
          consumedCashCents: cash,
          overageCents: plan.overageCents,
        }),
      );
    }
    if (plan.inactivate) {
      const reason = INACTIVATION_REASON;
      after = {
        ...after,
        inactivatedAt: when,
        history: [
          ...after.history,
          { at: when, status: award.status, actor: SYSTEM, reason: `project inactivated: ${reason}` },
        ],
      };
      events.push(
        createEvent(ProjectInactivated, `${awardId}:inactivated-r${award.revision}`, when, {
          ...ids(award),
          reason,
        }),
      );
    }
    if (plan.reactivate) {
      const { inactivatedAt: _gone, ...rest } = after;
      after = {
        ...rest,
        history: [
          ...after.history,
          {
            at: when,
            status: award.status,
            actor: SYSTEM,
            reason: "project reactivated: the award holds credits again",
          },
        ],
      };
      events.push(
        createEvent(ProjectReactivated, `${awardId}:reactivated-r${award.revision}`, when, ids(award)),
      );
    }
    try {
      await deps.ledger.move({
        requestToken: `${awardId}:${tag}`,
        entries: entriesFor(
          award,
          "consume",
          { cashCents: 0, creditsCents: plan.settledCents },
          -1,
          SYSTEM,
          cause,
          when,
          tag,
        ),
        award: { item: after as unknown as Record<string, unknown>, expectedRevision: award.revision },
        events,
      });
      settledCents += plan.settledCents;
    } catch (error) {
      // Another settlement or award change won the revision: read again and settle what is left.
      if (!(error instanceof ConcurrentModification)) throw error;
    }
  }
  throw new ConcurrentModification(`Award ${awardId}`);
};

/**
 * Records the cash a final report declares spent: the award's cash consumption becomes
 * `spentCents` (a figure, not an addition, so a retry moves nothing), at most what the award
 * was given net of releases. The rest stays held until closeout returns it.
 */
export const settleCash = (
  deps: SettlementDeps,
  awardId: string,
  spentCents: number,
  cause: string,
): Promise<{ consumedCents: number; settledCents: number }> =>
  retryOnConcurrentModification(async () => {
    if (!Number.isSafeInteger(spentCents) || spentCents < 0)
      throw validationError("Cash spent must be whole cents, not negative", [
        { field: "spentCents", message: "must be a whole number of cents, at least 0" },
      ]);
    const award = await deps.awards.get(awardId);
    if (!award) throw notFound(`Award ${awardId}`);
    const entries = await deps.ledger.entriesForAward(awardId);
    const { consumedCents, capacityCents } = poolPosition(entries, "cash");
    if (consumedCents === spentCents) return { consumedCents, settledCents: 0 };
    if (!HOLDING.includes(award.status))
      throw validationError(`Award ${awardId} is ${award.status}; its cash is no longer held`);
    if (spentCents > capacityCents)
      throw validationError(`The award holds ${capacityCents} cash cents; ${spentCents} cannot be spent`, [
        { field: "spentCents", message: `must be at most ${capacityCents}` },
      ]);
    const when = deps.clock.now().toISOString();
    const tag = `spent-r${award.revision}`;
    const delta = spentCents - consumedCents;
    const credits = poolPosition(entries, "credits").consumedCents;
    const after = settledAward(award, {
      creditsCents: award.consumption?.creditsCents ?? credits,
      cashCents: spentCents,
      overageCents: award.consumption?.overageCents ?? 0,
      settledAt: when,
    });
    await deps.ledger.move({
      requestToken: `${awardId}:${tag}`,
      entries: entriesFor(
        award,
        "consume",
        { cashCents: delta, creditsCents: 0 },
        -1,
        SYSTEM,
        cause,
        when,
        tag,
      ),
      award: { item: after as unknown as Record<string, unknown>, expectedRevision: award.revision },
      events: [
        createEvent(ConsumptionSettled, `${awardId}:${tag}:settled`, when, {
          ...ids(award),
          creditsCents: 0,
          cashCents: delta,
          consumedCreditsCents: credits,
          consumedCashCents: spentCents,
          overageCents: award.consumption?.overageCents ?? 0,
        }),
      ],
    });
    return { consumedCents: spentCents, settledCents: delta };
  });

/**
 * The daily settlement: every award of every program that holds its budget. Awards settle a few
 * at a time; one that fails is named and the others still settle, and the run fails at the end
 * so the schedule retries it (settling twice is harmless).
 */
export const settleAllConsumption = async (
  deps: SettlementDeps & {
    awards: Pick<AwardRepository, "get" | "listByProgram">;
    programs: { list(): Promise<Array<{ programId: string }>> };
  },
  cause: string,
  concurrency = 8,
) => {
  const awardIds: string[] = [];
  for (const { programId } of await deps.programs.list()) {
    for (const status of HOLDING) {
      for (const award of await deps.awards.listByProgram(programId, status)) awardIds.push(award.awardId);
    }
  }
  let settledCents = 0;
  let overageCents = 0;
  const failed: Array<{ awardId: string; error: string }> = [];
  let next = 0;
  const worker = async () => {
    while (next < awardIds.length) {
      const awardId = awardIds[next++] as string;
      try {
        const result = await settleConsumption(deps, awardId, cause);
        settledCents += result.settledCents;
        overageCents += result.overageCents;
      } catch (error) {
        failed.push({ awardId, error: error instanceof Error ? error.message : String(error) });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, awardIds.length) }, worker));
  const summary = { awards: awardIds.length, settledCents, overageCents, failed };
  if (failed.length)
    throw new Error(`Settlement failed for ${failed.map((f) => `${f.awardId} (${f.error})`).join(", ")}`);
  return summary;
};

/** Staff settle one award on demand (before a report, after a usage correction). */
export const settleAward = async (deps: SettlementDeps, actor: Actor, awardId: string) => {
  staffOnly(actor);
  return settleConsumption(deps, awardId, `settled on demand by ${actor.userId}`);
};

/**
 * After usage is counted: settles an award whose usage has just reached its credits, so the
 * crossing of 100 % reaches the provider at once rather than at the daily run. Cheap otherwise
 * (two reads), and a no-op for an award already inactivated.
 */
export const settleIfExhausted = async (deps: SettlementDeps, awardId: string) => {
  const award = await deps.awards.get(awardId);
  if (!award || award.inactivatedAt || !RUNNING.includes(award.status) || award.creditsCents <= 0)
    return undefined;
  if ((await deps.usage.consumed(awardId)) < award.creditsCents) return undefined;
  return settleConsumption(deps, awardId, "credits used up");
};
