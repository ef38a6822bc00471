import type { Call } from "../call/schema.js";
import type { FieldIssue } from "../errors.js";
import { partnerNamed } from "../program/institutions.js";
import type { PartnerInstitutionRecord } from "../program/ports.js";
import type { Program } from "../program/schema.js";
import type { ProposalSubmission } from "./schema.js";

export interface ScreeningResult {
  eligible: boolean;
  reasons: string[];
  /** For staff, not grounds for ineligibility: e.g. free text that reads like a partner's name. */
  warnings?: string[];
}

const dollars = (cents: number) => `$${(cents / 100).toLocaleString("en-US")}`;

/**
 * Hard limits checked when the applicant submits: a proposal that breaks them is refused
 * with every field named, never stored as submitted.
 */
export const submissionIssues = (
  proposal: ProposalSubmission,
  call: Call,
  program: Program,
  partners: readonly PartnerInstitutionRecord[],
  now: Date,
): FieldIssue[] => {
  const issues: FieldIssue[] = [];
  const { institutionId } = proposal.pi;
  if (institutionId !== undefined && !partners.some((p) => p.institutionId === institutionId)) {
    issues.push({
      field: "pi.institutionId",
      message: `"${institutionId}" is not a partner institution of program ${program.programId}: pick an id from GET /programs/${program.programId}/institutions, or leave it out and name your institution in pi.institution`,
    });
  }
  if (now < new Date(call.opensAt))
    issues.push({ field: "callId", message: `the call opens at ${call.opensAt}` });
  if (now >= new Date(call.closesAt))
    issues.push({ field: "callId", message: `the call closed at ${call.closesAt}` });
  const maxCash = Math.min(
    program.caps.maxGrantCashCents,
    call.eligibility.maxCashCents ?? Number.MAX_SAFE_INTEGER,
  );
  const maxCredits = Math.min(
    program.caps.maxGrantCreditsCents,
    call.eligibility.maxCreditsCents ?? Number.MAX_SAFE_INTEGER,
  );
  if (proposal.requestedCashCents > maxCash) {
    issues.push({ field: "requestedCashCents", message: `must be at most ${maxCash} (${dollars(maxCash)})` });
  }
  if (proposal.requestedCreditsCents > maxCredits) {
    issues.push({
      field: "requestedCreditsCents",
      message: `must be at most ${maxCredits} (${dollars(maxCredits)})`,
    });
  }
  if (proposal.requestedCashCents + proposal.requestedCreditsCents === 0) {
    issues.push({ field: "requestedCashCents", message: "request cash, credits or both" });
  }
  if (proposal.durationMonths > call.eligibility.maxDurationMonths) {
    issues.push({
      field: "durationMonths",
      message: `must be at most ${call.eligibility.maxDurationMonths} months`,
    });
  }
  return issues;
};

const norm = (s: string) => s.trim().toLowerCase().replace(/\s+/g, " ");

/** The call's eligibility rules: each failed rule adds a reason the applicant can act on. */
export const screen = (
  proposal: ProposalSubmission,
  call: Call,
  partners: readonly PartnerInstitutionRecord[],
): ScreeningResult => {
  const rules = call.eligibility;
  const reasons: string[] = [];
  const warnings: string[] = [];
  const partner = partners.find((p) => p.institutionId === proposal.pi.institutionId);
  if (rules.researchAreas.length) {
    const areas = new Set(rules.researchAreas.map(norm));
    if (!proposal.keywords.some((k) => areas.has(norm(k)))) {
      reasons.push(`the research areas must include one of: ${rules.researchAreas.join(", ")}`);
    }
  }
  if (rules.partnersOnly && !partner) {
    reasons.push(
      "this call is open to strategic partner institutions only: name your institution's id in pi.institutionId",
    );
  }
  const lookalike = partner ? undefined : partnerNamed(proposal.pi.institution, partners);
  if (lookalike) {
    warnings.push(
      `pi.institution "${proposal.pi.institution}" matches partner institution ${lookalike.institutionId} (${lookalike.name}) but no pi.institutionId was given: it does not count as a partner, and its credits count against ${lookalike.institutionId}'s cap`,
    );
  }
  const excluded = new Set(rules.excludedInstitutions.map(norm));
  for (const person of [proposal.pi, ...proposal.coInvestigators]) {
    if (person.institution !== undefined && excluded.has(norm(person.institution))) {
      reasons.push(`${person.institution} is not eligible for this call`);
    }
  }
  const plan = proposal.openSourcePlan.toLowerCase();
  const missing = rules.openSourcePlanMustMention.filter((word) => !plan.includes(word.toLowerCase()));
  if (missing.length) {
    reasons.push(
      `the open-source plan must say where the work is published and under which license (missing: ${missing.join(", ")})`,
    );
  }
  return {
    eligible: reasons.length === 0,
    reasons: [...new Set(reasons)],
    ...(warnings.length ? { warnings } : {}),
  };
};
