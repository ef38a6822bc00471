import type { ReviewerProfile } from "./schema.js";

/** A profile as stored: with the reviewer's live load and who last changed it. */
export type ReviewerRecord = ReviewerProfile & {
  /** Maintained by assignment with conditional increments; profile writes never touch it. */
  openAssignments: number;
  updatedAt: string;
  updatedBy: string;
};

export type ReviewerProfileWrite = ReviewerProfile & { updatedAt: string; updatedBy: string };

export interface ReviewerRepository {
  get(reviewerId: string): Promise<ReviewerRecord | undefined>;
  /** The profiles that exist among these ids, in no particular order. */
  getMany(reviewerIds: readonly string[]): Promise<ReviewerRecord[]>;
  /**
   * Creates the profile with openAssignments 0, or replaces its profile fields and keeps
   * openAssignments as it is.
   */
  put(profile: ReviewerProfileWrite): Promise<{ record: ReviewerRecord; created: boolean }>;
  /** Every profile, by reviewer id. */
  list(): Promise<ReviewerRecord[]>;
}
