import { describe, expect, it } from "vitest";
import { DomainError } from "../src/errors.js";
import {
  anonymizedFeedback,
  parseReview,
  type ReviewSubmission,
  Rubric,
  rankProposals,
  scoreReviews,
  validateReview,
} from "../src/review/index.js";

const rubric = Rubric.parse({
  criteria: [
    {
      id: "merit",
      name: "Scientific merit",
      description: "Is the question important and the method sound?",
      weight: 3,
    },
    { id: "impact", name: "Impact", description: "Who benefits from the results?", weight: 2 },
    {
      id: "feasibility",
      name: "Feasibility",
      description: "Can the team do it with these resources?",
      weight: 1,
    },
  ],
  scale: { min: 1, max: 5 },
});

const review = (scores: Record<string, number>, commentsToApplicant?: string): ReviewSubmission => ({
  scores,
  comments: "Detailed notes for the committee only.",
  ...(commentsToApplicant === undefined ? {} : { commentsToApplicant }),
});

const kindOf = (f: () => unknown) => {
  try {
    f();
    return "no error";
  } catch (error) {
    return error instanceof DomainError ? error.kind : "other error";
  }
};

describe("validateReview", () => {
  it("accepts a complete review within the scale", () => {
    expect(validateReview(rubric, review({ merit: 5, impact: 1, feasibility: 3 }))).toEqual([]);
  });

  it("names every missing, unknown and out-of-range criterion at once", () => {
    // Act
    const issues = validateReview(rubric, {
      scores: { merit: 6, impact: 2.5, novelty: 3 },
      comments: "too short",
    });
    // Assess
    expect(issues).toEqual([
      { field: "comments", message: "explain the scores (at least 20 characters)" },
      { field: "scores.merit", message: "must be a whole number from 1 to 5" },
      { field: "scores.impact", message: "must be a whole number from 1 to 5" },
      {
        field: "scores.feasibility",
        message: "is missing: score Feasibility with a whole number from 1 to 5",
      },
      { field: "scores.novelty", message: "is not a criterion of this call's rubric" },
    ]);
  });

  it.each([
    ["no body at all", undefined, ["(body)", "scores.merit", "scores.impact", "scores.feasibility"]],
    [
      "no scores",
      { comments: "A long enough comment for the committee." },
      ["scores.merit", "scores.impact", "scores.feasibility"],
    ],
    [
      "scores that are a list",
      { scores: [5, 5, 5], comments: "A long enough comment for the committee." },
      ["scores", "scores.merit", "scores.impact", "scores.feasibility"],
    ],
    [
      "a score given as text",
      {
        scores: { merit: "5", impact: 1, feasibility: 1 },
        comments: "A long enough comment for the committee.",
      },
      ["scores.merit"],
    ],
    ["a score below the scale", review({ merit: 0, impact: 1, feasibility: 1 }), ["scores.merit"]],
  ])("reports %s", (_title, input, fields) => {
    expect(validateReview(rubric, input).map((i) => i.field)).toEqual(fields);
  });

  it("parses a valid review and refuses an invalid one with a validation error", () => {
    expect(parseReview(rubric, review({ merit: 1, impact: 1, feasibility: 1 })).scores.merit).toBe(1);
    expect(kindOf(() => parseReview(rubric, review({ merit: 1 })))).toBe("validation");
  });
});

describe("Rubric", () => {
  it.each([
    ["no criteria", { criteria: [], scale: { min: 1, max: 5 } }, "criteria"],
    [
      "duplicate ids",
      {
        criteria: [
          { id: "a", name: "A", weight: 1 },
          { id: "a", name: "B", weight: 1 },
        ],
        scale: { min: 1, max: 5 },
      },
      "criteria.1.id",
    ],
    [
      "a zero weight",
      { criteria: [{ id: "a", name: "A", weight: 0 }], scale: { min: 1, max: 5 } },
      "criteria.0.weight",
    ],
    [
      "an inverted scale",
      { criteria: [{ id: "a", name: "A", weight: 1 }], scale: { min: 5, max: 5 } },
      "scale.max",
    ],
    [
      "a dotted id",
      { criteria: [{ id: "a.b", name: "A", weight: 1 }], scale: { min: 1, max: 5 } },
      "criteria.0.id",
    ],
  ])("rejects %s", (_title, input, field) => {
    const parsed = Rubric.safeParse(input);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path.join("."))).toContain(field);
  });
});

