import type { Actor } from "../actor.js";
import type { AwardRepository } from "../award/ports.js";
import type { Award, AwardStatus } from "../award/schema.js";
import type { Clock } from "../clock.js";
import { notFound } from "../errors.js";
import { createEvent, type DomainEvent } from "../events/define.js";
import { forecast, percentUsed, thresholdsReached } from "./burn-down.js";
import { CreditsExhausted, CreditThresholdCrossed, UsageRecordsRejected } from "./events.js";
import type { UsageRepository } from "./ports.js";
import { DEFAULT_THRESHOLDS, type Rejection, type StoredUsage, UsageRecord } from "./schema.js";

export interface UsageDeps {
  awards: Pick<AwardRepository, "get">;
  usage: UsageRepository;
  clock: Clock;
  /** The program's thresholds in percent; the defaults when it sets none. */
  thresholds?: (programId: string) => Promise<readonly number[]>;
}

/** Usage counts against awards that hold credits now; anything else is refused with the reason. */
const BILLABLE: AwardStatus[] = ["active", "suspended"];

const thresholdsOf = async (deps: UsageDeps, programId: string) => {
  const list = deps.thresholds ? await deps.thresholds(programId) : DEFAULT_THRESHOLDS;
  // 100 % is always watched: exhaustion rides on it.
  return [...new Set([...list, 100])].filter((t) => t > 0 && t <= 100).sort((a, b) => a - b);
};

const awardsById = async (deps: UsageDeps, awardIds: string[]) => {
  const found = new Map<string, Award | undefined>();
  // A bounded fan-out: a batch may name many awards, each a single consistent read.
  for (let i = 0; i < awardIds.length; i += 16) {
    const slice = awardIds.slice(i, i + 16);
    const got = await Promise.all(slice.map((id) => deps.awards.get(id)));
    slice.forEach((id, k) => {
      found.set(id, got[k]);
    });
  }
  return found;
};

/**
 * Validates each record of a batch on its own, at once, and stores the accepted ones for the
 * asynchronous processor. A record id repeated in the batch is accepted and stored once.
 */
export const ingestUsage = async (deps: UsageDeps, records: unknown[]) => {
  const receivedAt = deps.clock.now().toISOString();
  const rejected: Rejection[] = [];
  const parsed: Array<{ index: number; record: UsageRecord }> = [];
  records.forEach((raw, index) => {
    const recordId =
      raw && typeof raw === "object" && typeof (raw as { recordId?: unknown }).recordId === "string"
        ? (raw as { recordId: string }).recordId
        : undefined;
    const result = UsageRecord.safeParse(raw);
    if (!result.success) {
      rejected.push({
        index,
        ...(recordId ? { recordId } : {}),
        reasons: result.error.issues.map((i) => `${i.path.join(".") || "record"}: ${i.message}`),
      });
      return;
    }
    const record = result.data;
    if (record.type === "compute" && Date.parse(record.endedAt) <= Date.parse(record.startedAt)) {
      rejected.push({ index, recordId, reasons: ["endedAt: must be after startedAt"] });
      return;
    }
    parsed.push({ index, record });
  });

  const awards = await awardsById(deps, [...new Set(parsed.map((p) => p.record.awardId))]);
  const accepted = new Map<string, StoredUsage>();
  let acceptedCount = 0;
  for (const { index, record } of parsed) {
    const award = awards.get(record.awardId);
    if (!award) {
      rejected.push({
        index,
        recordId: record.recordId,
        reasons: [`awardId: award ${record.awardId} is unknown`],
      });
      continue;
    }
    if (!BILLABLE.includes(award.status)) {
      rejected.push({
        index,
        recordId: record.recordId,
        reasons: [
          `awardId: award ${record.awardId} is ${award.status}; usage counts only on active or suspended awards`,
        ],
      });
      continue;
    }
    acceptedCount++;
    // The first occurrence in the batch is the one stored; the processor counts it once anyway.
    if (!accepted.has(record.recordId)) accepted.set(record.recordId, { record, receivedAt });
  }
  if (accepted.size) await deps.usage.store([...accepted.values()]);
  return { accepted: acceptedCount, rejected: rejected.sort((a, b) => a.index - b.index) };
};

/** A bus batch: like the API, and the refused records reported as an event (once per batch event). */
export const ingestUsageEvent = async (deps: UsageDeps, eventId: string, records: unknown[]) => {
  const result = await ingestUsage(deps, records);
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
 * absent, with its events, in one transaction, so racing processors raise it once. Runs after
 * every batch, even one of duplicates only, so a crash between counting and this check is
 * repaired by the batch's redelivery (or the next batch).
 */
export const checkThresholds = async (deps: UsageDeps, awardId: string) => {
  const award = await deps.awards.get(awardId);
  if (!award) return [];
  const thresholds = await thresholdsOf(deps, award.programId);
  const { consumedCents } = await deps.usage.totals(awardId);
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

/** The stream processor: applies the records award by award, then checks each award's thresholds. */
export const processUsage = async (deps: UsageDeps, records: StoredUsage[]) => {
  const byAward = new Map<string, StoredUsage[]>();
  for (const r of records) byAward.set(r.record.awardId, [...(byAward.get(r.record.awardId) ?? []), r]);
  let counted = 0;
  let duplicates = 0;
  const raised: Record<string, number[]> = {};
  for (const [awardId, list] of byAward) {
    const result = await deps.usage.apply(awardId, list);
    counted += result.counted;
    duplicates += result.duplicates;
    raised[awardId] = await checkThresholds(deps, awardId);
  }
  return { counted, duplicates, raised };
};

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
  };
};
