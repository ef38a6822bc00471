import { validationError } from "../errors.js";
import { exactScores } from "./aggregate.js";
import { cmp, div, int, mul, sqrtRounded, sub, sum, toRounded, ZERO } from "./exact.js";
import type { ReviewSubmission, Rubric } from "./schema.js";

export const DEFAULT_DISAGREEMENT_THRESHOLD = 25;

export interface CriterionScore {
  criterionId: string;
  name: string;
  /** The weight as the rubric gives it. */
  weight: number;
  /** The weight's share of all weights, in percent. */
  weightPercent: number;
  /** Mean score on the rubric's own scale. */
  mean: number;
  /** The mean placed on 0–100 (scale min → 0, max → 100). */
  normalized: number;
}

export interface ScoreSummary {
  reviewCount: number;
  /** In rubric order. */
  criteria: CriterionScore[];
  /** Weighted total on 0–100; equals the mean of reviewerTotals. */
  total: number;
  /** Each review's weighted total on 0–100, in the order the reviews were given. */
  reviewerTotals: number[];
  /** Highest minus lowest reviewer total. */
  spread: number;
  /** Population standard deviation of the reviewer totals: the reviewers are the whole panel, not a sample. */
  standardDeviation: number;
  disagreement: boolean;
  /** Kept with the result so the flag can be re-derived from the record alone. */
  disagreementThreshold: number;
}

export interface ScoringOptions {
  /** Spread in points on the 0–100 scale above which the reviewers disagree. */
  disagreementThreshold?: number;
}

/**
 * Aggregates one proposal's reviews by the rubric's weights. Exact until the end: every figure is
 * computed as a fraction and rounded half away from zero to 2 decimals only when reported.
 */
export const scoreReviews = (
  rubric: Rubric,
  reviews: readonly ReviewSubmission[],
  options: ScoringOptions = {},
): ScoreSummary => {
  const threshold = options.disagreementThreshold ?? DEFAULT_DISAGREEMENT_THRESHOLD;
  if (!Number.isFinite(threshold) || threshold < 0) {
    throw validationError("The disagreement threshold is invalid", [
      { field: "disagreementThreshold", message: "must be a number of points, 0 or more" },
    ]);
  }
  const exact = exactScores(rubric, reviews);
  const sorted = [...exact.reviewerTotals].sort(cmp);
  const lowest = sorted[0] ?? ZERO;
  const highest = sorted[sorted.length - 1] ?? ZERO;
  const spread = toRounded(sub(highest, lowest));
  const mean = div(sum(exact.reviewerTotals), int(reviews.length));
  const variance = div(
    sum(exact.reviewerTotals.map((t) => mul(sub(t, mean), sub(t, mean)))),
    int(reviews.length),
  );
  return {
    reviewCount: reviews.length,
    criteria: rubric.criteria.map((c, i) => ({
      criterionId: c.id,
      name: c.name,
      weight: c.weight,
      weightPercent: toRounded(mul(exact.shares[i] ?? ZERO, int(100))),
      mean: toRounded(exact.means[i] ?? ZERO),
      normalized: toRounded(exact.percents[i] ?? ZERO),
    })),
    total: toRounded(exact.total),
    reviewerTotals: exact.reviewerTotals.map((t) => toRounded(t)),
    spread,
    standardDeviation: sqrtRounded(variance),
    // Compared as published, so that nobody reading "spread 25" next to "disagreement" is puzzled.
    disagreement: spread > threshold,
    disagreementThreshold: threshold,
  };
};

export interface Ranked {
  rank: number;
}

/**
 * Orders a call's proposals by total, highest first. Equal totals share a rank and the next rank
 * skips (1, 2, 2, 4); within a tie the proposalId decides the order so listings are stable.
 */
export const rankProposals = <T extends { proposalId: string; total: number }>(
  scored: readonly T[],
): Array<T & Ranked> => {
  const ids = new Set<string>();
  for (const [i, s] of scored.entries()) {
    if (!Number.isFinite(s.total)) {
      throw validationError("A total is not a number", [
        { field: `scored.${i}.total`, message: "must be a finite number" },
      ]);
    }
    if (ids.has(s.proposalId)) {
      throw validationError("A proposal is listed twice", [
        { field: `scored.${i}.proposalId`, message: `${s.proposalId} appears more than once` },
      ]);
    }
    ids.add(s.proposalId);
  }
  const ordered = [...scored].sort(
    (a, b) => b.total - a.total || (a.proposalId < b.proposalId ? -1 : a.proposalId > b.proposalId ? 1 : 0),
  );
  const ranked: Array<T & Ranked> = [];
  ordered.forEach((s, i) => {
    const previous = ranked[i - 1];
    const rank = previous && previous.total === s.total ? previous.rank : i + 1;
    ranked.push({ ...s, rank });
  });
  return ranked;
};