describe("scoreReviews", () => {
  it("weights, normalizes to 0–100 and keeps each reviewer's total", () => {
    // Prepare: A gives 100/75/50 %, B gives 50/25/100 % on the 1–5 scale; weights 3:2:1
    const reviews = [
      review({ merit: 5, impact: 4, feasibility: 3 }),
      review({ merit: 3, impact: 2, feasibility: 5 }),
    ];
    // Act
    const score = scoreReviews(rubric, reviews);
    // Assess
    expect(score).toEqual({
      reviewCount: 2,
      criteria: [
        {
          criterionId: "merit",
          name: "Scientific merit",
          weight: 3,
          weightPercent: 50,
          mean: 4,
          normalized: 75,
        },
        { criterionId: "impact", name: "Impact", weight: 2, weightPercent: 33.33, mean: 3, normalized: 50 },
        {
          criterionId: "feasibility",
          name: "Feasibility",
          weight: 1,
          weightPercent: 16.67,
          mean: 4,
          normalized: 75,
        },
      ],
      // (3·75 + 2·50 + 1·75) / 6 = 400/6
      total: 66.67,
      // 500/6 and 300/6
      reviewerTotals: [83.33, 50],
      spread: 33.33,
      standardDeviation: 16.67,
      disagreement: true,
      disagreementThreshold: 25,
    });
  });

  it("maps the scale's ends to 0 and 100", () => {
    expect(scoreReviews(rubric, [review({ merit: 1, impact: 1, feasibility: 1 })]).total).toBe(0);
    expect(scoreReviews(rubric, [review({ merit: 5, impact: 5, feasibility: 5 })]).total).toBe(100);
  });

  it("is exact where binary floating point is not: weights 0.1 and 1.1 on a true 3.125", () => {
    // Prepare: criterion a means 2.5 → 37.5 %, b means 1 → 0 %; 0.1 · 37.5 / 1.2 = 3.125 exactly.
    // Naive float arithmetic gives 3.1249999… and rounds it to 3.12.
    const decimal = Rubric.parse({
      criteria: [
        { id: "a", name: "A", weight: 0.1 },
        { id: "b", name: "B", weight: 1.1 },
      ],
      scale: { min: 1, max: 5 },
    });
    // Act
    const score = scoreReviews(decimal, [review({ a: 1, b: 1 }), review({ a: 4, b: 1 })]);
    // Assess
    expect(score.total).toBe(3.13);
    expect(score.reviewerTotals).toEqual([0, 6.25]);
    expect(score.criteria.map((c) => c.weightPercent)).toEqual([8.33, 91.67]);
  });

  it("gives the same result whatever the order of the reviews, except reviewerTotals which follow it", () => {
    const a = review({ merit: 5, impact: 4, feasibility: 3 });
    const b = review({ merit: 2, impact: 3, feasibility: 5 });
    const c = review({ merit: 4, impact: 4, feasibility: 4 });
    const forward = scoreReviews(rubric, [a, b, c]);
    const backward = scoreReviews(rubric, [c, b, a]);
    expect({ ...backward, reviewerTotals: [] }).toEqual({ ...forward, reviewerTotals: [] });
    expect(backward.reviewerTotals).toEqual([...forward.reviewerTotals].reverse());
  });

  it.each([
    // spread exactly at the threshold does not count as disagreement
    [{ merit: 5, impact: 5, feasibility: 5 }, { merit: 4, impact: 4, feasibility: 4 }, undefined, 25, false],
    [
      { merit: 5, impact: 5, feasibility: 5 },
      { merit: 4, impact: 4, feasibility: 3 },
      undefined,
      29.17,
      true,
    ],
    [{ merit: 5, impact: 5, feasibility: 5 }, { merit: 4, impact: 4, feasibility: 3 }, 30, 29.17, false],
    [{ merit: 3, impact: 3, feasibility: 3 }, { merit: 3, impact: 3, feasibility: 3 }, 0, 0, false],
    [{ merit: 3, impact: 3, feasibility: 3 }, { merit: 3, impact: 3, feasibility: 4 }, 0, 4.17, true],
  ])("flags disagreement: %j vs %j with threshold %s → spread %s, %s", (x, y, threshold, spread, flagged) => {
    const options = threshold === undefined ? {} : { disagreementThreshold: threshold };
    const score = scoreReviews(rubric, [review(x), review(y)], options);
    expect(score.spread).toBe(spread);
    expect(score.disagreement).toBe(flagged);
  });

  it("reports a population standard deviation of the reviewer totals", () => {
    // totals 100, 50, 0 → mean 50, variance (2500 + 0 + 2500) / 3, σ = 40.8248…
    const score = scoreReviews(rubric, [
      review({ merit: 5, impact: 5, feasibility: 5 }),
      review({ merit: 3, impact: 3, feasibility: 3 }),
      review({ merit: 1, impact: 1, feasibility: 1 }),
    ]);
    expect(score.reviewerTotals).toEqual([100, 50, 0]);
    expect(score.standardDeviation).toBe(40.82);
    expect(score.spread).toBe(100);
  });

  it.each([
    ["no reviews", [], undefined],
    ["an out-of-range score", [review({ merit: 9, impact: 1, feasibility: 1 })], undefined],
    ["a missing criterion", [review({ merit: 1, impact: 1 })], undefined],
    ["a negative threshold", [review({ merit: 1, impact: 1, feasibility: 1 })], -1],
  ])("refuses to score %s", (_title, reviews, threshold) => {
    const options = threshold === undefined ? {} : { disagreementThreshold: threshold };
    expect(kindOf(() => scoreReviews(rubric, reviews, options))).toBe("validation");
  });
});

