import { describe, expect, it } from "vitest";
import type { Actor } from "../src/actor.js";
import { DomainError } from "../src/errors.js";
import {
  awaitDecision,
  getProposal,
  type ProposalSubmission,
  recordDecision,
  screen,
  screenProposal,
  submitProposal,
} from "../src/proposal/index.js";
import { memoryProposals, recordingWorkflow } from "./fakes.js";

const clock = { now: () => new Date("2026-11-28T10:00:00Z") };
const alice: Actor = { userId: "alice", role: "applicant" };
const bob: Actor = { userId: "bob", role: "applicant" };
const staff: Actor = { userId: "sam", role: "staff" };

const submission: ProposalSubmission = {
  callId: "call-2027-spring",
  title: "Sparse attention at scale",
  abstract: "We study sparse attention kernels for long-context models on accelerator clusters.",
  pi: { name: "Alice A", email: "alice@uni.example", institution: "Uni A", strategicPartner: false },
  coInvestigators: [],
  keywords: ["ml-systems"],
  requestedCashCents: 10_000_000,
  requestedCreditsCents: 20_000_000,
  durationMonths: 12,
  openSourcePlan: "Code on GitHub under the Apache-2.0 license",
};

const kindOf = async (p: Promise<unknown>) => {
  const error = await p.catch((e) => e);
  return error instanceof DomainError ? error.kind : "no error";
};

describe("proposal commands", () => {
  it("submits once per PI and call: an identical retry returns the same proposal, a different one conflicts", async () => {
    // Prepare
    const { repo, events } = memoryProposals();
    const deps = { proposals: repo, clock };
    // Act
    const first = await submitProposal(deps, alice, submission);
    const again = await submitProposal(deps, alice, submission);
    // Assess
    expect(first.created).toBe(true);
    expect(again).toEqual({ proposal: first.proposal, created: false });
    expect(events.map((e) => e.detailType)).toEqual(["Proposal Submitted"]);
    expect(events[0]?.detail.data).toEqual({ proposalId: first.proposal.proposalId, callId: submission.callId });
    expect(await kindOf(submitProposal(deps, alice, { ...submission, title: "Another title" }))).toBe("conflict");
    expect((await submitProposal(deps, bob, submission)).proposal.proposalId).not.toBe(first.proposal.proposalId);
  });

  it("lets only applicants submit, and hides a proposal from other applicants", async () => {
    const { repo } = memoryProposals();
    const deps = { proposals: repo, clock };
    expect(await kindOf(submitProposal(deps, staff, submission))).toBe("forbidden");
    const { proposal } = await submitProposal(deps, alice, submission);
    expect(await kindOf(getProposal(deps, bob, proposal.proposalId))).toBe("not_found");
    expect((await getProposal(deps, staff, proposal.proposalId)).proposalId).toBe(proposal.proposalId);
  });

  it.each([
    [{ requestedCashCents: 50_000_001 }, "requested cash exceeds"],
    [{ requestedCashCents: 0, requestedCreditsCents: 0 }, "neither cash nor credits"],
    [{ openSourcePlan: "We will share it with friends someday" }, "open-source plan"],
  ])("screens out %j", (change, reason) => {
    const result = screen({ ...submission, ...change });
    expect(result.eligible).toBe(false);
    expect(result.reasons.join(" ")).toContain(reason);
  });

  it("screens idempotently and records a decision exactly once, completing the parked task", async () => {
    const { repo, events } = memoryProposals();
    const { workflow, completed } = recordingWorkflow();
    const deps = { proposals: repo, clock, workflow };
    const { proposal } = await submitProposal(deps, alice, submission);
    expect(await screenProposal(deps, proposal.proposalId)).toEqual({ eligible: true, reasons: [] });
    expect(await screenProposal(deps, proposal.proposalId)).toEqual({ eligible: true, reasons: [] });
    expect(await kindOf(recordDecision(deps, staff, proposal.proposalId, { outcome: "decline", rationale: "Out of scope here" }))).toBe("conflict");

    await awaitDecision(deps, proposal.proposalId, "token-1");
    const decision = { outcome: "approve" as const, rationale: "Strong, feasible plan", cashCents: 5_000_000, creditsCents: 1 };
    expect(await kindOf(recordDecision(deps, staff, proposal.proposalId, { ...decision, cashCents: 10_000_001 }))).toBe("validation");
    expect(await kindOf(recordDecision(deps, alice, proposal.proposalId, decision))).toBe("forbidden");
    const decided = await recordDecision(deps, staff, proposal.proposalId, decision);
    await recordDecision(deps, staff, proposal.proposalId, decision);

    expect(decided.status).toBe("awarded");
    expect(completed).toEqual([
      { token: "token-1", output: { outcome: "approve" } },
      { token: "token-1", output: { outcome: "approve" } },
    ]);
    expect(events.map((e) => e.detailType)).toEqual(["Proposal Submitted", "Proposal Screened", "Decision Recorded"]);
    expect(await kindOf(recordDecision(deps, staff, proposal.proposalId, { ...decision, outcome: "decline" }))).toBe("conflict");
  });
});
