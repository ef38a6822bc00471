import { createHash } from "node:crypto";
import type { Actor } from "../actor.js";
import type { Call } from "../call/schema.js";
import { sameContent } from "../canonical.js";
import type { Clock } from "../clock.js";
import { durationSeconds } from "../duration.js";
import { conflict, DomainError, forbidden, notFound } from "../errors.js";
import { createEvent } from "../events/define.js";
import { deterministicId } from "../ids.js";
import type { ProposalDeps } from "../proposal/commands.js";
import { ProposalScored } from "../proposal/events.js";
import type { ReviewWorkflow } from "../proposal/ports.js";
import type { Proposal } from "../proposal/schema.js";
import { WorkflowErrors } from "../workflow-errors.js";
import { planAssignment } from "./assignment.js";
import type { Assignment, AssignmentRepository } from "./assignments-ports.js";
import {
  ConflictDeclared,
  ReviewerReplaced,
  ReviewersAssigned,
  ReviewersNeeded,
  ReviewReminderDue,
  ReviewSubmitted,
} from "./events.js";
import type { ReviewerRepository } from "./ports.js";
import { parseReview } from "./schema.js";
import { scoreReviews } from "./scoring.js";

export interface ReviewDeps extends ProposalDeps {
  reviewers: ReviewerRepository;
  assignments: AssignmentRepository;
  workflow: ReviewWorkflow;
  clock: Clock;
}

/**
 * What a review slot's task needs to wait: the seconds to the deadline and, while a reminder
 * still fits before it, the reminder interval (the task's heartbeat). Without `remind` the
 * workflow waits for the deadline with no heartbeat, so reminders stop instead of looping.
 */
export interface SlotTiming {
  timeoutSeconds: number;
  heartbeatSeconds: number;
  remind: boolean;
}
export interface SlotInput {
  proposalId: string;
  slot: number;
  timing: SlotTiming;
}

const OPEN_OR_DONE = new Set(["open", "submitted"]);

// Step Functions wants whole seconds: a deadline that has passed still gets two, so the task
// times out at once and the late path runs.
export const slotTiming = (dueAt: string, reminderInterval: string, now: Date): SlotTiming => {
  const timeoutSeconds = Math.max(2, Math.ceil((Date.parse(dueAt) - now.getTime()) / 1000));
  const reminder = durationSeconds(reminderInterval) ?? 72 * 3600;
  const remind = reminder < timeoutSeconds;
  return { timeoutSeconds, heartbeatSeconds: remind ? reminder : timeoutSeconds, remind };
};

const addSeconds = (at: Date, seconds: number) => new Date(at.getTime() + seconds * 1000).toISOString();
const hash = (parts: string[]) => createHash("sha256").update(parts.join(",")).digest("hex").slice(0, 16);

/** The assignment that holds each slot now: the latest one given that slot. */
export const currentBySlot = (assignments: Assignment[]): Map<number, Assignment> => {
  const bySlot = new Map<number, Assignment>();
  // Turns, not timestamps: two turns may share a clock tick.
  for (const a of [...assignments].sort((x, y) => x.turn - y.turn)) bySlot.set(a.slot, a);
  return bySlot;
};

const load = async (deps: ReviewDeps, proposalId: string) => {
  const proposal = await deps.proposals.get(proposalId);
  if (!proposal) throw notFound(`Proposal ${proposalId}`);
  const call = await deps.calls.get(proposal.callId);
  if (!call) throw new Error(`Proposal ${proposalId} names a missing call ${proposal.callId}`);
  return { proposal, call };
};

const conflictSubject = (proposal: Proposal) => ({
  proposalId: proposal.proposalId,
  pi: { ...(proposal.pi ?? { name: "", email: "" }), institution: proposal.pi?.institution ?? "" },
  coInvestigators: proposal.coInvestigators ?? [],
  keywords: proposal.keywords ?? [],
});

