import { notFound } from "../errors.js";
import type { EventDataOf } from "../events/define.js";
import type { ReservationGranted } from "../reservation/events.js";
import { notify } from "./commands.js";
import type { AwardNotificationDeps } from "./on-award-events.js";
import { draftNotification } from "./schema.js";
import { reservationGrantedMessage } from "./templates.js";

/**
 * `Reservation Granted` from the queue (`fromQueue`): the grantee waited on a 202 and learns here
 * that the chips are theirs. A grant at once was answered by its 201, so it sends nothing. The
 * cause is the event id: a redelivery lands on the notification already recorded.
 */
export const notifyReservationGranted = async (
  deps: AwardNotificationDeps,
  eventId: string,
  data: EventDataOf<typeof ReservationGranted>,
) => {
  if (!data.fromQueue) return { sent: false as const };
  const award = await deps.awards.get(data.awardId);
  if (!award) throw notFound(`Award ${data.awardId}`);
  const proposal = await deps.proposals.get(award.proposalId);
  if (!proposal) throw notFound(`Proposal ${award.proposalId}`);
  await notify(
    deps.mail,
    draftNotification({
      cause: eventId,
      kind: "reservation-granted",
      recipient: { userId: proposal.applicantId, email: proposal.pi?.email ?? "", name: proposal.pi?.name },
      related: { proposalId: proposal.proposalId, callId: proposal.callId, awardId: award.awardId },
      message: reservationGrantedMessage({
        applicantName: proposal.pi?.name,
        awardId: award.awardId,
        reservationId: data.reservationId,
        chips: data.chips,
        startsAt: data.startsAt,
        endsAt: data.endsAt,
        holdCents: data.holdCents,
      }),
    }),
  );
  return { sent: true as const };
};
