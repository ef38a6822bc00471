import type { ProjectInactivated, ProjectReactivated } from "../award/events.js";
import { notFound } from "../errors.js";
import type { EventDataOf } from "../events/define.js";
import { notify } from "./commands.js";
import { projectInactivatedMessage, projectReactivatedMessage } from "./consumption-templates.js";
import type { AwardNotificationDeps } from "./on-award-events.js";
import { draftNotification } from "./schema.js";

// The grantee hears when the award's project is inactivated for used-up credits and when it is
// reactivated; the numbers are the award's settlement as recorded with the event.

const load = async (deps: AwardNotificationDeps, awardId: string) => {
  const award = await deps.awards.get(awardId);
  if (!award) throw notFound(`Award ${awardId}`);
  const proposal = await deps.proposals.get(award.proposalId);
  if (!proposal) throw notFound(`Proposal ${award.proposalId}`);
  const grantee = { userId: award.applicantId, email: proposal.pi?.email ?? "", name: proposal.pi?.name };
  const related = { proposalId: proposal.proposalId, callId: proposal.callId, awardId };
  return { award, proposal, grantee, related };
};

export const notifyProjectInactivated = async (
  deps: AwardNotificationDeps,
  eventId: string,
  data: EventDataOf<typeof ProjectInactivated>,
) => {
  const { award, proposal, grantee, related } = await load(deps, data.awardId);
  await notify(
    deps.mail,
    draftNotification({
      cause: eventId,
      kind: "project-inactivated",
      recipient: grantee,
      related,
      message: projectInactivatedMessage({
        applicantName: proposal.pi?.name,
        awardId: award.awardId,
        proposalTitle: proposal.title ?? "",
        creditsCents: award.consumption?.creditsCents ?? award.creditsCents,
        overageCents: award.consumption?.overageCents ?? 0,
      }),
    }),
  );
};

export const notifyProjectReactivated = async (
  deps: AwardNotificationDeps,
  eventId: string,
  data: EventDataOf<typeof ProjectReactivated>,
) => {
  const { award, proposal, grantee, related } = await load(deps, data.awardId);
  await notify(
    deps.mail,
    draftNotification({
      cause: eventId,
      kind: "project-reactivated",
      recipient: grantee,
      related,
      message: projectReactivatedMessage({
        applicantName: proposal.pi?.name,
        awardId: award.awardId,
        proposalTitle: proposal.title ?? "",
        remainingCents: Math.max(0, award.creditsCents - (award.consumption?.creditsCents ?? 0)),
      }),
    }),
  );
};
