import type {
  Assignment,
  AssignmentRepository,
  ReviewerProfileWrite,
  ReviewerRepository,
} from "@allot/core/review";
import { describe, expect, it } from "vitest";
import { event, failureOf, freshId, type Published, sortedBy } from "./support.js";

export interface ReviewsSubject {
  reviewers: ReviewerRepository;
  assignments: AssignmentRepository;
  published: Published;
}

const profile = (over: Partial<ReviewerProfileWrite> = {}): ReviewerProfileWrite =>
  ({
    reviewerId: freshId("rev"),
    name: "Ada Reviewer",
    email: "ada@uni.example",
    institution: "Uni",
    keywords: ["ml"],
    coAuthors: [],
    declaredConflicts: [],
    maxLoad: 2,
    updatedAt: "2027-01-01T00:00:00.000Z",
    updatedBy: "sam",
    ...over,
  }) as ReviewerProfileWrite;

const assignment = (reviewerId: string, over: Partial<Assignment> = {}): Assignment => ({
  assignmentId: freshId("asg"),
  proposalId: freshId("prp"),
  callId: freshId("call"),
  slot: 0,
  turn: 1,
  reviewerId,
  status: "open",
  assignedAt: "2027-01-02T00:00:00.000Z",
  dueAt: "2027-01-23T00:00:00.000Z",
  remindersSent: 0,
  revision: 1,
  ...over,
});

/** The ReviewerRepository and AssignmentRepository ports' promises, for any implementation. */
export const reviewsContract = (name: string, subject: () => Promise<ReviewsSubject>) =>
  describe(`ReviewerRepository + AssignmentRepository contract: ${name}`, () => {
    it("creates a profile with no load, and replaces its fields keeping the load assignments took", async () => {
      const { reviewers, assignments } = await subject();
      const p = profile();
      const created = await reviewers.put(p);
      expect(created).toEqual({ record: { ...p, openAssignments: 0 }, created: true });
      expect(await reviewers.get(p.reviewerId)).toEqual({ ...p, openAssignments: 0 });
      await assignments.create([assignment(p.reviewerId)], []);
      const edited = { ...p, name: "Ada R.", maxLoad: 3 };
      expect(await reviewers.put(edited)).toEqual({
        record: { ...edited, openAssignments: 1 },
        created: false,
      });
      expect(await reviewers.get(p.reviewerId)).toEqual({ ...edited, openAssignments: 1 });
    });

    it("reads many profiles at once, leaving out unknown ids, and lists them by id", async () => {
      const { reviewers } = await subject();
      const a = profile();
      const b = profile();
      await reviewers.put(a);
      await reviewers.put(b);
      const many = await reviewers.getMany([a.reviewerId, freshId("rev"), b.reviewerId, a.reviewerId]);
      expect(sortedBy(many, "reviewerId")).toEqual(
        sortedBy([a, b], "reviewerId").map((p) => ({ ...p, openAssignments: 0 })),
      );
      const ids = new Set([a.reviewerId, b.reviewerId]);
      const listed = (await reviewers.list()).filter((r) => ids.has(r.reviewerId));
      expect(listed.map((r) => r.reviewerId)).toEqual([...ids].sort());
    });

    it("creates assignments taking their reviewers' load, with their events, found by id, proposal and reviewer", async () => {
      const { reviewers, assignments, published } = await subject();
      const ada = profile();
      const bo = profile();
      await reviewers.put(ada);
      await reviewers.put(bo);
      const proposalId = freshId("prp");
      const first = assignment(ada.reviewerId, { proposalId });
      const second = assignment(bo.reviewerId, { proposalId, slot: 1 });
      const assigned = event("assigned");
      await assignments.create([first, second], [assigned]);
      expect(await published(assigned.detail.eventId)).toBe(true);
      expect(await assignments.get(first.assignmentId)).toEqual(first);
      expect(await assignments.get(freshId("asg"))).toBeUndefined();
      expect(sortedBy(await assignments.listForProposal(proposalId), "assignmentId")).toEqual(
        sortedBy([first, second], "assignmentId"),
      );
      expect(await assignments.listForReviewer(bo.reviewerId)).toEqual([second]);
      expect((await reviewers.get(ada.reviewerId))?.openAssignments).toBe(1);
    });

    it("creates all or nothing: a full or unknown reviewer, or an existing assignment, is a conflict", async () => {
      const { reviewers, assignments, published } = await subject();
      const ada = profile({ maxLoad: 1 });
      const bo = profile({ maxLoad: 1 });
      await reviewers.put(ada);
      await reviewers.put(bo);
      const taken = assignment(bo.reviewerId);
      await assignments.create([taken], []);
      const free = assignment(ada.reviewerId);
      const lost = event("lost");
      expect(await failureOf(assignments.create([free, assignment(bo.reviewerId)], [lost]))).toBe("conflict");
      expect(await assignments.get(free.assignmentId)).toBeUndefined();
      expect((await reviewers.get(ada.reviewerId))?.openAssignments).toBe(0);
      expect(await published(lost.detail.eventId)).toBe(false);
      expect(await failureOf(assignments.create([assignment(freshId("rev"))], []))).toBe("conflict");
      await reviewers.put({ ...bo, maxLoad: 5 });
      expect(await failureOf(assignments.create([taken], []))).toBe("conflict");
      expect((await reviewers.get(bo.reviewerId))?.openAssignments).toBe(1);
    });

    it("never loads a reviewer past maxLoad under racing creates", async () => {
      const { reviewers, assignments } = await subject();
      const ada = profile({ maxLoad: 2 });
      await reviewers.put(ada);
      const outcomes = await Promise.all(
        Array.from({ length: 5 }, () => failureOf(assignments.create([assignment(ada.reviewerId)], []))),
      );
      expect(outcomes.filter((o) => o === "no error")).toHaveLength(2);
      expect((await reviewers.get(ada.reviewerId))?.openAssignments).toBe(2);
      expect(await assignments.listForReviewer(ada.reviewerId)).toHaveLength(2);
    });

    it("updates from the revision read, releasing the load when asked; a stale one is a concurrent modification", async () => {
      const { reviewers, assignments } = await subject();
      const ada = profile();
      await reviewers.put(ada);
      const a = assignment(ada.reviewerId);
      await assignments.create([a], []);
      const submitted = {
        ...a,
        status: "submitted" as const,
        submittedAt: "2027-01-05T00:00:00.000Z",
        revision: 2,
      };
      await assignments.update(submitted, [], { releaseLoad: true });
      expect(await assignments.get(a.assignmentId)).toEqual(submitted);
      expect((await reviewers.get(ada.reviewerId))?.openAssignments).toBe(0);
      expect(await failureOf(assignments.update({ ...a, remindersSent: 1, revision: 2 }, []))).toBe(
        "concurrent modification",
      );
      expect(await assignments.get(a.assignmentId)).toEqual(submitted);
    });
  });