/** Picks reviewers for the free slots; plans again if a reviewer filled up meanwhile. */
const fillSlots = async (
  deps: ReviewDeps,
  proposal: Proposal,
  call: Call,
  slots: number[],
  period: string,
  reason: { kind: "initial" } | { kind: "replacement"; replaced: Assignment; why: "conflict" | "late" },
): Promise<{ created: Assignment[]; shortBy: number }> => {
  for (let attempt = 1; ; attempt++) {
    const existing = await deps.assignments.listForProposal(proposal.proposalId);
    const pool = await deps.reviewers.getMany(call.reviewerPool);
    const plan = planAssignment({
      proposal: conflictSubject(proposal),
      pool,
      load: Object.fromEntries(pool.map((r) => [r.reviewerId, r.openAssignments])),
      needed: slots.length,
      // Anyone who already had a turn on this proposal (done, conflicted, late) is not asked again.
      exclude: existing.map((a) => a.reviewerId),
    });
    const now = deps.clock.now();
    const at = now.toISOString();
    const created: Assignment[] = plan.assigned.map((pick, i) => ({
      assignmentId: deterministicId("asg", proposal.proposalId, pick.reviewerId),
      proposalId: proposal.proposalId,
      callId: proposal.callId,
      slot: slots[i] as number,
      turn: reason.kind === "replacement" ? reason.replaced.turn + 1 : 1,
      reviewerId: pick.reviewerId,
      status: "open",
      assignedAt: at,
      dueAt: addSeconds(now, durationSeconds(period) ?? 0),
      remindersSent: 0,
      revision: 1,
    }));
    const events = [];
    if (reason.kind === "replacement") {
      events.push(
        createEvent(ReviewerReplaced, `${reason.replaced.assignmentId}:replaced`, at, {
          proposalId: proposal.proposalId,
          callId: proposal.callId,
          assignmentId: reason.replaced.assignmentId,
          reviewerId: reason.replaced.reviewerId,
          reason: reason.why,
          replacementAssignmentId: created[0]?.assignmentId,
        }),
      );
    }
    if (created.length) {
      events.push(
        createEvent(
          ReviewersAssigned,
          `${proposal.proposalId}:assigned:${hash(created.map((c) => c.assignmentId))}`,
          at,
          {
            proposalId: proposal.proposalId,
            callId: proposal.callId,
            assignments: created.map(({ assignmentId, reviewerId }) => ({ assignmentId, reviewerId })),
          },
        ),
      );
    }
    try {
      if (created.length || events.length) await deps.assignments.create(created, events);
      return { created, shortBy: plan.shortBy };
    } catch (error) {
      // A reviewer reached maxLoad between the read and the write: plan again with fresh loads.
      if (error instanceof DomainError && error.kind === "conflict" && attempt < 5) continue;
      throw error;
    }
  }
};

const setStatus = async (
  deps: ReviewDeps,
  proposal: Proposal,
  status: Proposal["status"],
  events = [] as ReturnType<typeof createEvent>[],
) => {
  if (proposal.status === status && !events.length) return proposal;
  const updated = {
    ...proposal,
    status,
    updatedAt: deps.clock.now().toISOString(),
    revision: proposal.revision + 1,
  };
  await deps.proposals.update(updated, events);
  return updated;
};

