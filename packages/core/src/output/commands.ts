import type { Actor } from "../actor.js";
import type { AwardRepository } from "../award/ports.js";
import type { Award, AwardStatus } from "../award/schema.js";
import type { Clock } from "../clock.js";
import { conflict, fieldIssuesOf, notFound, validationError } from "../errors.js";
import { createEvent } from "../events/define.js";
import type { ProgramReader } from "../proposal/ports.js";
import {
  type Compliance,
  evaluateCompliance,
  type ProgramCompliance,
  programCompliance,
} from "./compliance.js";
import { OutputRegistered } from "./events.js";
import {
  type Parsed,
  paperIdentity,
  parseArxivId,
  parseDoi,
  parseRepositoryUrl,
  repositoryIdentity,
  repositoryUrl,
} from "./identity.js";
import type { OutputRepository, PaperRef, VerificationRuns } from "./ports.js";
import { type Output, OutputRegistration, OverrideRequest, outputIdFor } from "./schema.js";
import { eventsOfChange, withEvent } from "./transitions.js";

export interface OutputDeps {
  awards: Pick<AwardRepository, "get" | "listByProgram">;
  programs: ProgramReader;
  outputs: OutputRepository;
  clock: Clock;
}

/** Outputs are recorded from acceptance on, and after closeout too (a paper often comes late). */
const OPEN_TO_OUTPUTS: readonly AwardStatus[] = [
  "provisioning",
  "provisioning_failed",
  "active",
  "suspended",
  "closing",
  "closed",
  "closed_noncompliant",
];

const canSee = (actor: Actor, award: Award) =>
  actor.role === "staff" || (actor.role === "applicant" && award.applicantId === actor.userId);

/** The award, if the actor may see it; a grantee asking about another's award learns nothing. */
export const visibleAward = async (deps: Pick<OutputDeps, "awards">, actor: Actor, awardId: string) => {
  const award = await deps.awards.get(awardId);
  if (!award || !canSee(actor, award)) throw notFound(`Award ${awardId}`);
  return award;
};

const visibleOutput = async (deps: OutputDeps, actor: Actor, awardId: string, outputId: string) => {
  const award = await visibleAward(deps, actor, awardId);
  const output = await deps.outputs.get(awardId, outputId);
  if (!output) throw notFound(`Output ${outputId}`);
  return { award, output };
};

const invalid = (field: string, parsed: Parsed<unknown>) => {
  if (!parsed.ok)
    throw validationError(`The ${field} is invalid: ${parsed.message}`, [{ field, message: parsed.message }]);
};

/** What the registration names, normalized: its kind, identity and reference. */
const identify = (r: OutputRegistration): Pick<Output, "kind" | "identity" | "paper" | "repository"> => {
  if (r.repositoryUrl !== undefined) {
    const parsed = parseRepositoryUrl(r.repositoryUrl);
    invalid("repositoryUrl", parsed);
    const ref = (parsed as { value: { owner: string; name: string } }).value;
    return {
      kind: "repository",
      identity: repositoryIdentity(ref),
      repository: { ...ref, url: repositoryUrl(ref) },
    };
  }
  const parsed: Parsed<PaperRef> = r.doi !== undefined ? parseDoi(r.doi) : parseArxivId(r.arxivId ?? "");
  invalid(r.doi !== undefined ? "doi" : "arxivId", parsed);
  const ref = (parsed as { value: PaperRef }).value;
  return { kind: "paper", identity: paperIdentity(ref), paper: ref };
};

/**
 * The grantee (or staff on their behalf) registers a paper or a repository. One output per award
 * and identity: a retry, or the same work typed another way, answers the output already there.
 */
