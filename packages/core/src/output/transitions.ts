import type { DomainEvent } from "../events/define.js";
import { createEvent } from "../events/define.js";
import type { Program } from "../program/schema.js";
import { judgeCompliance, judgeObligation } from "./compliance.js";
import { ComplianceChanged, OutputRejected, OutputVerified } from "./events.js";
import type { Output, OutputEvent, OutputStatus } from "./schema.js";

// One place decides what a change of an output's status emits: its own event, and a
// ComplianceChanged when the obligation of its kind becomes met or stops being met. The events
// are written with the output in one transaction, so the change and its news cannot part.

export const withEvent = (output: Output, entry: OutputEvent, changes: Partial<Output> = {}): Output => ({
  ...output,
  ...changes,
  history: [...output.history, entry],
  revision: output.revision + 1,
});

/**
 * The events of `after` replacing `before` among the award's outputs. Met-ness is judged on the
 * award's other outputs as read: two outputs of one award changing at the same instant may
 * each miss the other (a rare, self-correcting race: the next check or read judges again).
 */
export const eventsOfChange = (input: {
  before: Output;
  after: Output;
  siblings: readonly Output[];
  award: { awardId: string; endsAt?: string };
  program: Pick<Program, "obligations">;
  by: "check" | "override";
  at: string;
}): DomainEvent[] => {
  const { before, after, siblings, award, program, by, at } = input;
  if (before.status === after.status) return [];
  const eventId = `${after.outputId}:r${after.revision}`;
  const data = {
    outputId: after.outputId,
    awardId: after.awardId,
    programId: after.programId,
    kind: after.kind,
    by,
  };
  const events: DomainEvent[] = [];
  if (after.status === "verified") events.push(createEvent(OutputVerified, eventId, at, data));
  if (after.status === "rejected") events.push(createEvent(OutputRejected, eventId, at, data));
  const others = siblings.filter((o) => o.outputId !== after.outputId);
  const metBefore = judgeObligation(award, program, [...others, before], after.kind, at).met;
  const metAfter = judgeObligation(award, program, [...others, after], after.kind, at).met;
  if (metBefore !== metAfter)
    events.push(
      createEvent(ComplianceChanged, `${eventId}:compliance`, at, {
        awardId: after.awardId,
        programId: after.programId,
        obligation: after.kind,
        met: metAfter,
        compliant: judgeCompliance(award, program, [...others, after], at).compliant,
        outputId: after.outputId,
      }),
    );
  return events;
};

export const isFinal = (status: OutputStatus): status is "verified" | "rejected" => status !== "pending";