describe("rankProposals", () => {
  it("ranks by total, shares ranks on ties (1, 2, 2, 4) and orders ties by proposalId", () => {
    // Act
    const ranked = rankProposals([
      { proposalId: "prp_d", total: 50 },
      { proposalId: "prp_c", total: 80.5 },
      { proposalId: "prp_b", total: 91 },
      { proposalId: "prp_a", total: 80.5 },
      { proposalId: "prp_e", total: 50 },
      { proposalId: "prp_f", total: 12.25 },
    ]);
    // Assess
    expect(ranked.map((r) => [r.proposalId, r.rank])).toEqual([
      ["prp_b", 1],
      ["prp_a", 2],
      ["prp_c", 2],
      ["prp_d", 4],
      ["prp_e", 4],
      ["prp_f", 6],
    ]);
  });

  it("keeps the caller's other fields and ranks nothing as nothing", () => {
    expect(rankProposals([{ proposalId: "p", total: 1, title: "x" }])).toEqual([
      { proposalId: "p", total: 1, title: "x", rank: 1 },
    ]);
    expect(rankProposals([])).toEqual([]);
  });

  it("refuses a proposal listed twice or a total that is not a number", () => {
    expect(
      kindOf(() =>
        rankProposals([
          { proposalId: "p", total: 1 },
          { proposalId: "p", total: 2 },
        ]),
      ),
    ).toBe("validation");
    expect(kindOf(() => rankProposals([{ proposalId: "p", total: Number.NaN }]))).toBe("validation");
  });
});

describe("anonymizedFeedback", () => {
  // Stored reviews carry who wrote them; the feedback must not.
  const stored = [
    {
      reviewerId: "rev-zed-42",
      name: "Dana Secret",
      email: "dana.secret@reviewers.example",
      ...review(
        { merit: 5, impact: 4, feasibility: 3 },
        "Strong method; the evaluation plan could name baselines.",
      ),
    },
    {
      reviewerId: "rev-abc-01",
      name: "Omar Hidden",
      email: "omar@hidden.example",
      ...review({ merit: 3, impact: 2, feasibility: 5 }),
    },
    {
      reviewerId: "rev-mid-07",
      name: "Lee Quiet",
      email: "lee@quiet.example",
      ...review(
        { merit: 4, impact: 3, feasibility: 4 },
        "A clear and feasible plan. Signed, Lee Quiet (lee@quiet.example)",
      ),
    },
  ];

  it("gives the mean per criterion with its scale and labels the comments without identities", () => {
    // Act
    const feedback = anonymizedFeedback(rubric, stored, { reviewers: stored });
    // Assess
    expect(feedback).toEqual({
      reviewCount: 3,
      criteria: [
        {
          name: "Scientific merit",
          description: "Is the question important and the method sound?",
          mean: 4,
          scale: { min: 1, max: 5 },
        },
        { name: "Impact", description: "Who benefits from the results?", mean: 3, scale: { min: 1, max: 5 } },
        {
          name: "Feasibility",
          description: "Can the team do it with these resources?",
          mean: 4,
          scale: { min: 1, max: 5 },
        },
      ],
      comments: [
        { reviewer: "Reviewer 1", text: "A clear and feasible plan. Signed, [redacted] ([redacted])" },
        { reviewer: "Reviewer 2", text: "Strong method; the evaluation plan could name baselines." },
      ],
    });
    const text = JSON.stringify(feedback);
    for (const r of stored) {
      for (const secret of [r.reviewerId, r.name, r.email, r.comments]) expect(text).not.toContain(secret);
    }
  });

  it("numbers reviewers the same way whatever order the reviews arrive in", () => {
    const forward = anonymizedFeedback(rubric, stored);
    const backward = anonymizedFeedback(rubric, [...stored].reverse());
    expect(backward).toEqual(forward);
  });

  it("has no means before anyone reviewed", () => {
    const feedback = anonymizedFeedback(rubric, []);
    expect(feedback.criteria.map((c) => c.mean)).toEqual([null, null, null]);
    expect(feedback.comments).toEqual([]);
  });
});
