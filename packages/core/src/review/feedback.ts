import { exactScores } from "./aggregate.js";
import { toRounded, ZERO } from "./exact.js";
import { type ReviewerIdentity, redactIdentities } from "./redaction.js";
import type { ReviewSubmission, Rubric } from "./schema.js";

export interface CriterionFeedback {
  name: string;
  description: string;
  /** Mean score on the rubric's scale, 2 decimals; null when nobody reviewed. */
  mean: number | null;
  scale: { min: number; max: number };
}

export interface ApplicantFeedback {
  reviewCount: number;
  /** In rubric order. */
  criteria: CriterionFeedback[];
  /** Only reviews that left a comment for the applicant, numbered without gaps. */
  comments: Array<{ reviewer: string; text: string }>;
}

export interface FeedbackOptions {
  /**
   * The call's reviewers, whose names are blanked out of the comments (as is any e-mail address):
   * a reviewer who signs a comment must not undo the anonymity the labels give.
   */
  reviewers?: readonly ReviewerIdentity[];
}

/**
 * What the applicant may read: the mean per criterion and the reviewers' comments meant for them.
 * Only fields named here are copied, so identities riding along on a stored review never leak, and
 * the comments are ordered by their text, not by who wrote them or when, so "Reviewer 1" says
 * nothing about which reviewer it was.
 */
export const anonymizedFeedback = (
  rubric: Rubric,
  reviews: readonly ReviewSubmission[],
  options: FeedbackOptions = {},
): ApplicantFeedback => {
  const means = reviews.length ? exactScores(rubric, reviews).means : undefined;
  const texts = reviews
    .map((r) => redactIdentities(r.commentsToApplicant?.trim() ?? "", options.reviewers ?? []))
    .filter((t) => t.length > 0)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    reviewCount: reviews.length,
    criteria: rubric.criteria.map((c, i) => ({
      name: c.name,
      description: c.description,
      mean: means ? toRounded(means[i] ?? ZERO) : null,
      scale: { min: rubric.scale.min, max: rubric.scale.max },
    })),
    comments: texts.map((text, i) => ({ reviewer: `Reviewer ${i + 1}`, text })),
  };
};
