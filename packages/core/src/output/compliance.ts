import type { AwardRepository } from "../award/ports.js";
import type { Award, AwardStatus } from "../award/schema.js";
import { durationSeconds } from "../duration.js";
import { notFound } from "../errors.js";
import type { Program } from "../program/schema.js";
import type { ProgramReader } from "../proposal/ports.js";
import type { OutputRepository } from "./ports.js";
import { DEFAULT_OBLIGATIONS, OBLIGATION_KINDS, type Output, type OutputKind } from "./schema.js";

// An obligation is met by one verified output of its kind. It is judged against its due date:
// before it, an unmet obligation is still pending and the award stays compliant; after it, the
// award is not compliant until an output is verified (or staff accept one). A met obligation
// whose output later fails a check (license changed, repository gone) is unmet again.

export interface ObligationState {
  kind: OutputKind;
  /** Null while the award has no term (not yet active). */
  dueAt: string | null;
  met: boolean;
  status: "met" | "pending" | "overdue";
  /** The verified outputs that meet it. */
  outputIds: string[];
  reason: string;
}

export interface Compliance {
  awardId: string;
  asOf: string;
  compliant: boolean;
  obligations: ObligationState[];
}

export interface ComplianceDeps {
  awards: Pick<AwardRepository, "get">;
  programs: ProgramReader;
  outputs: Pick<OutputRepository, "listForAward">;
}

type ProgramObligations = Pick<Program, "obligations">;

const seconds = (duration: string | undefined) => (duration ? (durationSeconds(duration) ?? 0) : 0);

/** When an obligation falls due: the award's end plus the program's delay for it (null before a term exists). */
export const dueAtOf = (
  award: Pick<Award, "endsAt">,
  program: ProgramObligations,
  kind: OutputKind,
): string | null => {
  if (!award.endsAt) return null;
  const configured = program.obligations?.[kind];
  const delay = configured ? configured.dueAfterEnd : DEFAULT_OBLIGATIONS[kind].dueAfterEnd;
  return new Date(Date.parse(award.endsAt) + seconds(delay) * 1000).toISOString();
};

/** When to remind before a due date, earliest first. */
export const remindersBefore = (dueAt: string, program: ProgramObligations): string[] =>
  [...new Set(program.obligations?.remindBefore ?? DEFAULT_OBLIGATIONS.remindBefore)]
    .map((d) => new Date(Date.parse(dueAt) - seconds(d) * 1000).toISOString())
    .sort();

const describe = (o: Output) => o.identity;

/** One obligation of an award as its outputs stand at `asOf`. */
export const judgeObligation = (
  award: Pick<Award, "endsAt">,
  program: ProgramObligations,
  outputs: readonly Output[],
  kind: OutputKind,
  asOf: string,
): ObligationState => {
  const dueAt = dueAtOf(award, program, kind);
  const mine = outputs.filter((o) => o.kind === kind);
  const verified = mine.filter((o) => o.status === "verified");
  if (verified.length)
    return {
      kind,
      dueAt,
      met: true,
      status: "met",
      outputIds: verified.map((o) => o.outputId),
      reason: `met by ${verified.map(describe).join(", ")}`,
    };
  const rejected = mine
    .filter((o) => o.status === "rejected")
    .map((o) => `${describe(o)}: ${o.override?.reason ?? o.verification?.reason ?? "rejected"}`);
  const pendingOnes = mine.filter((o) => o.status === "pending").map(describe);
  const detail = [
    ...(rejected.length ? [`rejected ${rejected.join("; ")}`] : []),
    ...(pendingOnes.length ? [`awaiting verification ${pendingOnes.join(", ")}`] : []),
  ];
  const suffix = detail.length ? ` (${detail.join("; ")})` : "";
  const overdue = dueAt !== null && Date.parse(asOf) >= Date.parse(dueAt);
  return {
    kind,
    dueAt,
    met: false,
    status: overdue ? "overdue" : "pending",
    outputIds: [],
    reason: overdue
      ? `no verified ${kind} by ${dueAt}${suffix}`
      : `no verified ${kind} yet${dueAt ? `; due ${dueAt}` : "; due once the award's term is set"}${suffix}`,
  };
};

/** An award is compliant while none of its obligations is overdue. Pure: the same records give the same answer. */
export const judgeCompliance = (
  award: Pick<Award, "awardId" | "endsAt">,
  program: ProgramObligations,
  outputs: readonly Output[],
  asOf: string,
): Compliance => {
  const obligations = OBLIGATION_KINDS.map((kind) => judgeObligation(award, program, outputs, kind, asOf));
  return {
    awardId: award.awardId,
    asOf,
    compliant: obligations.every((o) => o.status !== "overdue"),
    obligations,
  };
};

/** The compliance of an award at `asOf` (closeout asks at its end; the API asks now). */
export const evaluateCompliance = async (
  deps: ComplianceDeps,
  awardId: string,
  asOf: string,
): Promise<Compliance> => {
  const award = await deps.awards.get(awardId);
  if (!award) throw notFound(`Award ${awardId}`);
  const [program, outputs] = await Promise.all([
    deps.programs.get(award.programId),
    deps.outputs.listForAward(awardId),
  ]);
  if (!program) throw notFound(`Program ${award.programId}`);
  return judgeCompliance(award, program, outputs, asOf);
};

/** Awards that carry obligations: accepted and provisioned, running or closed out. */
export const BOUND_STATUSES: readonly AwardStatus[] = [
  "active",
  "suspended",
  "closing",
  "closed",
  "closed_noncompliant",
];

export interface ProgramCompliance {
  programId: string;
  asOf: string;
  awards: Array<Compliance & { status: AwardStatus }>;
  total: number;
  compliant: number;
  /** compliant / total, 1 for a program without bound awards. */
  rate: number;
}

export interface ProgramComplianceDeps {
  awards: Pick<AwardRepository, "listByProgram">;
  programs: ProgramReader;
  outputs: Pick<OutputRepository, "listForProgram">;
}

/** Every bound award of a program judged at `asOf`, from one read of the program's outputs. */
export const programCompliance = async (
  deps: ProgramComplianceDeps,
  programId: string,
  asOf: string,
): Promise<ProgramCompliance> => {
  const program = await deps.programs.get(programId);
  if (!program) throw notFound(`Program ${programId}`);
  const [awards, outputs] = await Promise.all([
    deps.awards.listByProgram(programId),
    deps.outputs.listForProgram(programId),
  ]);
  const byAward = new Map<string, Output[]>();
  for (const o of outputs) byAward.set(o.awardId, [...(byAward.get(o.awardId) ?? []), o]);
  const judged = awards
    .filter((a) => BOUND_STATUSES.includes(a.status))
    .sort((a, b) => a.awardId.localeCompare(b.awardId))
    .map((a) => ({ ...judgeCompliance(a, program, byAward.get(a.awardId) ?? [], asOf), status: a.status }));
  const compliant = judged.filter((a) => a.compliant).length;
  return {
    programId,
    asOf,
    awards: judged,
    total: judged.length,
    compliant,
    rate: judged.length ? Math.round((compliant / judged.length) * 10_000) / 10_000 : 1,
  };
};
