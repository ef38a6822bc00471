import { describe, expect, it } from "vitest";
import type { Actor } from "../src/actor.js";
import { DomainError } from "../src/errors.js";
import {
  awaitDecision,
  createDraft,
  listProposals,
  recordDecision,
  screen,
  screenProposal,
  submitProposal,
  updateDraft,
  withdrawProposal,
} from "../src/proposal/index.js";
import { memoryCalls, memoryPrograms, memoryProposals, recordingWorkflow } from "./fakes.js";
import { call, program, submission } from "./fixtures.js";

let now = new Date("2026-11-28T10:00:00Z");
const clock = { now: () => now };
const alice: Actor = { userId: "alice", role: "applicant" };
const bob: Actor = { userId: "bob", role: "applicant" };
const staff: Actor = { userId: "sam", role: "staff" };

const setup = () => {
  const proposals = memoryProposals();
  const programs = memoryPrograms();
  const calls = memoryCalls();
  programs.items.set(program.programId, program);
  calls.items.set(call.callId, call);
  const { workflow, completed, stopped } = recordingWorkflow();
  now = new Date("2026-11-28T10:00:00Z");
  return {
    deps: { proposals: proposals.repo, calls: calls.repo, programs: programs.repo, clock, workflow },
    events: proposals.events,
    proposals: proposals.items,
    completed,
    stopped,
  };
};

const errorOf = async (p: Promise<unknown>) => {
  const error = await p.catch((e) => e);
  if (!(error instanceof DomainError)) throw new Error(`expected a DomainError, got ${String(error)}`);
  return error;
};

