import { describe, expect, it } from "vitest";
import type { Actor } from "../src/actor.js";
import { DomainError } from "../src/errors.js";
import { createDraft, screenProposal, submitProposal } from "../src/proposal/index.js";
import {
  assignReviewers,
  awaitReview,
  declareConflict,
  listMyAssignments,
  readProposal,
  remindReviewer,
  replaceReviewer,
  resumeAwaitingReviewers,
  scoreProposal,
  slotTiming,
  submitReview,
} from "../src/review/index.js";
import type { ReviewerRecord } from "../src/review/ports.js";
import { WorkflowErrors } from "../src/workflow-errors.js";
import {
  memoryAssignments,
  memoryCalls,
  memoryPrograms,
  memoryProposals,
  memoryReviewers,
  recordingWorkflow,
} from "./fakes.js";
import { call, program, submission } from "./fixtures.js";

let now = new Date("2026-11-28T10:00:00Z");
const clock = { now: () => now };
const alice: Actor = { userId: "alice", role: "applicant" };
const staff: Actor = { userId: "sam", role: "staff" };
const as = (userId: string): Actor => ({ userId, role: "reviewer" });

const reviewer = (
  reviewerId: string,
  institution: string,
  extra: Partial<ReviewerRecord> = {},
): ReviewerRecord => ({
  reviewerId,
  name: `Reviewer ${reviewerId}`,
  email: `${reviewerId}@example.org`,
  institution,
  keywords: ["ml-systems"],
  coAuthors: [],
  declaredConflicts: [],
  maxLoad: 8,
  openAssignments: 0,
  updatedAt: "2026-11-01T00:00:00Z",
  updatedBy: "sam",
  ...extra,
});

const setup = async (pool: ReviewerRecord[], blind = false) => {
  now = new Date("2026-11-28T10:00:00Z");
  const proposals = memoryProposals();
  const programs = memoryPrograms();
  const calls = memoryCalls();
  const reviewers = memoryReviewers();
  for (const r of pool) reviewers.items.set(r.reviewerId, r);
  programs.items.set(program.programId, program);
  calls.items.set(call.callId, {
    ...call,
    review: { ...call.review, blind },
    reviewerPool: pool.map((r) => r.reviewerId),
  });
  const assignments = memoryAssignments(reviewers.items);
  const wf = recordingWorkflow();
  const deps = {
    proposals: proposals.repo,
    calls: calls.repo,
    programs: programs.repo,
    reviewers: reviewers.repo,
    assignments: assignments.repo,
    workflow: wf.workflow,
    clock,
  };
  const { proposal } = await createDraft(deps, alice, submission);
  await submitProposal(deps, alice, proposal.proposalId);
  await screenProposal(deps, proposal.proposalId);
  return {
    deps,
    proposalId: proposal.proposalId,
    reviewers: reviewers.items,
    calls,
    proposals: proposals.items,
    assignments: assignments.items,
    events: [proposals.events, assignments.events],
    ...wf,
  };
};

const review = {
  scores: { impact: 5, feasibility: 3 },
  comments: "Clear plan, strong team, realistic milestones.",
};

