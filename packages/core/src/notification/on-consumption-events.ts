import type { ProjectInactivated, ProjectReactivated } from "../award/events.js";
import type { EventDataOf } from "../events/define.js";
import { notify } from "./commands.js";
import { projectInactivatedMessage, projectReactivatedMessage } from "./consumption-templates.js";
import { type AwardNotificationDeps, loadAward } from "./on-award-events.js";
import { draftNotification } from "./schema.js";

// The grantee hears when the award's project is inactivated for used-up credits and when it is
// reactivated; the numbers are the award's settlement as recorded with the event.

export const notifyProjectInactivated = async (
  deps: AwardNotificationDeps,
  eventId: string,
  data: EventDataOf<typeof ProjectInactivated>,
) => {
  const { award, proposal, grantee, related } = await loadAward(deps, data.awardId);
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
  const { award, proposal, grantee, related } = await loadAward(deps, data.awardId);
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
