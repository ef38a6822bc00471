import { validationError } from "../errors.js";
import { add, div, fromNumber, int, mul, type Ratio, sub, sum, ZERO } from "./exact.js";
import { assertReviews, assertRubric, type ReviewSubmission, type Rubric } from "./schema.js";

const HUNDRED = int(100);

/** The exact per-criterion and per-review figures both scoring and feedback derive from. */
export const exactScores = (rubric: Rubric, reviews: readonly ReviewSubmission[]) => {
  assertRubric(rubric);
  if (reviews.length === 0) {
    throw validationError("There are no reviews to score", [
      { field: "reviews", message: "needs at least one review" },
    ]);
  }
  assertReviews(rubric, reviews);
  const min = int(rubric.scale.min);
  const range = int(rubric.scale.max - rubric.scale.min);
  const weights = rubric.criteria.map((c) => fromNumber(c.weight));
  const totalWeight = sum(weights);
  const shares = weights.map((w) => div(w, totalWeight));
  const toPercent = (score: Ratio) => div(mul(sub(score, min), HUNDRED), range);
  const weighted = (percents: readonly Ratio[]) => sum(percents.map((p, i) => mul(p, shares[i] ?? ZERO)));

  const count = int(reviews.length);
  const means = rubric.criteria.map((c) =>
    div(
      reviews.reduce((acc, r) => add(acc, int(r.scores[c.id] ?? 0)), ZERO),
      count,
    ),
  );
  const reviewerTotals = reviews.map((r) =>
    weighted(rubric.criteria.map((c) => toPercent(int(r.scores[c.id] ?? 0)))),
  );
  return {
    shares,
    means,
    percents: means.map(toPercent),
    total: weighted(means.map(toPercent)),
    reviewerTotals,
  };
};