export const registerOutput = async (
  deps: OutputDeps,
  actor: Actor,
  awardId: string,
  body: unknown,
): Promise<{ status: 200 | 201; output: Output }> => {
  const parsed = OutputRegistration.safeParse(body);
  if (!parsed.success) throw validationError("The output is invalid", fieldIssuesOf(parsed.error));
  const award = await visibleAward(deps, actor, awardId);
  const what = identify(parsed.data);
  if (!OPEN_TO_OUTPUTS.includes(award.status))
    throw conflict(`Award ${awardId} is ${award.status}: outputs are recorded once the award is accepted`);
  const outputId = outputIdFor(awardId, what.identity);
  const existing = await deps.outputs.get(awardId, outputId);
  if (existing) return { status: 200, output: existing };
  const at = deps.clock.now().toISOString();
  const output: Output = {
    outputId,
    awardId,
    programId: award.programId,
    applicantId: award.applicantId,
    ...what,
    status: "pending",
    registeredAt: at,
    registeredBy: actor.userId,
    history: [
      {
        at,
        kind: "registered",
        status: "pending",
        actor: actor.userId,
        reason:
          actor.role === "staff"
            ? "registered by staff on the grantee's behalf"
            : "registered by the grantee",
      },
    ],
    revision: 1,
  };
  const created = await deps.outputs.create(output, [
    createEvent(OutputRegistered, `${outputId}:registered`, at, {
      outputId,
      awardId,
      programId: award.programId,
      kind: output.kind,
    }),
  ]);
  if (created) return { status: 201, output };
  // Registered by a concurrent request meanwhile: that one is the answer.
  const raced = await deps.outputs.get(awardId, outputId);
  if (!raced) throw new Error(`Output ${outputId} exists but cannot be read`);
  return { status: 200, output: raced };
};

export const listOutputs = async (deps: OutputDeps, actor: Actor, awardId: string) => {
  await visibleAward(deps, actor, awardId);
  return deps.outputs.listForAward(awardId);
};

/**
 * Staff accept or reject an output, with a reason on record. The decision stands over later
 * checks (which are still recorded) until staff decide again. Repeating the same decision with
 * the same reason changes nothing, so a retried request is harmless.
 */
export const overrideOutput = async (
  deps: OutputDeps,
  actor: Actor,
  awardId: string,
  outputId: string,
  body: unknown,
): Promise<Output> => {
  const parsed = OverrideRequest.safeParse(body);
  if (!parsed.success) throw validationError("The override is invalid", fieldIssuesOf(parsed.error));
  const { award, output } = await visibleOutput(deps, actor, awardId, outputId);
  const { status, reason } = parsed.data;
  if (output.override?.status === status && output.override.reason === reason && output.status === status)
    return output;
  const at = deps.clock.now().toISOString();
  const after = withEvent(
    output,
    { at, kind: "override", status, actor: actor.userId, reason },
    { status, override: { status, reason, by: actor.userId, at } },
  );
  const [program, siblings] = await Promise.all([
    deps.programs.get(award.programId),
    deps.outputs.listForAward(awardId),
  ]);
  if (!program) throw notFound(`Program ${award.programId}`);
  await deps.outputs.save(
    after,
    eventsOfChange({ before: output, after, siblings, award, program, by: "override", at }),
  );
  return after;
};

/**
 * Checks an output again now (grantee or staff): a durable run named by the output's revision,
 * so repeated requests before the check lands start one run.
 */
export const requestVerification = async (
  deps: OutputDeps & { runs: VerificationRuns },
  actor: Actor,
  awardId: string,
  outputId: string,
): Promise<Output> => {
  const { output } = await visibleOutput(deps, actor, awardId, outputId);
  await deps.runs.start({ awardId, outputId, runName: `${outputId}-r${output.revision}` });
  return output;
};

export const awardCompliance = async (
  deps: OutputDeps,
  actor: Actor,
  awardId: string,
): Promise<Compliance> => {
  await visibleAward(deps, actor, awardId);
  return evaluateCompliance(deps, awardId, deps.clock.now().toISOString());
};

export const readProgramCompliance = (deps: OutputDeps, programId: string): Promise<ProgramCompliance> =>
  programCompliance(deps, programId, deps.clock.now().toISOString());