describe("proposal lifecycle", () => {
  it("creates one draft per applicant and call: an identical retry returns it, another conflicts", async () => {
    const { deps, events } = setup();
    const first = await createDraft(deps, alice, { callId: "c1", title: "Draft title" });
    const again = await createDraft(deps, alice, { callId: "c1", title: "Draft title" });
    expect(first.created).toBe(true);
    expect(again).toEqual({ proposal: first.proposal, created: false });
    expect((await errorOf(createDraft(deps, alice, { callId: "c1", title: "Other" }))).kind).toBe("conflict");
    expect((await errorOf(createDraft(deps, alice, { callId: "nope" }))).kind).toBe("validation");
    expect((await errorOf(createDraft(deps, staff, { callId: "c1" }))).kind).toBe("forbidden");
    expect(events.map((e) => e.detailType)).toEqual(["Proposal Drafted"]);
  });

  it("refuses an incomplete or out-of-bounds submission with every field named, storing nothing", async () => {
    const { deps, events } = setup();
    const { proposal } = await createDraft(deps, alice, { callId: "c1", title: "Short" });
    const incomplete = await errorOf(submitProposal(deps, alice, proposal.proposalId));
    expect(incomplete.kind).toBe("validation");
    expect(incomplete.issues.map((i) => i.field).sort()).toEqual(
      [
        "abstract",
        "durationMonths",
        "keywords",
        "openSourcePlan",
        "pi",
        "requestedCashCents",
        "requestedCreditsCents",
      ].sort(),
    );
    await updateDraft(deps, alice, proposal.proposalId, {
      ...submission,
      requestedCashCents: 60_000_000,
      durationMonths: 48,
    });
    const tooBig = await errorOf(submitProposal(deps, alice, proposal.proposalId));
    expect(tooBig.issues.map((i) => i.field).sort()).toEqual(["durationMonths", "requestedCashCents"]);
    expect(tooBig.issues[1]?.message ?? tooBig.issues[0]?.message).toMatch(/at most/);
    expect((await deps.proposals.get(proposal.proposalId))?.status).toBe("draft");
    expect(events.map((e) => e.detailType)).toEqual(["Proposal Drafted"]);
  });

  it("refuses submission outside the call's window", async () => {
    const { deps } = setup();
    const { proposal } = await createDraft(deps, alice, submission);
    now = new Date("2027-07-01T00:00:00Z");
    const closed = await errorOf(submitProposal(deps, alice, proposal.proposalId));
    expect(closed.issues).toEqual([{ field: "callId", message: "the call closed at 2027-06-30T00:00:00Z" }]);
  });

  it("submits idempotently, once per PI e-mail per call, and then forbids edits", async () => {
    const { deps, events } = setup();
    const { proposal } = await createDraft(deps, alice, submission);
    const submitted = await submitProposal(deps, alice, proposal.proposalId);
    expect(submitted.status).toBe("submitted");
    expect(await submitProposal(deps, alice, proposal.proposalId)).toEqual(submitted);
    expect(events.filter((e) => e.detailType === "Proposal Submitted")).toHaveLength(1);
    expect((await errorOf(updateDraft(deps, alice, proposal.proposalId, { title: "Changed it" }))).kind).toBe(
      "conflict",
    );
    // Bob names Alice as PI in the same call: refused.
    const bobs = await createDraft(deps, bob, submission);
    const dup = await errorOf(submitProposal(deps, bob, bobs.proposal.proposalId));
    expect(dup.issues).toEqual([{ field: "pi.email", message: "this PI already has a proposal in call c1" }]);
    expect((await errorOf(submitProposal(deps, bob, proposal.proposalId))).kind).toBe("not_found");
  });

  it.each([
    [{ keywords: ["astronomy"] }, "research areas must include one of"],
    [{ pi: { ...submission.pi, institution: "Banned U" } }, "Banned U is not eligible"],
    [{ openSourcePlan: "We will share it with friends someday" }, "missing: github, license"],
  ])("screens out %j against the call's rules", (change, reason) => {
    const result = screen({ ...submission, ...change }, call, []);
    expect(result.eligible).toBe(false);
    expect(result.reasons.join(" ")).toContain(reason);
  });

  it("screens idempotently and records a decision once, completing the parked callback", async () => {
    const { deps, events, completed } = setup();
    const { proposal } = await createDraft(deps, alice, submission);
    await submitProposal(deps, alice, proposal.proposalId);
    expect(await screenProposal(deps, proposal.proposalId)).toEqual({ eligible: true, reasons: [] });
    expect(await screenProposal(deps, proposal.proposalId)).toEqual({ eligible: true, reasons: [] });
    expect(
      (
        await errorOf(
          recordDecision(deps, staff, proposal.proposalId, {
            outcome: "decline",
            rationale: "Out of scope here",
          }),
        )
      ).kind,
    ).toBe("conflict");

    await awaitDecision(deps, proposal.proposalId, "token-1");
    const decision = {
      outcome: "approve" as const,
      rationale: "Strong, feasible plan",
      cashCents: 5_000_000,
      creditsCents: 1,
    };
    const tooMuch = await errorOf(
      recordDecision(deps, staff, proposal.proposalId, { ...decision, cashCents: 10_000_001 }),
    );
    expect(tooMuch.issues[0]?.field).toBe("cashCents");
    expect((await errorOf(recordDecision(deps, alice, proposal.proposalId, decision))).kind).toBe(
      "forbidden",
    );
    const decided = await recordDecision(deps, staff, proposal.proposalId, decision);
    await recordDecision(deps, staff, proposal.proposalId, decision);

    expect(decided.status).toBe("awarded");
    expect(decided.decision?.rationale).toBe("Strong, feasible plan");
    expect(completed).toEqual([
      { token: "token-1", output: { outcome: "approve" } },
      { token: "token-1", output: { outcome: "approve" } },
    ]);
    expect(events.map((e) => e.detailType)).toEqual([
      "Proposal Drafted",
      "Proposal Submitted",
      "Proposal Screened",
      "Decision Recorded",
    ]);
    expect(
      (await errorOf(recordDecision(deps, staff, proposal.proposalId, { ...decision, outcome: "decline" })))
        .kind,
    ).toBe("conflict");
  });

  it("gives a revised decision (after a refused commit) its own event id", async () => {
    const { deps, events, proposals } = setup();
    const { proposal } = await createDraft(deps, alice, submission);
    await submitProposal(deps, alice, proposal.proposalId);
    await screenProposal(deps, proposal.proposalId);
    await awaitDecision(deps, proposal.proposalId, "token-1");
    const decision = {
      outcome: "approve" as const,
      rationale: "Strong, feasible plan",
      cashCents: 5_000_000,
    };
    const first = await recordDecision(deps, staff, proposal.proposalId, decision);
    // What a refused budget commit does: the decision goes back to the committee.
    const refused = {
      ...first,
      status: "decision_pending" as const,
      decision: undefined,
      revisedDecisions: [
        { ...(first.decision as NonNullable<typeof first.decision>), refusedAt: "x", refusal: "pool" },
      ],
      revision: first.revision + 1,
    };
    proposals.set(proposal.proposalId, refused);
    await recordDecision(deps, staff, proposal.proposalId, { ...decision, cashCents: 1_000_000 });

    const decided = events.filter((e) => e.detailType === "Decision Recorded");
    expect(decided).toHaveLength(2);
    expect(new Set(decided.map((e) => e.detail.eventId)).size).toBe(2);
  });

  it("withdraws before a decision, stopping the workflow, and not after", async () => {
    const { deps, stopped } = setup();
    const { proposal } = await createDraft(deps, alice, submission);
    await submitProposal(deps, alice, proposal.proposalId);
    const withdrawn = await withdrawProposal(deps, alice, proposal.proposalId, "Funded elsewhere");
    expect(withdrawn.status).toBe("withdrawn");
    await withdrawProposal(deps, alice, proposal.proposalId, "Funded elsewhere");
    expect(stopped).toEqual([proposal.proposalId, proposal.proposalId]);
    expect((await errorOf(submitProposal(deps, alice, proposal.proposalId))).kind).toBe("conflict");
  });

  it("lists an applicant's own proposals, and a call's for staff", async () => {
    const { deps } = setup();
    await createDraft(deps, alice, submission);
    await createDraft(deps, bob, { ...submission, pi: { ...submission.pi, email: "bob@uni.example" } });
    expect((await listProposals(deps, alice, {})).map((p) => p.applicantId)).toEqual(["alice"]);
    expect(await listProposals(deps, staff, { callId: "c1" })).toHaveLength(2);
    expect((await errorOf(listProposals(deps, staff, {}))).kind).toBe("validation");
  });
});