/** Workflow task: fills every review slot it can; idempotent (filled slots stay as they are). */
export const assignReviewers = async (
  deps: ReviewDeps,
  proposalId: string,
): Promise<{ complete: boolean; shortBy: number; slots: SlotInput[] }> => {
  const { proposal, call } = await load(deps, proposalId);
  if (proposal.status !== "in_review" && proposal.status !== "awaiting_reviewers") {
    throw conflict(`Proposal ${proposalId} is ${proposal.status}; it is not in review`);
  }
  const current = currentBySlot(await deps.assignments.listForProposal(proposalId));
  const free = [...Array(call.review.minReviewers).keys()].filter(
    (s) => !OPEN_OR_DONE.has(current.get(s)?.status ?? ""),
  );
  const { created, shortBy } = free.length
    ? await fillSlots(deps, proposal, call, free, call.review.reviewPeriod, { kind: "initial" })
    : { created: [], shortBy: 0 };
  for (const a of created) current.set(a.slot, a);

  if (shortBy > 0) {
    const filled = call.review.minReviewers - shortBy;
    await setStatus(deps, proposal, "awaiting_reviewers", [
      createEvent(
        ReviewersNeeded,
        `${proposalId}:reviewers-needed:${filled}`,
        deps.clock.now().toISOString(),
        {
          proposalId,
          callId: proposal.callId,
          shortBy,
        },
      ),
    ]);
    return { complete: false, shortBy, slots: [] };
  }
  if (proposal.status === "awaiting_reviewers") await setStatus(deps, proposal, "in_review");
  const now = deps.clock.now();
  return {
    complete: true,
    shortBy: 0,
    slots: [...current.values()]
      .filter((a) => a.slot < call.review.minReviewers)
      .sort((a, b) => a.slot - b.slot)
      .map((a) => ({
        proposalId,
        slot: a.slot,
        timing: slotTiming(a.dueAt, call.review.reminderInterval, now),
      })),
  };
};

/** Workflow task: parks the callback that waits for staff to extend the reviewer pool. */
export const awaitReviewers = async (deps: ReviewDeps, proposalId: string, taskToken: string) => {
  const { proposal, call } = await load(deps, proposalId);
  if (proposal.status !== "awaiting_reviewers") {
    await deps.workflow.complete(taskToken, { resumed: "not waiting" });
    return;
  }
  await deps.proposals.update(
    {
      ...proposal,
      reviewerWaitTaskToken: taskToken,
      updatedAt: deps.clock.now().toISOString(),
      revision: proposal.revision + 1,
    },
    [],
  );
  // The pool may have grown between the assignment attempt and this park: look once more, or
  // the proposal would wait for an event that already happened.
  const existing = await deps.assignments.listForProposal(proposalId);
  const pool = await deps.reviewers.getMany(call.reviewerPool);
  const free =
    call.review.minReviewers -
    [...currentBySlot(existing).values()].filter((a) => OPEN_OR_DONE.has(a.status)).length;
  const plan = planAssignment({
    proposal: conflictSubject(proposal),
    pool,
    load: Object.fromEntries(pool.map((r) => [r.reviewerId, r.openAssignments])),
    needed: Math.max(0, free),
    exclude: existing.map((a) => a.reviewerId),
  });
  if (plan.shortBy === 0) await deps.workflow.complete(taskToken, { resumed: "pool already sufficient" });
};

/** Event consumer: the pool grew, so every proposal of the call that waits for reviewers tries again. */
export const resumeAwaitingReviewers = async (deps: ReviewDeps, callId: string) => {
  for (const proposal of await deps.proposals.listByCall(callId, "awaiting_reviewers")) {
    if (proposal.reviewerWaitTaskToken)
      await deps.workflow.complete(proposal.reviewerWaitTaskToken, { resumed: "pool extended" });
  }
};

const currentAssignment = async (deps: ReviewDeps, proposalId: string, slot: number) => {
  const current = currentBySlot(await deps.assignments.listForProposal(proposalId)).get(slot);
  if (!current) throw notFound(`Review slot ${slot} of proposal ${proposalId}`);
  return current;
};

const reviewResult = (a: Assignment) => ({
  assignmentId: a.assignmentId,
  reviewerId: a.reviewerId,
  slot: a.slot,
  submitted: true,
});

