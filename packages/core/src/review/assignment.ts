import { validationError } from "../errors.js";
import { type ConflictSubject, conflictsOf } from "./conflicts.js";
import type { ReviewerProfile } from "./schema.js";

export interface AssignmentRequest {
  proposal: ConflictSubject & { keywords: readonly string[] };
  pool: readonly ReviewerProfile[];
  /** reviewerId → open assignments right now; a reviewer not listed has none. */
  load: Readonly<Record<string, number>>;
  /** How many more reviewers this proposal needs. */
  needed: number;
  /** Reviewers already assigned to, replaced on, or who declined this proposal. */
  exclude: readonly string[];
}

export interface AssignmentPlan {
  /** Best match first. */
  assigned: Array<{ reviewerId: string; keywordMatches: number }>;
  /** How many are still missing; the workflow then waits for staff rather than relax a rule. */
  shortBy: number;
  /** Reviewers who could not be assigned, in pool order, with every reason. */
  skipped: Array<{ reviewerId: string; reasons: string[] }>;
}

const keywordKey = (keyword: string) =>
  keyword
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0)
    .join("-");

/** How many of the proposal's distinct research areas the reviewer lists ("ML systems" = "ml-systems"). */
export const keywordMatches = (
  reviewerKeywords: readonly string[],
  proposalKeywords: readonly string[],
): number => {
  const theirs = new Set(reviewerKeywords.map(keywordKey));
  return new Set(proposalKeywords.map(keywordKey).filter((k) => k.length > 0 && theirs.has(k))).size;
};

// Code-unit order, not localeCompare: the plan must not depend on the machine's locale.
const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Picks reviewers for one proposal. Conflicts, exclusions and full loads are hard filters; among the
 * rest it prefers keyword overlap, then the lighter current load, then the reviewerId, so the same
 * inputs always give the same plan and a retried workflow task assigns the same people.
 */
export const planAssignment = (request: AssignmentRequest): AssignmentPlan => {
  const { proposal, pool, load, needed } = request;
  if (!Number.isInteger(needed) || needed < 0) {
    throw validationError("needed must be a whole number of reviewers", [
      { field: "needed", message: "must be a whole number, 0 or more" },
    ]);
  }
  const excluded = new Set(request.exclude);
  const seen = new Set<string>();
  const skipped: AssignmentPlan["skipped"] = [];
  const candidates: Array<{ reviewerId: string; keywordMatches: number; load: number }> = [];

  for (const reviewer of pool) {
    const reasons: string[] = [];
    if (seen.has(reviewer.reviewerId)) {
      // The first profile is the one judged; a second one must not sneak past its conflicts.
      skipped.push({ reviewerId: reviewer.reviewerId, reasons: ["listed more than once in the pool"] });
      continue;
    }
    seen.add(reviewer.reviewerId);
    if (excluded.has(reviewer.reviewerId)) {
      reasons.push("already assigned to, replaced on or declined this proposal");
    }
    for (const conflict of conflictsOf(reviewer, proposal))
      reasons.push(`conflict of interest: ${conflict.detail}`);
    const current = load[reviewer.reviewerId] ?? 0;
    if (!Number.isInteger(current) || current < 0) {
      throw validationError("A reviewer's load is not a count", [
        { field: `load.${reviewer.reviewerId}`, message: "must be a whole number, 0 or more" },
      ]);
    }
    if (current >= reviewer.maxLoad) {
      reasons.push(`at capacity: ${current} open assignments, at most ${reviewer.maxLoad}`);
    }
    if (reasons.length) {
      skipped.push({ reviewerId: reviewer.reviewerId, reasons });
      continue;
    }
    candidates.push({
      reviewerId: reviewer.reviewerId,
      keywordMatches: keywordMatches(reviewer.keywords, proposal.keywords),
      load: current,
    });
  }

  candidates.sort(
    (a, b) => b.keywordMatches - a.keywordMatches || a.load - b.load || byId(a.reviewerId, b.reviewerId),
  );
  const assigned = candidates
    .slice(0, needed)
    .map(({ reviewerId, keywordMatches }) => ({ reviewerId, keywordMatches }));
  return { assigned, shortBy: needed - assigned.length, skipped };
};
