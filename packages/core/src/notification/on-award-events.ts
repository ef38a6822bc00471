import type {
  AwardCommitRefused,
  AwardOffered,
  CreditsProvisioned,
  ProvisioningFailed,
} from "../award/events.js";
import type { AwardRepository } from "../award/ports.js";
import { OBLIGATIONS } from "../award/schema.js";
import { notFound } from "../errors.js";
import type { EventDataOf } from "../events/define.js";
import { notify } from "./commands.js";
import type { NotificationEventDeps } from "./on-events.js";
import { draftNotification, staffMailbox } from "./schema.js";
import {
  awardOfferMessage,
  commitRefusedMessage,
  creditsDelayedMessage,
  creditsProvisionedMessage,
  provisioningFailedMessage,
} from "./templates.js";

export type AwardNotificationDeps = NotificationEventDeps & { awards: AwardRepository };

export const grantee = (p: { applicantId: string; pi?: { email: string; name: string } }) => ({
  userId: p.applicantId,
  email: p.pi?.email ?? "",
  name: p.pi?.name,
});

/** An award's notice needs its proposal (the PI's mail, the title): the grantee and what it relates to. */
export const loadAward = async (deps: AwardNotificationDeps, awardId: string) => {
  const award = await deps.awards.get(awardId);
  if (!award) throw notFound(`Award ${awardId}`);
  const proposal = await deps.proposals.get(award.proposalId);
  if (!proposal) throw notFound(`Proposal ${award.proposalId}`);
  const related = { proposalId: proposal.proposalId, callId: proposal.callId, awardId };
  return { award, proposal, grantee: grantee(proposal), related };
};

export const notifyAwardOffered = async (
  deps: AwardNotificationDeps,
  eventId: string,
  data: EventDataOf<typeof AwardOffered>,
) => {
  const { award, proposal } = await loadAward(deps, data.awardId);
  await notify(
    deps.mail,
    draftNotification({
      cause: eventId,
      kind: "award-offer",
      recipient: grantee(proposal),
      related: { proposalId: proposal.proposalId, callId: proposal.callId, awardId: award.awardId },
      message: awardOfferMessage({
        applicantName: proposal.pi?.name,
        awardId: award.awardId,
        proposalTitle: proposal.title ?? "",
        cashCents: award.cashCents,
        creditsCents: award.creditsCents,
        periodMonths: award.periodMonths,
        offerExpiresAt: award.offerExpiresAt,
        obligations: OBLIGATIONS,
      }),
    }),
  );
};

export const notifyCreditsProvisioned = async (
  deps: AwardNotificationDeps,
  eventId: string,
  data: EventDataOf<typeof CreditsProvisioned>,
) => {
  const { award, proposal } = await loadAward(deps, data.awardId);
  if (!award.provider) throw notFound(`The allocation of ${award.awardId}`);
  await notify(
    deps.mail,
    draftNotification({
      cause: eventId,
      kind: "credits-provisioned",
      recipient: grantee(proposal),
      related: { proposalId: proposal.proposalId, callId: proposal.callId, awardId: award.awardId },
      message: creditsProvisionedMessage({
        applicantName: proposal.pi?.name,
        awardId: award.awardId,
        proposalTitle: proposal.title ?? "",
        creditsCents: award.creditsCents,
        access: award.provider.access,
        endsAt: award.endsAt,
      }),
    }),
  );
};

export const notifyProvisioningFailed = async (
  deps: AwardNotificationDeps,
  eventId: string,
  data: EventDataOf<typeof ProvisioningFailed>,
) => {
  const { award, proposal } = await loadAward(deps, data.awardId);
  await notify(
    deps.mail,
    draftNotification({
      cause: eventId,
      kind: "credits-delayed",
      recipient: grantee(proposal),
      related: { proposalId: proposal.proposalId, callId: proposal.callId, awardId: award.awardId },
      message: creditsDelayedMessage({
        applicantName: proposal.pi?.name,
        awardId: award.awardId,
        proposalTitle: proposal.title ?? "",
        reason: data.error,
      }),
    }),
  );
  await notify(
    deps.mail,
    draftNotification({
      cause: eventId,
      kind: "provisioning-failed",
      recipient: staffMailbox(deps),
      related: { proposalId: data.proposalId, awardId: data.awardId },
      message: provisioningFailedMessage({
        awardId: data.awardId,
        proposalId: data.proposalId,
        error: data.error,
      }),
    }),
  );
};

export const notifyCommitRefused = async (
  deps: AwardNotificationDeps,
  eventId: string,
  data: EventDataOf<typeof AwardCommitRefused>,
) => {
  const proposal = await deps.proposals.get(data.proposalId);
  if (!proposal) throw notFound(`Proposal ${data.proposalId}`);
  const refusal = proposal.revisedDecisions?.at(-1)?.refusal ?? "the budget could not cover it";
  await notify(
    deps.mail,
    draftNotification({
      cause: eventId,
      kind: "commit-refused",
      recipient: staffMailbox(deps),
      related: { proposalId: proposal.proposalId, callId: proposal.callId },
      message: commitRefusedMessage({
        proposalId: proposal.proposalId,
        proposalTitle: proposal.title ?? "",
        refusal,
      }),
    }),
  );
};