/** Workflow task: parks the slot's callback on its current assignment (or completes it if done). */
export const awaitReview = async (
  deps: ReviewDeps,
  input: { proposalId: string; slot: number; taskToken: string },
) => {
  const current = await currentAssignment(deps, input.proposalId, input.slot);
  if (current.status === "submitted") {
    await deps.workflow.complete(input.taskToken, reviewResult(current));
    return;
  }
  if (current.status === "conflicted") {
    await deps.workflow.fail(
      input.taskToken,
      WorkflowErrors.reviewerConflicted,
      `Assignment ${current.assignmentId}`,
    );
    return;
  }
  if (current.status !== "open") throw conflict(`Assignment ${current.assignmentId} is ${current.status}`);
  if (current.taskToken === input.taskToken) return;
  await deps.assignments.update(
    { ...current, taskToken: input.taskToken, revision: current.revision + 1 },
    [],
  );
};

const ownAssignment = async (deps: ReviewDeps, actor: Actor, assignmentId: string) => {
  if (actor.role !== "reviewer") throw forbidden("Only reviewers act on assignments");
  const assignment = await deps.assignments.get(assignmentId);
  if (!assignment || assignment.reviewerId !== actor.userId) throw notFound(`Assignment ${assignmentId}`);
  return assignment;
};

export const submitReview = async (deps: ReviewDeps, actor: Actor, assignmentId: string, input: unknown) => {
  const assignment = await ownAssignment(deps, actor, assignmentId);
  const { call } = await load(deps, assignment.proposalId);
  const review = parseReview(call.review.rubric, input);
  let done = assignment;
  if (assignment.status === "submitted") {
    if (!sameContent(assignment.review, review)) {
      throw conflict(`Your review for ${assignmentId} was already submitted; it cannot be changed`);
    }
  } else {
    if (assignment.status !== "open") throw conflict(`Assignment ${assignmentId} is ${assignment.status}`);
    const at = deps.clock.now().toISOString();
    done = {
      ...assignment,
      status: "submitted",
      review,
      submittedAt: at,
      closedAt: at,
      revision: assignment.revision + 1,
    };
    await deps.assignments.update(
      done,
      [
        createEvent(ReviewSubmitted, `${assignmentId}:submitted`, at, {
          proposalId: assignment.proposalId,
          callId: assignment.callId,
          assignmentId,
          reviewerId: assignment.reviewerId,
        }),
      ],
      { releaseLoad: true },
    );
  }
  if (done.taskToken) await deps.workflow.complete(done.taskToken, reviewResult(done));
  const { taskToken: _t, ...view } = done;
  return view;
};

export const declareConflict = async (
  deps: ReviewDeps,
  actor: Actor,
  assignmentId: string,
  reason: string,
) => {
  const assignment = await ownAssignment(deps, actor, assignmentId);
  let done = assignment;
  if (assignment.status !== "conflicted") {
    if (assignment.status !== "open") throw conflict(`Assignment ${assignmentId} is ${assignment.status}`);
    const at = deps.clock.now().toISOString();
    done = { ...assignment, status: "conflicted", closedAt: at, revision: assignment.revision + 1 };
    await deps.assignments.update(
      done,
      [
        createEvent(ConflictDeclared, `${assignmentId}:conflict`, at, {
          proposalId: assignment.proposalId,
          callId: assignment.callId,
          assignmentId,
          reviewerId: assignment.reviewerId,
        }),
      ],
      { releaseLoad: true },
    );
  }
  if (done.taskToken) await deps.workflow.fail(done.taskToken, WorkflowErrors.reviewerConflicted, reason);
  const { taskToken: _t, ...view } = done;
  return view;
};

/** Workflow task, on the review task's heartbeat timeout: one reminder, and the time left. */
export const remindReviewer = async (
  deps: ReviewDeps,
  input: { proposalId: string; slot: number },
): Promise<SlotTiming> => {
  const { call } = await load(deps, input.proposalId);
  const current = await currentAssignment(deps, input.proposalId, input.slot);
  const now = deps.clock.now();
  if (current.status === "open") {
    const n = current.remindersSent + 1;
    await deps.assignments.update({ ...current, remindersSent: n, revision: current.revision + 1 }, [
      createEvent(ReviewReminderDue, `${current.assignmentId}:reminder:${n}`, now.toISOString(), {
        proposalId: current.proposalId,
        callId: current.callId,
        assignmentId: current.assignmentId,
        reviewerId: current.reviewerId,
        dueAt: current.dueAt,
      }),
    ]);
  }
  return slotTiming(current.dueAt, call.review.reminderInterval, now);
};

