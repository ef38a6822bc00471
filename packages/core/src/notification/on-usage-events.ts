import { notFound } from "../errors.js";
import type { EventDataOf } from "../events/define.js";
import { thresholdsReached } from "../usage/burn-down.js";
import type { CreditThresholdCrossed } from "../usage/events.js";
import type { UsageRepository } from "../usage/ports.js";
import { DEFAULT_THRESHOLDS } from "../usage/schema.js";
import { notify } from "./commands.js";
import type { AwardNotificationDeps } from "./on-award-events.js";
import { draftNotification, notificationIdFor, type Recipient } from "./schema.js";
import { creditThresholdMessage } from "./templates.js";

export type UsageNotificationDeps = AwardNotificationDeps & {
  usage: Pick<UsageRepository, "totals" | "thresholdsRaised">;
  /** The program's thresholds in percent (as the usage processor uses them); the defaults when absent. */
  thresholds?: (programId: string) => Promise<readonly number[]>;
};

// Digest rather than flood. One batch crossing 50, 80 and 95 % raises three events (each exactly
// once, by the usage processor's markers) and the grantee must get ONE notice naming all three.
// The consumers keep no state of their own; each decides from what is stored, so a redelivered
// event reaches the same decision:
//   - only the highest threshold sends. A lower threshold's event sends nothing when a higher
//     one is marked crossed OR already reached by the consumption (which is counted before any
//     marker is written, so the consumer of 50 cannot run "too early" and see itself highest
//     while 80 and 95 are still being marked: the processor raises every reached threshold,
//     and repairs a crash in between on the batch's redelivery);
//   - that notice's cause is the award and its threshold, so its id is deterministic and a
//     redelivery lands on the notice already recorded (`notify` sends nothing twice);
//   - it names the marked thresholds above the last one already notified (found by the same
//     deterministic ids), so a later batch crossing 100 % does not repeat last week's 50 %.
// The gaps: if the highest threshold's event dead-letters, the lower ones stay silent with it;
// and a crash between markers followed by a refund that drops below the unmarked threshold
// leaves the lower ones unnotified. Both are rarer than the flood they prevent.

/** The cause of the notice reporting thresholds up to `threshold`: one per award and threshold. */
export const creditThresholdCause = (awardId: string, threshold: number) =>
  `credit-threshold:${awardId}:${threshold}`;

/**
 * The thresholds the notice for `threshold` names, or undefined when it sends none because a
 * higher threshold is crossed (that one's notice covers it). `crossed` is what is marked now;
 * `reached` what the consumption reaches now (marked or about to be); `notified` the crossed
 * thresholds below `threshold` whose own notice already exists.
 */
export const creditThresholdDigest = (input: {
  threshold: number;
  crossed: readonly number[];
  reached?: readonly number[];
  notified: readonly number[];
}): number[] | undefined => {
  const crossed = [...new Set([...input.crossed, input.threshold])].sort((a, b) => a - b);
  if ([...crossed, ...(input.reached ?? [])].some((t) => t > input.threshold)) return undefined;
  const since = Math.max(0, ...input.notified.filter((t) => t < input.threshold));
  return crossed.filter((t) => t > since && t <= input.threshold);
};

export const notifyCreditThresholdCrossed = async (
  deps: UsageNotificationDeps,
  _eventId: string,
  data: EventDataOf<typeof CreditThresholdCrossed>,
) => {
  const award = await deps.awards.get(data.awardId);
  if (!award) throw notFound(`Award ${data.awardId}`);
  const proposal = await deps.proposals.get(award.proposalId);
  if (!proposal) throw notFound(`Proposal ${award.proposalId}`);
  const recipient: Recipient = {
    userId: proposal.applicantId,
    email: proposal.pi?.email ?? "",
    name: proposal.pi?.name,
  };
  const program = deps.thresholds ? await deps.thresholds(award.programId) : DEFAULT_THRESHOLDS;
  const candidates = [...new Set([...program, 100, data.threshold])];
  const [crossed, { consumedCents }] = await Promise.all([
    deps.usage.thresholdsRaised(award.awardId, candidates),
    deps.usage.totals(award.awardId),
  ]);
  const reached = thresholdsReached(consumedCents, award.creditsCents, candidates);
  const idOf = (t: number) =>
    notificationIdFor(creditThresholdCause(award.awardId, t), "credit-threshold", recipient);
  const below = crossed.filter((t) => t < data.threshold);
  const found = await Promise.all(below.map((t) => deps.mail.notifications.get(idOf(t))));
  const notified = below.filter((_, i) => found[i] !== undefined);
  const thresholds = creditThresholdDigest({ threshold: data.threshold, crossed, reached, notified });
  if (!thresholds) return { sent: false as const };
  await notify(
    deps.mail,
    draftNotification({
      cause: creditThresholdCause(award.awardId, data.threshold),
      kind: "credit-threshold",
      recipient,
      related: { proposalId: proposal.proposalId, callId: proposal.callId, awardId: award.awardId },
      message: creditThresholdMessage({
        applicantName: proposal.pi?.name,
        awardId: award.awardId,
        proposalTitle: proposal.title ?? "",
        thresholds,
        creditsCents: award.creditsCents,
        consumedCents,
      }),
    }),
  );
  return { sent: true as const, thresholds };
};
