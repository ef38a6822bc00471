import type { AwardRepository } from "../award/ports.js";
import type { Clock } from "../clock.js";
import { notFound } from "../errors.js";
import type { ProgramReader } from "../proposal/ports.js";
import { judgeLicense } from "./license-policy.js";
import {
  type CodeHost,
  type OutputRepository,
  type ScholarlyRegistry,
  type VerificationRuns,
  VerificationUnavailable,
} from "./ports.js";
import type { Output, Verification } from "./schema.js";
import { eventsOfChange, withEvent } from "./transitions.js";

// A check asks the outside world and records what it said. An answer (found, not found, private,
// a license) is an outcome; a service that could not answer is not one: the output keeps its
// status, the attempt is recorded, and the run waits and asks again (see the output-verification
// machine). Staff's override stands over a check's outcome, which is still recorded.

export interface VerificationDeps {
  awards: Pick<AwardRepository, "get">;
  programs: ProgramReader;
  outputs: OutputRepository;
  registry: ScholarlyRegistry;
  codeHost: CodeHost;
  clock: Clock;
}

/** Attempts per run before it gives up to the next periodic re-check (about 17 hours of backoff). */
export const MAX_ATTEMPTS = 12;
const BASE_BACKOFF_SECONDS = 15;
const MAX_BACKOFF_SECONDS = 3_600;

/** The wait before attempt `attempt + 1`: what the service asked, else exponential from 15 s, at most an hour. */
export const backoffSeconds = (attempt: number, retryAfterSeconds?: number) =>
  retryAfterSeconds !== undefined && retryAfterSeconds > 0
    ? Math.min(Math.ceil(retryAfterSeconds), MAX_BACKOFF_SECONDS)
    : Math.min(BASE_BACKOFF_SECONDS * 2 ** Math.max(0, attempt - 1), MAX_BACKOFF_SECONDS);

const check = async (deps: VerificationDeps, output: Output): Promise<Verification> => {
  if (output.paper) {
    const ref = output.paper;
    const found = await deps.registry.lookUp(ref);
    if (found.found)
      return {
        outcome: "verified",
        checkedAt: found.checkedAt,
        reason: `found at ${found.metadata.registry}`,
        metadata: found.metadata,
      };
    return {
      outcome: "rejected",
      checkedAt: found.checkedAt,
      reason:
        ref.kind === "doi"
          ? `the DOI ${ref.doi} does not resolve at Crossref or DataCite`
          : `arXiv has no paper ${ref.arxivId}`,
    };
  }
  const repository = output.repository;
  if (!repository) throw new Error(`Output ${output.outputId} names neither a paper nor a repository`);
  const found = await deps.codeHost.lookUp({ owner: repository.owner, name: repository.name });
  if (!found.found)
    return {
      outcome: "rejected",
      checkedAt: found.checkedAt,
      reason: `the repository ${repository.url} does not exist or is not visible`,
    };
  const facts = {
    checkedAt: found.checkedAt,
    spdxId: found.spdxId,
    fullName: found.fullName,
    ...(found.commitSha ? { commitSha: found.commitSha } : {}),
  };
  if (!found.public)
    return { outcome: "rejected", ...facts, reason: `the repository ${found.fullName} is private` };
  const license = judgeLicense(found.spdxId);
  return license.permissive
    ? { outcome: "verified", ...facts, reason: `public under ${license.spdx}, a permissive license` }
    : { outcome: "rejected", ...facts, reason: license.reason };
};

export type VerifyResult =
  | { outcome: "verified" | "rejected"; status: Output["status"] }
  | { outcome: "unavailable"; attempt: number; retryAt: string; giveUp: boolean }
  | { outcome: "missing" };

/**
 * One attempt of a verification run (the machine's task). Idempotent enough to be retried: a
 * repeated attempt records one more check with the same outcome and emits nothing new, since
 * events follow a change of status only.
 */
export const verifyOutput = async (
  deps: VerificationDeps,
  awardId: string,
  outputId: string,
  attempt = 1,
): Promise<VerifyResult> => {
  const output = await deps.outputs.get(awardId, outputId);
  if (!output) return { outcome: "missing" };
  let verification: Verification;
  try {
    verification = await check(deps, output);
  } catch (error) {
    if (!(error instanceof VerificationUnavailable)) throw error;
    const at = deps.clock.now();
    const reason = `${error.service} could not answer: ${error.message}`;
    const lastAttempt = { at: at.toISOString(), error: reason };
    // An outage that lasts leaves one line in the history, not one per attempt.
    const repeated = output.history.at(-1)?.kind === "unavailable";
    await deps.outputs.save(
      repeated
        ? { ...output, lastAttempt, revision: output.revision + 1 }
        : withEvent(
            output,
            { at: lastAttempt.at, kind: "unavailable", status: output.status, actor: "allot", reason },
            { lastAttempt },
          ),
      [],
    );
    const wait = backoffSeconds(attempt, error.retryAfterSeconds);
    return {
      outcome: "unavailable",
      attempt: attempt + 1,
      retryAt: new Date(at.getTime() + wait * 1000).toISOString(),
      giveUp: attempt >= MAX_ATTEMPTS,
    };
  }
  const award = await deps.awards.get(awardId);
  if (!award) throw notFound(`Award ${awardId}`);
  const program = await deps.programs.get(award.programId);
  if (!program) throw notFound(`Program ${award.programId}`);
  const status = output.override?.status ?? verification.outcome;
  const at = deps.clock.now().toISOString();
  const reason = output.override
    ? `${verification.reason} (staff decision stands: ${output.override.reason})`
    : verification.reason;
  // A daily re-check that finds what the last one found refreshes the facts (checkedAt, the
  // commit) without a history line, so the item does not grow by a line a day for years.
  const unchanged =
    status === output.status &&
    verification.reason === output.verification?.reason &&
    output.history.at(-1)?.kind === "checked";
  const after = unchanged
    ? { ...output, verification, revision: output.revision + 1 }
    : withEvent(output, { at, kind: "checked", status, actor: "allot", reason }, { status, verification });
  const siblings = await deps.outputs.listForAward(awardId);
  await deps.outputs.save(
    after,
    eventsOfChange({ before: output, after, siblings, award, program, by: "check", at }),
  );
  return { outcome: verification.outcome, status };
};

/**
 * The periodic re-check: every verified repository (a license can change, a repository can go
 * private or vanish) and every paper or repository not yet verified by a check. Outputs staff
 * decided are left to staff. One run per output and day, so a schedule that fires twice starts
 * each run once.
 */
export const recheckOutputs = async (deps: {
  outputs: Pick<OutputRepository, "listAll">;
  runs: VerificationRuns;
  clock: Clock;
}): Promise<{ started: number }> => {
  const day = deps.clock.now().toISOString().slice(0, 10);
  const due = (await deps.outputs.listAll()).filter(
    (o) => !o.override && (o.kind === "repository" || o.status !== "verified"),
  );
  for (const o of due)
    await deps.runs.start({ awardId: o.awardId, outputId: o.outputId, runName: `${o.outputId}-${day}` });
  return { started: due.length };
};
