import type { Actor } from "../actor.js";
import type { AwardRepository } from "../award/ports.js";
import type { Award, AwardStatus } from "../award/schema.js";
import type { Clock } from "../clock.js";
import { notFound } from "../errors.js";
import { createEvent, type DomainEvent } from "../events/define.js";
import { forecast, percentUsed, thresholdsReached } from "./burn-down.js";
import { CreditsExhausted, CreditThresholdCrossed, UsageRecordsRejected } from "./events.js";
import { differencesBetween, reusedIdReason } from "./identity.js";
import { periodProblems } from "./period.js";
import type { UsageRepository } from "./ports.js";
import { DEFAULT_THRESHOLDS, RecordId, type Rejection, type StoredUsage, UsageRecord } from "./schema.js";
import { UsageBatchUnfinished } from "./unfinished.js";

export interface UsageDeps {
  awards: Pick<AwardRepository, "get" | "getMany">;
  usage: UsageRepository;
  clock: Clock;
  /** The program's thresholds in percent; the defaults when it sets none. */
  thresholds?: (programId: string) => Promise<readonly number[]>;
}

/**
 * Usage counts against awards that hold credits now, against closing ones (the closeout's grace
 * period awaits late records) and against closed ones for late records (see period.ts);
 * anything else is refused with the reason.
 */
const BILLABLE: AwardStatus[] = ["active", "suspended", "closing", "closed", "closed_noncompliant"];

const thresholdsOf = async (deps: UsageDeps, programId: string) => {
  const list = deps.thresholds ? await deps.thresholds(programId) : DEFAULT_THRESHOLDS;
  // 100 % is always watched: exhaustion rides on it.
  return [...new Set([...list, 100])].filter((t) => t > 0 && t <= 100).sort((a, b) => a - b);
};

const awardsById = async (deps: UsageDeps, awardIds: string[]) =>
  new Map((await deps.awards.getMany(awardIds)).map((award) => [award.awardId, award]));

/** The record id as sent, echoed in a rejection only when it is a valid id (never megabytes back). */
const recordIdOf = (raw: unknown) => {
  const id = raw && typeof raw === "object" ? (raw as { recordId?: unknown }).recordId : undefined;
  return RecordId.safeParse(id).success ? (id as string) : undefined;
};

const awardProblems = (record: UsageRecord, award: Award | undefined, now: Date): string[] => {
  if (!award) return [`awardId: award ${record.awardId} is unknown`];
  if (!BILLABLE.includes(award.status)) {
    return [
      `awardId: award ${record.awardId} is ${award.status}; usage counts only on active, suspended or closing awards (and closed ones, late)`,
    ];
  }
  return periodProblems(record, award, now);
};

/**
 * Validates each record of a batch on its own, at once, and stores and counts the accepted ones:
 * the award's balance includes them when this returns. A record id sent again (in the batch or
 * ever before) is accepted when its content is the same, counted once, and refused, naming what
 * differs, when it is not. Storing a record id is conditional and counts it in the same write, so
 * a batch sent again after a timeout gets the same answer and changes nothing. No write starts
 * after `storeUntil` (epoch ms): a batch not all stored by then is UsageBatchUnfinished, and
 * sending it again finishes it. Thresholds are checked by the processor of the stored records.
 */
export const ingestUsage = async (deps: UsageDeps, records: unknown[], storeUntil?: number) => {
  const now = deps.clock.now();
  const receivedAt = now.toISOString();
  const rejected: Rejection[] = [];
  const parsed: Array<{ index: number; record: UsageRecord }> = [];
  records.forEach((raw, index) => {
    const result = UsageRecord.safeParse(raw);
    if (result.success) {
      parsed.push({ index, record: result.data });
      return;
    }
    const recordId = recordIdOf(raw);
    rejected.push({
      index,
      ...(recordId ? { recordId } : {}),
      reasons: result.error.issues.map((i) => `${i.path.join(".") || "record"}: ${i.message}`),
    });
  });

  const awards = await awardsById(deps, [...new Set(parsed.map((p) => p.record.awardId))]);
  const candidates: typeof parsed = [];
  for (const { index, record } of parsed) {
    const problems = awardProblems(record, awards.get(record.awardId), now);
    if (problems.length) rejected.push({ index, recordId: record.recordId, reasons: problems });
    else candidates.push({ index, record });
  }

  // The first occurrence of an id in the batch is the one offered to the store.
  const firsts = new Map<string, StoredUsage>();
  for (const { record } of candidates) {
    if (!firsts.has(record.recordId)) firsts.set(record.recordId, { record, receivedAt });
  }
  const held = firsts.size
    ? await deps.usage.store([...firsts.values()], {
        until: storeUntil,
        programOf: (awardId) => awards.get(awardId)?.programId,
      })
    : new Map<string, UsageRecord>();
  const pending = [...firsts.keys()].filter((id) => !held.has(id)).length;
  if (pending) throw new UsageBatchUnfinished(firsts.size - pending, pending);
  let accepted = 0;
  for (const { index, record } of candidates) {
    const holding = held.get(record.recordId) as UsageRecord;
    const differs = differencesBetween(holding, record);
    if (differs.length) {
      rejected.push({
        index,
        recordId: record.recordId,
        reasons: [reusedIdReason(record.recordId, differs)],
      });
    } else accepted++;
  }
  return { accepted, rejected: rejected.sort((a, b) => a.index - b.index) };
};