describe("review workflow tasks", () => {
  it("assigns unconflicted reviewers, collects reviews through callbacks and scores them", async () => {
    const { deps, proposalId, reviewers, completed } = await setup([
      reviewer("r1", "Uni A"), // the PI's institution: conflicted
      reviewer("r2", "Uni B"),
      reviewer("r3", "Uni C"),
    ]);
    const plan = await assignReviewers(deps, proposalId);
    expect(plan.complete).toBe(true);
    expect(plan.slots.map((s) => s.slot)).toEqual([0, 1]);
    expect(await assignReviewers(deps, proposalId)).toEqual(plan);
    const mine = await listMyAssignments(deps, as("r2"));
    expect(mine).toHaveLength(1);
    expect(reviewers.get("r1")?.openAssignments).toBe(0);
    expect(reviewers.get("r2")?.openAssignments).toBe(1);

    await awaitReview(deps, { proposalId, slot: mine[0]?.slot ?? 0, taskToken: "t-r2" });
    await submitReview(deps, as("r2"), mine[0]?.assignmentId ?? "", review);
    expect(completed.at(-1)).toMatchObject({ token: "t-r2", output: { submitted: true, reviewerId: "r2" } });
    expect(reviewers.get("r2")?.openAssignments).toBe(0);
    const r3 = (await listMyAssignments(deps, as("r3")))[0];
    await submitReview(deps, as("r3"), r3?.assignmentId ?? "", {
      ...review,
      scores: { impact: 1, feasibility: 1 },
    });
    // The review came in before the task parked: the task completes the callback itself.
    await awaitReview(deps, { proposalId, slot: r3?.slot ?? 0, taskToken: "t-r3" });
    expect(completed.at(-1)).toMatchObject({ token: "t-r3" });

    const score = await scoreProposal(deps, proposalId);
    expect(score).toMatchObject({ reviewCount: 2, incomplete: false, disagreement: true });
    expect(score.total).toBeCloseTo(((((5 - 1) / 4) * 2 + ((3 - 1) / 4) * 1) / 3) * 50 + 0, 1);
  });

  it("waits for staff when too few unconflicted reviewers exist, and resumes when the pool grows", async () => {
    const { deps, proposalId, calls, completed, reviewers } = await setup([
      reviewer("r1", "Uni A"),
      reviewer("r2", "Uni B"),
    ]);
    const plan = await assignReviewers(deps, proposalId);
    expect(plan).toEqual({ complete: false, shortBy: 1, slots: [] });
    expect((await deps.proposals.get(proposalId))?.status).toBe("awaiting_reviewers");
    const { awaitReviewers } = await import("../src/review/index.js");
    await awaitReviewers(deps, proposalId, "wait-1");
    expect(completed).toEqual([]);

    reviewers.set("r4", reviewer("r4", "Uni D"));
    calls.items.get("c1")?.reviewerPool.push("r4");
    await resumeAwaitingReviewers(deps, "c1");
    expect(completed).toEqual([{ token: "wait-1", output: { resumed: "pool extended" } }]);
    const again = await assignReviewers(deps, proposalId);
    expect(again.complete).toBe(true);
    expect((await deps.proposals.get(proposalId))?.status).toBe("in_review");
  });

  it("replaces a reviewer who declares a conflict, and a late one at the deadline", async () => {
    const { deps, proposalId, failed } = await setup([
      reviewer("r2", "Uni B"),
      reviewer("r3", "Uni C"),
      reviewer("r4", "Uni D"),
      reviewer("r5", "Uni E"),
    ]);
    await assignReviewers(deps, proposalId);
    const [first] = await listMyAssignments(deps, as("r2"));
    await awaitReview(deps, { proposalId, slot: first?.slot ?? 0, taskToken: "t-1" });
    await declareConflict(deps, as("r2"), first?.assignmentId ?? "", "I advised the PI last year");
    expect(failed).toEqual([{ token: "t-1", error: WorkflowErrors.reviewerConflicted }]);
    const replaced = await replaceReviewer(deps, { proposalId, slot: first?.slot ?? 0, reason: "conflict" });
    expect(replaced.replaced).toBe(true);
    expect(await replaceReviewer(deps, { proposalId, slot: first?.slot ?? 0, reason: "conflict" })).toEqual(
      replaced,
    );

    now = new Date("2026-12-20T10:00:00Z"); // past the 21-day deadline
    const late = (await listMyAssignments(deps, as("r3")))[0];
    const timing = await remindReviewer(deps, { proposalId, slot: late?.slot ?? 1 });
    expect(timing.timeoutSeconds).toBe(2);
    const swap = await replaceReviewer(deps, { proposalId, slot: late?.slot ?? 1, reason: "late" });
    expect(swap.replaced).toBe(true);
    expect(swap.timing?.timeoutSeconds).toBe(7 * 24 * 3600);
    const r3 = await deps.assignments.get(late?.assignmentId ?? "");
    expect(r3?.status).toBe("late");
    const conflictErr = await submitReview(deps, as("r3"), late?.assignmentId ?? "", review).catch((e) => e);
    expect(conflictErr).toBeInstanceOf(DomainError);
  });

  it("answers an identical replay of a submitted review with it, whatever key order the store returns", async () => {
    const { deps, proposalId, assignments } = await setup([reviewer("r2", "Uni B"), reviewer("r3", "Uni C")]);
    await assignReviewers(deps, proposalId);
    const mine = (await listMyAssignments(deps, as("r2")))[0]?.assignmentId ?? "";
    const body = { ...review, scores: { impact: 5, feasibility: 3 }, commentsToApplicant: "Publish early." };
    const first = await submitReview(deps, as("r2"), mine, body);
    // DynamoDB hands maps back in its own order, not the order they were written in.
    const stored = assignments.get(mine);
    if (!stored?.review) throw new Error("the review was not stored");
    const { scores, comments, commentsToApplicant } = stored.review;
    stored.review = {
      commentsToApplicant,
      comments,
      scores: { feasibility: scores.feasibility ?? 0, impact: scores.impact ?? 0 },
    };
    expect(await submitReview(deps, as("r2"), mine, body)).toEqual(first);
    await expect(
      submitReview(deps, as("r2"), mine, { ...body, scores: { impact: 4, feasibility: 3 } }),
    ).rejects.toMatchObject({ kind: "conflict", message: expect.stringMatching(/already submitted/) });
  });

  it("hides the applicant from reviewers in a blind call, and proposals from unassigned reviewers", async () => {
    const { deps, proposalId } = await setup(
      [
        reviewer("r2", "Uni B"),
        reviewer("r3", "Uni C"),
        reviewer("r9", "Uni Z", { maxLoad: 1, openAssignments: 1 }),
      ],
      true,
    );
    await assignReviewers(deps, proposalId);
    const seen = await readProposal(deps, as("r2"), proposalId);
    expect(JSON.stringify(seen)).not.toContain("alice");
    expect(JSON.stringify(seen)).not.toContain("Uni A");
    expect(seen).toMatchObject({ blind: true, title: submission.title });
    const notMine = await readProposal(deps, as("r9"), proposalId).catch((e) => e);
    expect(notMine).toMatchObject({ kind: "not_found" });
    expect(await readProposal(deps, staff, proposalId)).toMatchObject({ pi: submission.pi });
  });

  it("shows the applicant the committee's text without the call's reviewers' names or any e-mail; staff see it as written", async () => {
    const pool = [
      reviewer("r2", "Uni B", { name: "Mira Holloway", email: "mira@uni-b.example" }),
      reviewer("r3", "Uni C", { name: "Reviewer Two", email: "rev2@review.example.org" }),
    ];
    const { deps, proposalId, proposals } = await setup(pool);
    await assignReviewers(deps, proposalId);
    const rationale =
      "As Holloway and Reviewer Two <rev2@review.example.org> noted, the plan is thin. Ask m.holloway@elsewhere.example.";
    const stored = proposals.get(proposalId);
    if (!stored) throw new Error("no proposal");
    stored.status = "declined";
    stored.decision = {
      outcome: "decline",
      rationale,
      decidedBy: "sam",
      decidedAt: now.toISOString(),
      scoreAtDecision: null,
    };
    stored.revisedDecisions = [
      {
        ...stored.decision,
        outcome: "approve",
        cashCents: 1,
        creditsCents: 1,
        refusedAt: now.toISOString(),
        refusal: "pool",
      },
    ];
    const redacted = "As [redacted] and [redacted] <[redacted]> noted, the plan is thin. Ask [redacted].";
    expect(await readProposal(deps, alice, proposalId)).toMatchObject({
      decision: { rationale: redacted },
      revisedDecisions: [{ rationale: redacted }],
      // The applicant's own details are theirs to see.
      pi: submission.pi,
    });
    expect(await readProposal(deps, staff, proposalId)).toMatchObject({ decision: { rationale } });
  });

  it("computes whole-second timings, reminding only while a reminder fits before the deadline", () => {
    const at = new Date("2026-01-01T00:00:00Z");
    expect(slotTiming("2026-01-22T00:00:00Z", "PT72H", at)).toEqual({
      timeoutSeconds: 21 * 86400,
      heartbeatSeconds: 72 * 3600,
      remind: true,
    });
    expect(slotTiming("2026-01-01T00:00:05Z", "PT72H", at)).toEqual({
      timeoutSeconds: 5,
      heartbeatSeconds: 5,
      remind: false,
    });
    expect(slotTiming("2025-12-01T00:00:00Z", "PT72H", at)).toEqual({
      timeoutSeconds: 2,
      heartbeatSeconds: 2,
      remind: false,
    });
  });
});
