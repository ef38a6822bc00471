import type { Actor } from "../actor.js";
import type { LedgerRepository } from "../award/ledger.js";
import type { AwardRepository } from "../award/ports.js";
import { awardIdFor } from "../award/schema.js";
import type { Clock } from "../clock.js";
import { forbidden, notFound } from "../errors.js";
import { programCompliance } from "../output/compliance.js";
import type { OutputRepository } from "../output/ports.js";
import type { Output } from "../output/schema.js";
import type { CallReader, ProgramReader, ProposalRepository } from "../proposal/ports.js";
import { budgetOverTime } from "./budget.js";
import { funnelOf } from "./funnel.js";
import { outputsReportOf } from "./outputs.js";
import type { Interval } from "./periods.js";
import type { UtilizationRepository } from "./ports.js";
import { hoursOfDays, utilizationDays, utilizationOf } from "./utilization.js";

export interface ReportDeps {
  calls: CallReader;
  programs: ProgramReader;
  proposals: Pick<ProposalRepository, "listByCall">;
  awards: Pick<AwardRepository, "getMany" | "listByProgram">;
  ledger: Pick<LedgerRepository, "entriesForProgram">;
  utilization: UtilizationRepository;
  outputs: Pick<OutputRepository, "listForProgram">;
  clock: Clock;
}

const staffOnly = (actor: Actor) => {
  if (actor.role !== "staff") throw forbidden("Only program staff read reports");
};

const programOf = async (deps: Pick<ReportDeps, "programs">, programId: string) => {
  const program = await deps.programs.get(programId);
  if (!program) throw notFound(`Program ${programId}`);
  return program;
};

/**
 * Cost: one query of the call's proposals (gsi2, one partition, paged) and a batch read of the
 * approved proposals' awards (100 keys a request).
 */
export const callFunnel = async (deps: ReportDeps, actor: Actor, callId: string) => {
  staffOnly(actor);
  if (!(await deps.calls.get(callId))) throw notFound(`Call ${callId}`);
  const proposals = await deps.proposals.listByCall(callId);
  const approved = proposals.filter((p) => p.decision?.outcome === "approve");
  const awards = approved.length
    ? await deps.awards.getMany(approved.map((p) => awardIdFor(p.proposalId)))
    : [];
  return funnelOf(callId, proposals, awards);
};

/**
 * Cost: one query of the program's ledger (gsi1, one partition, paged): a few entries per award,
 * so about 1 MB (≈ 250 read units, eventually consistent) per 3,000 awards.
 */
export const programBudget = async (
  deps: ReportDeps,
  actor: Actor,
  programId: string,
  query: { interval?: Interval; from?: string; to?: string },
) => {
  staffOnly(actor);
  await programOf(deps, programId);
  const entries = await deps.ledger.entriesForProgram(programId);
  return budgetOverTime(programId, entries, {
    interval: query.interval ?? "day",
    from: query.from,
    to: query.to ?? deps.clock.now().toISOString(),
  });
};

/** The default utilization range: the 30 days up to today. */
const DEFAULT_DAYS = 30;

/**
 * Cost: per day, 24 slot items (batch reads of 100 keys) and one item per usage shard (8 queries
 * over the range): ≤ 2,208 + 736 small items for the longest range, whatever the awards.
 */
export const programUtilization = async (
  deps: ReportDeps,
  actor: Actor,
  programId: string,
  query: { from?: string; to?: string },
) => {
  staffOnly(actor);
  const program = await programOf(deps, programId);
  const today = deps.clock.now().toISOString().slice(0, 10);
  const to = query.to ?? (query.from && query.from > today ? query.from : today);
  const from =
    query.from ??
    new Date(Date.parse(`${to}T00:00:00Z`) - (DEFAULT_DAYS - 1) * 86_400_000).toISOString().slice(0, 10);
  const days = utilizationDays(from, to);
  const [booked, used] = await Promise.all([
    deps.utilization.bookedChips(programId, hoursOfDays(days)),
    deps.utilization.usedChipSeconds(programId, from, to),
  ]);
  return utilizationOf(programId, days, program.cluster.chips, booked, used);
};

/**
 * Cost: one query of the program's outputs (one index partition) and one of its awards; the
 * compliance judgement reads the same outputs, not a second time.
 */
export const programOutputs = async (deps: ReportDeps, actor: Actor, programId: string) => {
  staffOnly(actor);
  await programOf(deps, programId);
  let read: Promise<Output[]> | undefined;
  const outputs = { listForProgram: (id: string) => (read ??= deps.outputs.listForProgram(id)) };
  const compliance = await programCompliance({ ...deps, outputs }, programId, deps.clock.now().toISOString());
  return outputsReportOf(await outputs.listForProgram(programId), compliance);
};
