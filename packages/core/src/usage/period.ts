import type { Award } from "../award/schema.js";
import type { UsageRecord } from "./schema.js";

// Usage counts only within the award's life: from the moment it became active to its end.

/**
 * How far a provider's timestamps may lie beyond Allot's clock or the award's bounds: the five
 * minutes AWS itself tolerates between a client's clock and its own (SigV4 request signing).
 */
export const CLOCK_SKEW_MS = 5 * 60_000;
export const CLOCK_SKEW_MINUTES = CLOCK_SKEW_MS / 60_000;

/**
 * Records that arrive after the award's end are still accepted for this long (late usage: the
 * provider's accounting runs behind its jobs); closeout may settle the award's ledger after it.
 */
export const LATE_USAGE_DAYS = 30;
const DAY_MS = 86_400_000;

/** When the award first became active (resuming after a suspension does not move it). */
export const activeSince = (award: Award): string | undefined =>
  award.history?.find((h) => h.status === "active")?.at ?? award.provider?.provisionedAt ?? award.startsAt;

/** The end of the award's life: its period's end, or an earlier closeout (its start). */
export const lifeEndsAt = (award: Award): string | undefined => {
  const closed = award.history?.find((h) =>
    ["closing", "closed", "closed_noncompliant"].includes(h.status),
  )?.at;
  if (!closed) return award.endsAt;
  if (!award.endsAt) return closed;
  return Date.parse(closed) < Date.parse(award.endsAt) ? closed : award.endsAt;
};

/** The last moment a record for the award is accepted, late usage included. */
export const lateUsageUntil = (award: Award): string | undefined => {
  const end = lifeEndsAt(award);
  return end ? new Date(Date.parse(end) + LATE_USAGE_DAYS * DAY_MS).toISOString() : undefined;
};

/** Why the record lies outside the award's life or Allot's present; empty when it does not. */
export const periodProblems = (record: UsageRecord, award: Award, now: Date): string[] => {
  const problems: string[] = [];
  const until = lateUsageUntil(award);
  if (until && now.getTime() > Date.parse(until)) {
    problems.push(
      `awardId: award ${award.awardId} ended at ${lifeEndsAt(award)}; its usage was accepted until ` +
        `${until} (${LATE_USAGE_DAYS} days after the end) and is closed now`,
    );
  }
  if (record.type !== "compute") return problems;
  const started = Date.parse(record.startedAt);
  const ended = Date.parse(record.endedAt);
  if (ended <= started) problems.push("endedAt: must be after startedAt");
  const since = activeSince(award);
  if (since && started < Date.parse(since) - CLOCK_SKEW_MS) {
    problems.push(`startedAt: ${record.startedAt} is before award ${award.awardId} became active (${since})`);
  }
  const end = lifeEndsAt(award);
  if (end && ended > Date.parse(end) + CLOCK_SKEW_MS) {
    problems.push(`endedAt: ${record.endedAt} is after award ${award.awardId} ended (${end})`);
  }
  if (ended > now.getTime() + CLOCK_SKEW_MS) {
    // No clock reading in the reason: the same batch sent again must get the same answer.
    problems.push(
      `endedAt: ${record.endedAt} is in the future by Allot's clock ` +
        `(${CLOCK_SKEW_MINUTES} minutes of clock skew are tolerated)`,
    );
  }
  return problems;
};
