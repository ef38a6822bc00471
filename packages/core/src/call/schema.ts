import { z } from "zod";
import { ReviewerId, Text } from "../bounds.js";
import { Duration } from "../duration.js";
import { Cents, Slug } from "../program/schema.js";
import { Rubric } from "../review/schema.js";

export const Eligibility = z.object({
  /** Stricter than the program's caps when set. */
  maxCashCents: Cents.optional(),
  maxCreditsCents: Cents.optional(),
  maxDurationMonths: z.number().int().min(1).max(60).default(36),
  /** A proposal must name at least one of these research areas, when the list is not empty. */
  researchAreas: z
    .array(Text(100, 1, "is required"))
    .max(100)
    .default([]),
  /** Only strategic partner institutions may apply. */
  partnersOnly: z.boolean().default(false),
  excludedInstitutions: z
    .array(Text(300, 1, "is required"))
    .max(500)
    .default([]),
  /** Words the open-source plan must mention: where the code goes and under which license. */
  openSourcePlanMustMention: z.array(Text(100)).max(20).default(["github", "license"]),
});
export type Eligibility = z.infer<typeof Eligibility>;

export const Review = z.object({
  rubric: Rubric,
  minReviewers: z.number().int().min(1).max(10),
  /** How long a reviewer has from assignment to the deadline. */
  reviewPeriod: Duration,
  /** Interval between reminders to a reviewer who has not submitted (the review task's heartbeat). */
  reminderInterval: Duration.default("PT72H"),
  /** How long a replacement gets when a late reviewer is replaced. */
  lateReplacementPeriod: Duration.default("P7D"),
  /** Spread of reviewers' totals (0–100 points) above which a disagreement is flagged. */
  disagreementThreshold: z.number().min(0).max(100).default(25),
  blind: z.boolean().default(false),
});

export const CallInput = z
  .object({
    callId: Slug,
    title: Text(300, 3),
    description: Text(5000).default(""),
    opensAt: z.iso.datetime({ offset: true }),
    closesAt: z.iso.datetime({ offset: true }),
    eligibility: Eligibility.default(() => Eligibility.parse({})),
    review: Review,
    /** Reviewer ids (user ids) the call draws from; staff may add more at any time. */
    reviewerPool: z.array(ReviewerId).max(1000).default([]),
  })
  .refine((c) => Date.parse(c.opensAt) < Date.parse(c.closesAt), {
    message: "closesAt must be after opensAt",
    path: ["closesAt"],
  });
export type CallInput = z.input<typeof CallInput>;

export type Call = z.infer<typeof CallInput> & { programId: string; createdAt: string; createdBy: string };
