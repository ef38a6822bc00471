import type { ChangeRequestRepository } from "../award/change-schema.js";
import type {
  AwardExtended,
  AwardResumed,
  AwardRevoked,
  AwardSuspended,
  BudgetCommitted,
  ChangeDecided,
  ChangeRequested,
} from "../award/events.js";
import type { Award } from "../award/schema.js";
import { notFound } from "../errors.js";
import type { EventDataOf } from "../events/define.js";
import { notify } from "./commands.js";
import { type AwardNotificationDeps, grantee, loadAward } from "./on-award-events.js";
import { draftNotification, type NotificationKind, staffMailbox } from "./schema.js";
import type { MessageContent } from "./template-parts.js";
import {
  awardExtendedMessage,
  awardResumedMessage,
  awardRevokedMessage,
  awardSuspendedMessage,
  awardToppedUpMessage,
  changeDecidedMessage,
  changeRequestedMessage,
} from "./templates-changes.js";

export type ChangeNotificationDeps = AwardNotificationDeps & { changes: ChangeRequestRepository };

const mustGetChange = async (deps: ChangeNotificationDeps, awardId: string, changeId: string) => {
  const change = await deps.changes.get(awardId, changeId);
  if (!change) throw notFound(`Change request ${changeId}`);
  return change;
};

export const notifyChangeRequested = async (
  deps: ChangeNotificationDeps,
  eventId: string,
  data: EventDataOf<typeof ChangeRequested>,
) => {
  const change = await mustGetChange(deps, data.awardId, data.changeId);
  const { award, proposal } = await loadAward(deps, data.awardId);
  await notify(
    deps.mail,
    draftNotification({
      cause: eventId,
      kind: "change-requested",
      recipient: staffMailbox(deps),
      related: { proposalId: proposal.proposalId, callId: proposal.callId, awardId: award.awardId },
      message: changeRequestedMessage({
        awardId: award.awardId,
        changeId: change.changeId,
        proposalTitle: proposal.title ?? "",
        kind: change.kind,
        requested: change.requested,
        justification: change.justification,
      }),
    }),
  );
};

export const notifyChangeDecided = async (
  deps: ChangeNotificationDeps,
  eventId: string,
  data: EventDataOf<typeof ChangeDecided>,
) => {
  const change = await mustGetChange(deps, data.awardId, data.changeId);
  if (!change.decision) throw notFound(`The decision on change request ${change.changeId}`);
  const { award, proposal } = await loadAward(deps, data.awardId);
  await notify(
    deps.mail,
    draftNotification({
      cause: eventId,
      kind: "change-decided",
      recipient: grantee(proposal),
      related: { proposalId: proposal.proposalId, callId: proposal.callId, awardId: award.awardId },
      message: changeDecidedMessage({
        applicantName: proposal.pi?.name,
        awardId: award.awardId,
        proposalTitle: proposal.title ?? "",
        kind: change.kind,
        decision: data.decision,
        requested: change.requested,
        granted: change.decision.granted,
        rationale: change.decision.rationale,
      }),
    }),
  );
};

type HistoryEntry = Award["history"][number];

/**
 * The reason staff gave for the action an event reports: its entry in the award's history
 * (written with the event, at the same instant), without the prefix the command put before it.
 */
const staffReason = (
  award: Award,
  occurredAt: string,
  prefix: RegExp,
  entryOf?: (h: HistoryEntry) => boolean,
) => {
  const entry = award.history.findLast(
    (h) => (entryOf ? entryOf(h) : h.at === occurredAt) && prefix.test(h.reason),
  );
  return entry ? entry.reason.replace(prefix, "") : "no reason was recorded";
};

/** Tells the grantee about a staff action on their award. */
const tellGrantee = async (
  deps: ChangeNotificationDeps,
  eventId: string,
  awardId: string,
  kind: NotificationKind,
  message: (
    award: Award,
    base: { applicantName?: string; awardId: string; proposalTitle: string },
  ) => MessageContent,
) => {
  const { award, proposal } = await loadAward(deps, awardId);
  await notify(
    deps.mail,
    draftNotification({
      cause: eventId,
      kind,
      recipient: grantee(proposal),
      related: { proposalId: proposal.proposalId, callId: proposal.callId, awardId: award.awardId },
      message: message(award, {
        applicantName: proposal.pi?.name,
        awardId: award.awardId,
        proposalTitle: proposal.title ?? "",
      }),
    }),
  );
};

type Meta = { eventId: string; occurredAt: string };

/** A staff top-up (an approved supplement is told by its decision instead). */
export const notifyAwardToppedUp = async (
  deps: ChangeNotificationDeps,
  meta: Meta,
  data: EventDataOf<typeof BudgetCommitted>,
) => {
  if (data.kind !== "topup" || data.changeId) return;
  await tellGrantee(deps, meta.eventId, data.awardId, "award-topped-up", (award, base) =>
    awardToppedUpMessage({
      ...base,
      cashCents: data.cashCents,
      creditsCents: data.creditsCents,
      totalCashCents: award.cashCents,
      totalCreditsCents: award.creditsCents,
      reason: staffReason(award, meta.occurredAt, /^top-up: /),
    }),
  );
};

/** A staff extension (an approved no-cost extension is told by its decision instead). */
export const notifyAwardExtended = async (
  deps: ChangeNotificationDeps,
  meta: Meta,
  data: EventDataOf<typeof AwardExtended>,
) => {
  if (data.changeId) return;
  await tellGrantee(deps, meta.eventId, data.awardId, "award-extended", (award, base) =>
    awardExtendedMessage({
      ...base,
      endsAt: data.endsAt,
      reason: staffReason(award, meta.occurredAt, /^extended \d+ months?: /),
    }),
  );
};

export const notifyAwardSuspended = (
  deps: ChangeNotificationDeps,
  meta: Meta,
  data: EventDataOf<typeof AwardSuspended>,
) =>
  tellGrantee(deps, meta.eventId, data.awardId, "award-suspended", (award, base) =>
    awardSuspendedMessage({ ...base, reason: staffReason(award, meta.occurredAt, /^/) }),
  );

export const notifyAwardResumed = (
  deps: ChangeNotificationDeps,
  meta: Meta,
  data: EventDataOf<typeof AwardResumed>,
) =>
  tellGrantee(deps, meta.eventId, data.awardId, "award-resumed", (award, base) =>
    awardResumedMessage({ ...base, reason: staffReason(award, meta.occurredAt, /^/) }),
  );

export const notifyAwardRevoked = (
  deps: ChangeNotificationDeps,
  meta: Meta,
  data: EventDataOf<typeof AwardRevoked>,
) =>
  tellGrantee(deps, meta.eventId, data.awardId, "award-revoked", (award, base) =>
    awardRevokedMessage({
      ...base,
      reason: staffReason(award, meta.occurredAt, /^revoked: /, (h) => h.status === "revoked"),
    }),
  );
