import type { AwardRepository } from "../award/ports.js";
import type { Award, AwardStatus } from "../award/schema.js";
import type { Clock } from "../clock.js";
import { createEvent } from "../events/define.js";
import type { ProgramReader } from "../proposal/ports.js";
import { dueAtOf, judgeObligation, remindersBefore } from "./compliance.js";
import { ObligationOverdue } from "./events.js";
import type { ObligationTimers, OutputRepository } from "./ports.js";
import { OBLIGATION_KINDS, type OutputKind } from "./schema.js";

// Each obligation of each award has a durable timer (the obligation-timer machine): it plans its
// next step, waits until then, acts, and plans again. Every step re-reads the award, because an
// extension moves `endsAt` and with it every due date: a reminder planned for the old date is
// dropped, and the plan that follows waits for the new one.

export interface ObligationDeps {
  awards: Pick<AwardRepository, "get">;
  programs: ProgramReader;
  outputs: Pick<OutputRepository, "listForAward" | "recordOverdue">;
  clock: Clock;
}

/** Awards whose obligations no longer run: never started, or ended without a grant. */
const UNBOUND: readonly AwardStatus[] = ["offered", "declined", "lapsed", "provisioning_failed", "revoked"];

export type ObligationStep = { step: "remind" | "overdue"; at: string; dueAt: string } | { step: "done" };

const current = async (deps: ObligationDeps, awardId: string, obligation: OutputKind) => {
  const award = await deps.awards.get(awardId);
  if (!award || UNBOUND.includes(award.status)) return undefined;
  const program = await deps.programs.get(award.programId);
  if (!program) return undefined;
  const dueAt = dueAtOf(award, program, obligation);
  if (!dueAt) return undefined;
  const outputs = await deps.outputs.listForAward(awardId);
  const met = judgeObligation(award, program, outputs, obligation, deps.clock.now().toISOString()).met;
  return { award, program, dueAt, met };
};

/** Started when the award becomes active; one timer per obligation, named by award and obligation. */
export const startObligationTimers = async (deps: { timers: ObligationTimers }, awardId: string) => {
  for (const obligation of OBLIGATION_KINDS) await deps.timers.start({ awardId, obligation });
};

/**
 * The next step after `after` (the step just taken, or "" at the start): the next reminder still
 * ahead while the obligation is unmet, else the due date itself, where overdue is judged. A
 * reminder whose moment passed unobserved (the award started late) is skipped, not sent late.
 */
export const planObligation = async (
  deps: ObligationDeps,
  awardId: string,
  obligation: OutputKind,
  after: string,
): Promise<ObligationStep> => {
  const state = await current(deps, awardId, obligation);
  if (!state) return { step: "done" };
  const { program, dueAt, met } = state;
  const now = deps.clock.now().getTime();
  const isAfter = (at: string) => !after || Date.parse(at) > Date.parse(after);
  if (!isAfter(dueAt)) return { step: "done" };
  const reminder = met
    ? undefined
    : remindersBefore(dueAt, program).find((at) => isAfter(at) && Date.parse(at) >= now);
  return reminder ? { step: "remind", at: reminder, dueAt } : { step: "overdue", at: dueAt, dueAt };
};

/** Whether the reminder planned for `at` is still wanted: the obligation unmet and its due date unmoved. */
export const reminderStillDue = async (
  deps: ObligationDeps,
  awardId: string,
  obligation: OutputKind,
  at: string,
): Promise<{ due: true; award: Award; dueAt: string } | { due: false }> => {
  const state = await current(deps, awardId, obligation);
  if (!state || state.met || !remindersBefore(state.dueAt, state.program).includes(at)) return { due: false };
  return { due: true, award: state.award, dueAt: state.dueAt };
};

/**
 * At a due date (`at`, as planned): an obligation still unmet is recorded overdue, once, with its
 * event (staff and the grantee are told by its consumer). A due date that moved meanwhile is
 * left to the next plan.
 */
export const recordObligationOverdue = async (
  deps: ObligationDeps,
  awardId: string,
  obligation: OutputKind,
  at: string,
): Promise<{ overdue: boolean }> => {
  const state = await current(deps, awardId, obligation);
  if (!state || state.met || state.dueAt !== at) return { overdue: false };
  const now = deps.clock.now().toISOString();
  if (Date.parse(now) < Date.parse(state.dueAt)) return { overdue: false };
  await deps.outputs.recordOverdue({ awardId, obligation, dueAt: state.dueAt, at: now }, [
    createEvent(ObligationOverdue, `${awardId}:${obligation}:overdue:${state.dueAt}`, now, {
      awardId,
      programId: state.award.programId,
      obligation,
      dueAt: state.dueAt,
    }),
  ]);
  return { overdue: true };
};
