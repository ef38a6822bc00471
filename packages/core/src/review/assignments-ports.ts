import { z } from "zod";
import { Text } from "../bounds.js";
import type { DomainEvent } from "../events/define.js";
import type { ReviewSubmission } from "./schema.js";

export type AssignmentStatus = "open" | "submitted" | "conflicted" | "late" | "cancelled";

/** One reviewer's turn on one review slot of a proposal. Closed assignments are kept as history. */
export interface Assignment {
  assignmentId: string;
  proposalId: string;
  callId: string;
  /** Slots 0..minReviewers-1; a replacement takes over its predecessor's slot. */
  slot: number;
  /** 1 for the slot's first reviewer, +1 for each replacement: the highest holds the slot. */
  turn: number;
  reviewerId: string;
  status: AssignmentStatus;
  assignedAt: string;
  dueAt: string;
  /** The review task's callback while the workflow waits on this reviewer; never shown. */
  taskToken?: string;
  remindersSent: number;
  review?: ReviewSubmission;
  submittedAt?: string;
  closedAt?: string;
  revision: number;
}

export interface AssignmentRepository {
  get(assignmentId: string): Promise<Assignment | undefined>;
  listForProposal(proposalId: string): Promise<Assignment[]>;
  listForReviewer(reviewerId: string): Promise<Assignment[]>;
  /**
   * Creates the assignments, each taking one unit of its reviewer's load on the condition that
   * the reviewer stays within maxLoad; all or nothing. Throws DomainError "conflict" when a
   * reviewer is full or an assignment exists.
   */
  create(assignments: Assignment[], events: DomainEvent[]): Promise<void>;
  /**
   * Writes the assignment if its revision is still `revision - 1`; `releaseLoad` gives the
   * reviewer's load unit back in the same transaction (the assignment closed).
   */
  update(assignment: Assignment, events: DomainEvent[], options?: { releaseLoad?: boolean }): Promise<void>;
}

export const ConflictDeclaration = z.object({
  reason: Text(2000, 3, "say what the conflict is (at least 3 characters)"),
});
