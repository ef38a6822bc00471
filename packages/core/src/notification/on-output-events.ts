import { notFound } from "../errors.js";
import type { EventDataOf } from "../events/define.js";
import type {
  ComplianceChanged,
  ObligationOverdue,
  OutputRejected,
  OutputVerified,
} from "../output/events.js";
import type { OutputKind, OutputRepository } from "../output/index.js";
import { type ObligationDeps, reminderStillDue } from "../output/obligations.js";
import { notify } from "./commands.js";
import { type AwardNotificationDeps, loadAward } from "./on-award-events.js";
import { draftNotification, staffMailbox } from "./schema.js";
import {
  complianceChangedMessage,
  obligationOverdueMessage,
  obligationReminderMessage,
  outputRejectedMessage,
  outputVerifiedMessage,
} from "./templates.js";

// The grantee hears about each of their outputs' outcomes; staff and the grantee both hear when
// an obligation stops being met and when one goes overdue; staff hear when one becomes met (the
// grantee learnt it from the output's own message).

export type OutputNotificationDeps = AwardNotificationDeps & { outputs: Pick<OutputRepository, "get"> };

const granteeOf = async (deps: AwardNotificationDeps, awardId: string) => {
  const { award, proposal, grantee, related } = await loadAward(deps, awardId);
  return { award, proposal, recipient: grantee, related };
};

const outputOf = async (deps: OutputNotificationDeps, awardId: string, outputId: string) => {
  const output = await deps.outputs.get(awardId, outputId);
  if (!output) throw notFound(`Output ${outputId}`);
  return output;
};

const outcome =
  (kind: "output-verified" | "output-rejected") =>
  async (
    deps: OutputNotificationDeps,
    eventId: string,
    data: EventDataOf<typeof OutputVerified> | EventDataOf<typeof OutputRejected>,
  ) => {
    const [who, output] = await Promise.all([
      granteeOf(deps, data.awardId),
      outputOf(deps, data.awardId, data.outputId),
    ]);
    const input = {
      applicantName: who.proposal.pi?.name,
      awardId: data.awardId,
      kind: data.kind,
      identity: output.identity,
      reason: (data.by === "override" ? output.override?.reason : output.verification?.reason) ?? "recorded",
      by: data.by,
    };
    await notify(
      deps.mail,
      draftNotification({
        cause: eventId,
        kind,
        recipient: who.recipient,
        related: who.related,
        message: kind === "output-verified" ? outputVerifiedMessage(input) : outputRejectedMessage(input),
      }),
    );
  };

export const notifyOutputVerified = outcome("output-verified");
export const notifyOutputRejected = outcome("output-rejected");

export const notifyComplianceChanged = async (
  deps: OutputNotificationDeps,
  eventId: string,
  data: EventDataOf<typeof ComplianceChanged>,
) => {
  const [who, output] = await Promise.all([
    granteeOf(deps, data.awardId),
    outputOf(deps, data.awardId, data.outputId),
  ]);
  const reason = output.override?.reason ?? output.verification?.reason ?? output.status;
  const message = (toStaff: boolean) =>
    complianceChangedMessage({
      applicantName: who.proposal.pi?.name,
      toStaff,
      awardId: data.awardId,
      obligation: data.obligation,
      met: data.met,
      identity: output.identity,
      reason,
      compliant: data.compliant,
    });
  const send = (toStaff: boolean) =>
    notify(
      deps.mail,
      draftNotification({
        cause: eventId,
        kind: "compliance-changed",
        recipient: toStaff ? staffMailbox(deps) : who.recipient,
        related: who.related,
        message: message(toStaff),
      }),
    );
  if (!data.met) await send(false);
  await send(true);
};

/**
 * The reminder step of an obligation's timer: sent unless the obligation was met or its due date
 * moved since the timer planned it. The cause names the award, obligation and moment, so a
 * retried step sends it once.
 */
export const remindObligation = async (
  deps: AwardNotificationDeps & ObligationDeps,
  awardId: string,
  obligation: OutputKind,
  at: string,
): Promise<{ sent: boolean }> => {
  const still = await reminderStillDue(deps, awardId, obligation, at);
  if (!still.due) return { sent: false };
  const who = await granteeOf(deps, awardId);
  await notify(
    deps.mail,
    draftNotification({
      cause: `${awardId}:${obligation}:reminder:${at}`,
      kind: "obligation-reminder",
      recipient: who.recipient,
      related: who.related,
      message: obligationReminderMessage({
        applicantName: who.proposal.pi?.name,
        awardId,
        obligation,
        dueAt: still.dueAt,
        now: deps.clock.now().toISOString(),
      }),
    }),
  );
  return { sent: true };
};

export const notifyObligationOverdue = async (
  deps: AwardNotificationDeps,
  eventId: string,
  data: EventDataOf<typeof ObligationOverdue>,
) => {
  const who = await granteeOf(deps, data.awardId);
  for (const toStaff of [false, true])
    await notify(
      deps.mail,
      draftNotification({
        cause: eventId,
        kind: "obligation-overdue",
        recipient: toStaff ? staffMailbox(deps) : who.recipient,
        related: who.related,
        message: obligationOverdueMessage({
          applicantName: who.proposal.pi?.name,
          toStaff,
          awardId: data.awardId,
          obligation: data.obligation,
          dueAt: data.dueAt,
        }),
      }),
    );
};
