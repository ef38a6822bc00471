import { z } from "zod";
import { ReviewerId, Text } from "../bounds.js";
import { type FieldIssue, validationError } from "../errors.js";

export const ReviewerProfile = z.object({
  /** The user id the reviewer's tokens carry. */
  reviewerId: ReviewerId,
  name: Text(200, 1, "is required"),
  email: z.email("must be an email address"),
  institution: Text(300, 1, "is required"),
  /** Research areas, matched against a proposal's keywords. */
  keywords: z
    .array(Text(100, 1, "is required"))
    .max(50)
    .default([]),
  /** Names and/or emails of recent co-authors (the call decides how many years count as recent). */
  coAuthors: z
    .array(Text(320, 1, "is required"))
    .max(500)
    .default([]),
  /** Institutions, people (names or emails) or proposal ids the reviewer declared a conflict with. */
  declaredConflicts: z
    .array(Text(320, 1, "is required"))
    .max(500)
    .default([]),
  maxLoad: z
    .number()
    .int("must be a whole number")
    .min(1, "must be at least 1")
    .max(1000, "must be at most 1000")
    .default(8),
});
export type ReviewerProfile = z.infer<typeof ReviewerProfile>;
export type ReviewerProfileInput = z.input<typeof ReviewerProfile>;

// Criterion ids become field paths (scores.<id>) and attribute names, so a dot in one would be ambiguous.
export const Criterion = z.object({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "must be 1–64 letters, digits, - or _"),
  name: z.string().trim().min(1, "is required").max(200),
  description: z.string().trim().max(2000).default(""),
  weight: z.number().positive("must be positive"),
});
export type Criterion = z.infer<typeof Criterion>;

export const Rubric = z
  .object({
    criteria: z.array(Criterion).min(1, "name at least one criterion").max(50, "at most 50 criteria"),
    scale: z
      .object({
        min: z.number().int("must be a whole number"),
        max: z.number().int("must be a whole number"),
      })
      .refine((s) => s.min < s.max, { message: "min must be below max", path: ["max"] }),
  })
  .superRefine((rubric, ctx) => {
    const seen = new Set<string>();
    rubric.criteria.forEach((c, i) => {
      if (seen.has(c.id))
        ctx.addIssue({
          code: "custom",
          message: `duplicates criterion id ${c.id}`,
          path: ["criteria", i, "id"],
        });
      seen.add(c.id);
    });
  });
export type Rubric = z.infer<typeof Rubric>;

export const ReviewSubmission = z.object({
  /** Criterion id → score; the rubric decides which ids and which range (see validateReview). */
  scores: z.record(z.string().max(64, "must be a criterion id"), z.number().int("must be a whole number")),
  /** For the committee only; never shown to the applicant. */
  comments: z
    .string()
    .trim()
    .min(20, "explain the scores (at least 20 characters)")
    .max(20_000, "must be at most 20000 characters"),
  /** Feedback that may be shown to the applicant, without the reviewer's identity. */
  commentsToApplicant: z.string().trim().max(10_000, "must be at most 10000 characters").optional(),
});
export type ReviewSubmission = z.infer<typeof ReviewSubmission>;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const scaleText = (rubric: Rubric) => `a whole number from ${rubric.scale.min} to ${rubric.scale.max}`;

/**
 * Every problem with a review at once, each naming its field: shape problems from the schema, then
 * each missing, out-of-range or unknown criterion. Takes the raw input so that one call answers
 * everything a reviewer has to fix.
 */
export const validateReview = (rubric: Rubric, submission: unknown): FieldIssue[] => {
  const issues: FieldIssue[] = [];
  const parsed = ReviewSubmission.safeParse(submission);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      // Per-score problems are reported below against the rubric, in its words.
      if (issue.path[0] === "scores" && issue.path.length > 1) continue;
      if (issue.path[0] === "scores" && isRecord(submission) && submission.scores === undefined) continue;
      issues.push({ field: issue.path.join(".") || "(body)", message: issue.message });
    }
  }
  const scores = isRecord(submission) && isRecord(submission.scores) ? submission.scores : {};
  const known = new Set<string>();
  for (const criterion of rubric.criteria) {
    known.add(criterion.id);
    const field = `scores.${criterion.id}`;
    if (!Object.hasOwn(scores, criterion.id) || scores[criterion.id] === undefined) {
      issues.push({ field, message: `is missing: score ${criterion.name} with ${scaleText(rubric)}` });
      continue;
    }
    const score = scores[criterion.id];
    if (
      typeof score !== "number" ||
      !Number.isInteger(score) ||
      score < rubric.scale.min ||
      score > rubric.scale.max
    ) {
      issues.push({ field, message: `must be ${scaleText(rubric)}` });
    }
  }
  for (const id of Object.keys(scores).sort()) {
    if (!known.has(id))
      issues.push({ field: `scores.${id}`, message: "is not a criterion of this call's rubric" });
  }
  return issues;
};

/** The handler's entry: a valid review, or a validation error naming every problem. */
export const parseReview = (rubric: Rubric, submission: unknown): ReviewSubmission => {
  const issues = validateReview(rubric, submission);
  if (issues.length) throw validationError("The review is incomplete or out of range", issues);
  return ReviewSubmission.parse(submission);
};

/** Guards the pure computations against a rubric that never went through the schema. */
export const assertRubric = (rubric: Rubric): void => {
  const parsed = Rubric.safeParse(rubric);
  if (!parsed.success) {
    throw validationError(
      "The rubric is invalid",
      parsed.error.issues.map((i) => ({ field: i.path.join(".") || "(rubric)", message: i.message })),
    );
  }
};

/** Every review valid against the rubric, or one error naming each problem as reviews.<index>.<field>. */
export const assertReviews = (rubric: Rubric, reviews: readonly ReviewSubmission[]): void => {
  const issues = reviews.flatMap((review, i) =>
    validateReview(rubric, review).map((issue) => ({
      field: `reviews.${i}.${issue.field}`,
      message: issue.message,
    })),
  );
  if (issues.length) throw validationError("Some reviews do not fit the rubric", issues);
};
