import type { Proposal } from "../proposal/schema.js";
import type { AssignmentRepository } from "./assignments-ports.js";
import type { ReviewerRepository } from "./ports.js";

// Reviewers are anonymous to applicants, but free text written for an applicant (a reviewer's
// comments, the committee's rationale) can still name them: a reviewer who signs a comment, staff
// who quote one. Whatever of that text reaches an applicant goes through here.

export interface ReviewerIdentity {
  reviewerId: string;
  name: string;
  email: string;
}

export const REDACTED = "[redacted]";

// Any address at all: an applicant never needs one from a reviewer's or the committee's text, and
// a reviewer may sign with an address that is not the one on their profile.
const EMAIL = /[\p{L}\p{N}._%+'-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu;

const escaped = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** Not inside a longer word: "Levi" but not "Levine". */
const word = (pattern: string) => `(?<![\\p{L}\\p{N}])${pattern}(?![\\p{L}\\p{N}])`;
const spaced = (parts: readonly string[]) => parts.map(escaped).join("\\s+");

/**
 * The forms a reviewer is named by, as patterns: the full name (any spacing, any case), "Surname,
 * Given", "G. Surname", the reviewer id, the address's local part, and each part of the name on its
 * own. A part on its own is matched as written (capitalized), so an ordinary word that happens to
 * be a name is left alone in lower case.
 */
const namePatterns = (r: ReviewerIdentity) => {
  const whole = r.name.trim().split(/\s+/).filter(Boolean);
  // A lone initial ("J") is too short to stand for anyone; it counts only inside the full name.
  const parts = whole.filter((p) => p.length >= 2);
  const given = parts[0];
  const surname = parts.at(-1);
  const anyCase: string[] = [r.reviewerId.trim()];
  if (whole.length) anyCase.push(spaced(whole));
  if (given && surname && parts.length > 1) {
    anyCase.push(`${escaped(surname)},\\s*${escaped(given)}`);
    anyCase.push(`${escaped(given[0] ?? "")}\\.?\\s*${escaped(surname)}`);
  }
  const local = r.email.split("@")[0] ?? "";
  if (local.length >= 3) anyCase.push(escaped(local));
  return {
    anyCase: anyCase.filter((p) => p.length > 0),
    asWritten: parts.map(escaped),
  };
};

const alternation = (patterns: string[], flags: string) =>
  patterns.length
    ? // Longest first, so a full name is blanked before the given name inside it.
      new RegExp(
        [...new Set(patterns)]
          .sort((a, b) => b.length - a.length)
          .map(word)
          .join("|"),
        flags,
      )
    : undefined;

/** The text with every e-mail address and every form of these reviewers' names replaced by "[redacted]". */
export const redactIdentities = (text: string, reviewers: readonly ReviewerIdentity[]): string => {
  const forms = reviewers.map(namePatterns);
  const anyCase = alternation(
    forms.flatMap((f) => f.anyCase),
    "giu",
  );
  const asWritten = alternation(
    forms.flatMap((f) => f.asWritten),
    "gu",
  );
  let out = text.replace(EMAIL, REDACTED);
  if (anyCase) out = out.replace(anyCase, REDACTED);
  if (asWritten) out = out.replace(asWritten, REDACTED);
  return out;
};

/**
 * Everyone who could have reviewed the proposal: the call's pool (as it is now) and whoever was
 * ever assigned to it (replaced, late and conflicted reviewers included, and pool members since
 * removed), with their profiles.
 */
export const reviewersOf = async (
  deps: {
    assignments: Pick<AssignmentRepository, "listForProposal">;
    reviewers: Pick<ReviewerRepository, "getMany">;
  },
  proposal: Pick<Proposal, "proposalId">,
  pool: readonly string[],
): Promise<ReviewerIdentity[]> => {
  const assigned = (await deps.assignments.listForProposal(proposal.proposalId)).map((a) => a.reviewerId);
  const ids = [...new Set([...pool, ...assigned])];
  if (!ids.length) return [];
  const profiles = await deps.reviewers.getMany(ids);
  const known = new Set(profiles.map((p) => p.reviewerId));
  return [
    ...profiles.map(({ reviewerId, name, email }) => ({ reviewerId, name, email })),
    // A reviewer without a profile is still named by their id.
    ...ids.filter((id) => !known.has(id)).map((reviewerId) => ({ reviewerId, name: "", email: "" })),
  ];
};