/** A bus batch: like the API, and the refused records reported as an event (once per batch event). */
export const ingestUsageEvent = async (
  deps: UsageDeps,
  eventId: string,
  records: unknown[],
  storeUntil?: number,
) => {
  const result = await ingestUsage(deps, records, storeUntil);
  if (result.rejected.length) {
    await deps.usage.publish([
      createEvent(UsageRecordsRejected, `usage-batch:${eventId}:rejected`, deps.clock.now().toISOString(), {
        count: result.rejected.length,
        recordIds: result.rejected.map((r) => r.recordId ?? `#${r.index}`),
      }),
    ]);
  }
  return result;
};

/**
 * Raises each threshold the award has reached and not yet raised: a marker written only if
 * absent, with its events, in one transaction, so racing processors raise it once.
 */
export const checkThresholds = async (deps: UsageDeps, awardId: string) => {
  const award = await deps.awards.get(awardId);
  if (!award) return [];
  const thresholds = await thresholdsOf(deps, award.programId);
  const consumedCents = await deps.usage.consumed(awardId);
  const reached = thresholdsReached(consumedCents, award.creditsCents, thresholds);
  if (!reached.length) return [];
  const already = new Set(await deps.usage.thresholdsRaised(awardId, reached));
  const when = deps.clock.now().toISOString();
  const raised: number[] = [];
  for (const threshold of reached.filter((t) => !already.has(t))) {
    const ids = { awardId, programId: award.programId };
    const events: DomainEvent[] = [
      createEvent(CreditThresholdCrossed, `${awardId}:threshold:${threshold}`, when, { ...ids, threshold }),
      ...(threshold === 100 ? [createEvent(CreditsExhausted, `${awardId}:exhausted`, when, ids)] : []),
    ];
    if (await deps.usage.raiseThreshold(awardId, threshold, events)) raised.push(threshold);
  }
  return raised;
};

/**
 * After usage was counted for these awards: checks each one's thresholds. A crash between the
 * counting and this check is repaired by the counting write's redelivery on the stream.
 */
export const checkUsage = async (deps: UsageDeps, awardIds: readonly string[]) => {
  const raised: Record<string, number[]> = {};
  for (const awardId of new Set(awardIds)) raised[awardId] = await checkThresholds(deps, awardId);
  return { raised };
};

/**
 * What the award's usage can be charged: its credits while it holds them; once released
 * (revoked, closed) only what it consumed before, the rest being overage.
 */
const chargeableCents = (award: Award) =>
  ["active", "suspended", "closing"].includes(award.status)
    ? award.creditsCents
    : (award.consumption?.creditsCents ?? award.creditsCents);

/** The usage view of an award: staff, or the award's grantee (others see nothing, as for the award). */
export const readUsage = async (deps: UsageDeps, actor: Actor, awardId: string) => {
  const award = await deps.awards.get(awardId);
  if (
    !award ||
    (actor.role !== "staff" && !(actor.role === "applicant" && award.applicantId === actor.userId))
  ) {
    throw notFound(`Award ${awardId}`);
  }
  const thresholds = await thresholdsOf(deps, award.programId);
  const [totals, crossed] = await Promise.all([
    deps.usage.totals(awardId),
    deps.usage.thresholdsRaised(awardId, thresholds),
  ]);
  const remainingCents = award.creditsCents - totals.consumedCents;
  return {
    awardId,
    creditsCents: award.creditsCents,
    consumedCents: totals.consumedCents,
    remainingCents,
    percentUsed: percentUsed(totals.consumedCents, award.creditsCents),
    byDay: totals.byDay,
    forecast: forecast(totals.byDay, remainingCents, deps.clock.now()),
    thresholdsCrossed: [...crossed].sort((a, b) => a - b),
    // The ledger's side, as last settled; usage past the credits is overage until a top-up.
    settledCents: award.consumption?.creditsCents ?? 0,
    overageCents: Math.max(0, totals.consumedCents - chargeableCents(award)),
    settledAt: award.consumption?.settledAt ?? null,
  };
};