/**
 * Workflow task, when a slot's reviewer declared a conflict or missed the deadline: closes that
 * turn and gives the slot to the next unconflicted reviewer. Idempotent: a re-run finds the
 * replacement already holding the slot.
 */
export const replaceReviewer = async (
  deps: ReviewDeps,
  input: { proposalId: string; slot: number; reason: "conflict" | "late" },
): Promise<{ replaced: boolean; timing?: SlotTiming }> => {
  const { proposal, call } = await load(deps, input.proposalId);
  let current = await currentAssignment(deps, input.proposalId, input.slot);
  const now = deps.clock.now();
  const stillRunning = current.status === "open" && Date.parse(current.dueAt) > now.getTime();
  if (stillRunning || current.status === "submitted") {
    return { replaced: true, timing: slotTiming(current.dueAt, call.review.reminderInterval, now) };
  }
  if (current.status === "open") {
    current = { ...current, status: "late", closedAt: now.toISOString(), revision: current.revision + 1 };
    await deps.assignments.update(current, [], { releaseLoad: true });
  }
  const period = input.reason === "late" ? call.review.lateReplacementPeriod : call.review.reviewPeriod;
  const { created } = await fillSlots(deps, proposal, call, [input.slot], period, {
    kind: "replacement",
    replaced: current,
    why: input.reason,
  });
  const replacement = created[0];
  return replacement
    ? { replaced: true, timing: slotTiming(replacement.dueAt, call.review.reminderInterval, now) }
    : { replaced: false };
};

/** Event consumer on withdrawal: open turns close and give their load back. */
export const cancelOpenAssignments = async (deps: ReviewDeps, proposalId: string) => {
  const at = deps.clock.now().toISOString();
  for (const a of await deps.assignments.listForProposal(proposalId)) {
    if (a.status !== "open") continue;
    await deps.assignments.update({ ...a, status: "cancelled", closedAt: at, revision: a.revision + 1 }, [], {
      releaseLoad: true,
    });
  }
};

/** Workflow task: the rubric's weighted score of the submitted reviews; idempotent. */
export const scoreProposal = async (deps: ReviewDeps, proposalId: string) => {
  const { proposal, call } = await load(deps, proposalId);
  if (proposal.score) return proposal.score;
  const reviews = [...currentBySlot(await deps.assignments.listForProposal(proposalId)).values()]
    .filter((a) => a.status === "submitted" && a.review)
    .sort((a, b) => a.slot - b.slot);
  const at = deps.clock.now().toISOString();
  const summary = reviews.length
    ? scoreReviews(
        call.review.rubric,
        reviews.map((a) => a.review as NonNullable<Assignment["review"]>),
        { disagreementThreshold: call.review.disagreementThreshold },
      )
    : undefined;
  const score = {
    total: summary?.total ?? null,
    reviewCount: reviews.length,
    spread: summary?.spread ?? 0,
    disagreement: summary?.disagreement ?? false,
    criteria: (summary?.criteria ?? []).map((c) => ({
      criterionId: c.criterionId,
      name: c.name,
      mean: c.mean,
    })),
    incomplete: reviews.length < call.review.minReviewers,
    scoredAt: at,
  };
  await deps.proposals.update({ ...proposal, score, updatedAt: at, revision: proposal.revision + 1 }, [
    createEvent(ProposalScored, `${proposalId}:scored`, at, {
      proposalId,
      callId: proposal.callId,
      total: score.total ?? 0,
      reviewCount: score.reviewCount,
      disagreement: score.disagreement,
    }),
  ]);
  return score;
};
