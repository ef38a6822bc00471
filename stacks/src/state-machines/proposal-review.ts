import { WorkflowErrors } from "@allot/core";
import { choice, definition, equals, invoke, isTrue, map, on, succeed, waitForToken } from "../asl/states.js";
import { reviewSlot } from "./review-slot.js";

const proposal = { proposalId: "$.proposalId" };
const TWO_WEEKS = 14 * 86_400;
const NINETY_DAYS = 90 * 86_400;

// The budget commitment closes the decision rather than opening the award: a refusal (a pool or
// a cap) puts the decision back before the committee, a loop that stays inside this machine.
// A committed award is offered, and its AwardOffered event starts the award-provisioning machine.
export const proposalReview = definition(
  "One proposal from screening to the committee's decision: reviewer assignment, reviews, scoring, the decision and its budget commitment. One execution per proposal, named by its id; an approved award goes on in award-provisioning.",
  "Screen",
  {
    Screen: invoke("screen-proposal", {
      payload: proposal,
      select: ["eligible", "reasons"],
      resultPath: "$.screening",
      next: "Eligible?",
    }),
    "Eligible?": choice([isTrue("$.screening.eligible", "AssignReviewers")], "Ineligible"),
    Ineligible: succeed(),
    AssignReviewers: invoke("assign-reviewers", {
      payload: proposal,
      select: ["complete", "shortBy", "slots"],
      resultPath: "$.assignment",
      next: "Enough reviewers?",
    }),
    "Enough reviewers?": choice([isTrue("$.assignment.complete", "CollectReviews")], "AwaitReviewers"),
    // Staff extending the pool completes the wait; after two weeks assignment is tried again anyway.
    AwaitReviewers: waitForToken("await-reviewers", {
      payload: proposal,
      timeoutSeconds: TWO_WEEKS,
      resultPath: null,
      catch: [on(WorkflowErrors.timeout, "AssignReviewers")],
      next: "AssignReviewers",
    }),
    CollectReviews: map("$.assignment.slots", reviewSlot, { resultPath: "$.reviews", next: "Score" }),
    Score: invoke("score-proposal", {
      payload: proposal,
      select: ["total", "reviewCount"],
      resultPath: "$.score",
      next: "AwaitDecision",
    }),
    AwaitDecision: waitForToken("await-decision", {
      payload: proposal,
      timeoutSeconds: NINETY_DAYS,
      resultPath: "$.decision",
      catch: [on(WorkflowErrors.timeout, "AwaitDecision")],
      next: "Approved?",
    }),
    "Approved?": choice([equals("$.decision.outcome", "approve", "CommitBudget")], "Decided"),
    Decided: succeed(),
    CommitBudget: invoke("commit-award", {
      payload: proposal,
      select: ["awardId"],
      resultPath: "$.award",
      catch: [on(WorkflowErrors.budgetExhausted, "AwaitDecision", "$.commitRefused")],
      next: "Offered",
    }),
    Offered: succeed(),
  },
);
