import { isDeepStrictEqual } from "node:util";
import type { Actor } from "../actor.js";
import type { Clock } from "../clock.js";
import { type FieldIssue, fieldIssuesOf, forbidden, notFound, validationError } from "../errors.js";
import type { ReviewerRecord, ReviewerRepository } from "./ports.js";
import { ReviewerProfile } from "./schema.js";

export interface ReviewerDeps {
  reviewers: ReviewerRepository;
  clock: Clock;
}

/** The body of PUT /reviewers/{reviewerId}: the id comes from the path. */
export const ReviewerProfileFields = ReviewerProfile.omit({ reviewerId: true });

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const parseProfile = (reviewerId: string, input: unknown): ReviewerProfile => {
  const issues: FieldIssue[] = [];
  if (isRecord(input) && input.reviewerId !== undefined && input.reviewerId !== reviewerId) {
    issues.push({ field: "reviewerId", message: `must be ${reviewerId}, as in the path, or left out` });
  }
  const parsed = ReviewerProfile.safeParse(isRecord(input) ? { ...input, reviewerId } : input);
  if (!parsed.success) {
    issues.push(...fieldIssuesOf(parsed.error));
  }
  if (!parsed.success || issues.length) throw validationError("The reviewer profile is invalid", issues);
  return parsed.data;
};

const profileOf = (record: ReviewerRecord): ReviewerProfile => {
  const { openAssignments: _load, updatedAt: _at, updatedBy: _by, ...profile } = record;
  return profile;
};

/**
 * Staff create or replace a reviewer's profile. Replacing leaves the reviewer's open assignments
 * alone; an identical profile is not written again, so a retry changes nothing.
 */
export const putReviewerProfile = async (
  deps: ReviewerDeps,
  actor: Actor,
  reviewerId: string,
  input: unknown,
): Promise<{ profile: ReviewerRecord; created: boolean }> => {
  if (actor.role !== "staff") throw forbidden("Only program staff manage reviewer profiles");
  const profile = parseProfile(reviewerId, input);
  const existing = await deps.reviewers.get(profile.reviewerId);
  if (existing && isDeepStrictEqual(profileOf(existing), profile))
    return { profile: existing, created: false };
  const { record, created } = await deps.reviewers.put({
    ...profile,
    updatedAt: deps.clock.now().toISOString(),
    updatedBy: actor.userId,
  });
  return { profile: record, created };
};

export const getReviewerProfile = async (
  deps: Pick<ReviewerDeps, "reviewers">,
  actor: Actor,
  reviewerId: string,
): Promise<ReviewerRecord> => {
  if (actor.role !== "staff" && actor.role !== "reviewer") throw forbidden();
  // A reviewer probing someone else's id learns nothing, not even that it exists.
  const visible = actor.role === "staff" || actor.userId === reviewerId;
  const profile = visible ? await deps.reviewers.get(reviewerId) : undefined;
  if (!profile) throw notFound(`Reviewer profile ${reviewerId}`);
  return profile;
};

export const listReviewerProfiles = async (
  deps: Pick<ReviewerDeps, "reviewers">,
  actor: Actor,
): Promise<ReviewerRecord[]> => {
  if (actor.role !== "staff") throw forbidden("Only program staff list reviewers");
  return deps.reviewers.list();
};
