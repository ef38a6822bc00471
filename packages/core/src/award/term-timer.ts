import type { AwardTermTimer, CloseoutDeps, CloseoutWorkflow } from "./closeout-ports.js";
import { now, RUNNING } from "./closeout-record.js";

export const TERM_ENDED = "the award's term ended";

/** Event consumer on an award's activation: arms its term timer (idempotent by award). */
export const startAwardTerm = async (
  deps: Pick<CloseoutDeps, "awards"> & { termTimer: AwardTermTimer },
  awardId: string,
) => {
  const award = await deps.awards.get(awardId);
  if (!award?.endsAt || !RUNNING.includes(award.status)) return { started: false };
  await deps.termTimer.start({ awardId, endsAt: award.endsAt });
  return { started: true };
};

/**
 * The term timer woke at what it knew as the award's end. An extension moved the end: wait again
 * until the new one. A running award whose end has come: start its closeout. Anything else
 * (revoked, closing already through an early closeout): the timer ends.
 */
export const checkAwardTerm = async (
  deps: Pick<CloseoutDeps, "awards" | "clock"> & { closeout: Pick<CloseoutWorkflow, "start"> },
  awardId: string,
): Promise<{ next: "wait" | "closeout" | "end"; endsAt: string }> => {
  const award = await deps.awards.get(awardId);
  const endsAt = award?.endsAt ?? now(deps);
  if (!award?.endsAt || !RUNNING.includes(award.status)) return { next: "end", endsAt };
  if (Date.parse(award.endsAt) > deps.clock.now().getTime()) return { next: "wait", endsAt };
  await deps.closeout.start({ awardId, reason: TERM_ENDED, early: false });
  return { next: "closeout", endsAt };
};
