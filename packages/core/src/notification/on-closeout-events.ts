import type {
  AwardClosed,
  AwardClosing,
  CloseoutFailed,
  FinalReportRequested,
} from "../award/closeout-events.js";
import { notFound } from "../errors.js";
import type { EventDataOf } from "../events/define.js";
import {
  awardClosedMessage,
  closeoutFailedMessage,
  closeoutStartedMessage,
  finalReportRequestedMessage,
} from "./closeout-templates.js";
import { notify } from "./commands.js";
import { type AwardNotificationDeps, loadAward } from "./on-award-events.js";
import { draftNotification, staffMailbox } from "./schema.js";

// The closeout's notices: the grantee and the staff mailbox hear of its start and its end; the
// grantee alone is asked for the final report. Read at sending time from the award's record.

const load = async (deps: AwardNotificationDeps, awardId: string) => {
  const { award, proposal, grantee, related } = await loadAward(deps, awardId);
  if (!award.closeout) throw notFound(`The closeout of award ${awardId}`);
  const staff = staffMailbox(deps);
  return { award, closeout: award.closeout, proposal, grantee, staff, related };
};

export const notifyCloseoutStarted = async (
  deps: AwardNotificationDeps,
  eventId: string,
  data: EventDataOf<typeof AwardClosing>,
) => {
  const { closeout, proposal, grantee, staff, related } = await load(deps, data.awardId);
  for (const [recipient, toStaff] of [
    [grantee, false],
    [staff, true],
  ] as const) {
    await notify(
      deps.mail,
      draftNotification({
        cause: eventId,
        kind: "closeout-started",
        recipient,
        related,
        message: closeoutStartedMessage({
          applicantName: proposal.pi?.name,
          awardId: data.awardId,
          proposalTitle: proposal.title ?? "",
          reason: closeout.reason,
          graceEndsAt: data.graceEndsAt,
          toStaff,
        }),
      }),
    );
  }
};

export const notifyFinalReportRequested = async (
  deps: AwardNotificationDeps,
  eventId: string,
  data: EventDataOf<typeof FinalReportRequested>,
) => {
  const { award, proposal, grantee, related } = await load(deps, data.awardId);
  await notify(
    deps.mail,
    draftNotification({
      cause: eventId,
      kind: "final-report-requested",
      recipient: grantee,
      related,
      message: finalReportRequestedMessage({
        applicantName: proposal.pi?.name,
        awardId: award.awardId,
        proposalTitle: proposal.title ?? "",
        cashCents: award.cashCents,
        dueAt: data.dueAt,
      }),
    }),
  );
};

export const notifyAwardClosed = async (
  deps: AwardNotificationDeps,
  eventId: string,
  data: EventDataOf<typeof AwardClosed>,
) => {
  const { closeout, proposal, grantee, staff, related } = await load(deps, data.awardId);
  for (const [recipient, toStaff] of [
    [grantee, false],
    [staff, true],
  ] as const) {
    await notify(
      deps.mail,
      draftNotification({
        cause: eventId,
        kind: "award-closed",
        recipient,
        related,
        message: awardClosedMessage({
          applicantName: proposal.pi?.name,
          awardId: data.awardId,
          proposalTitle: proposal.title ?? "",
          compliant: data.status === "closed",
          reasons: closeout.compliance?.reasons ?? [],
          consumedCents: closeout.credits?.consumedCents,
          returnedCreditsCents: closeout.credits?.returnedCents,
          cashSpentCents: closeout.cash?.spentCents,
          returnedCashCents: closeout.cash?.returnedCents,
          toStaff,
        }),
      }),
    );
  }
};

/** Staff alone: a closeout run failed for good and waits for their resume. */
export const notifyCloseoutFailed = async (
  deps: AwardNotificationDeps,
  eventId: string,
  data: EventDataOf<typeof CloseoutFailed>,
) => {
  const { staff, related } = await load(deps, data.awardId);
  await notify(
    deps.mail,
    draftNotification({
      cause: eventId,
      kind: "closeout-failed",
      recipient: staff,
      related,
      message: closeoutFailedMessage({ awardId: data.awardId, attempt: data.attempt, error: data.error }),
    }),
  );
};
