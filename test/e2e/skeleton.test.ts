import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, type RuntimeProcess, startRuntimeProcess, until } from "../support/runtime.js";

// The walking skeleton through every pipe: HTTP → handler → DynamoDB (with outbox) → stream
// → relay → EventBridge → rule → Lambda → Step Functions → task → callback ← HTTP decision.

const submission = {
  callId: "call-2027-spring",
  title: "Sparse attention at scale",
  abstract: "We study sparse attention kernels for long-context models on accelerator clusters.",
  pi: { name: "Alice A", email: "alice@uni.example", institution: "Uni A" },
  keywords: ["ml-systems"],
  requestedCashCents: 10_000_000,
  requestedCreditsCents: 20_000_000,
  durationMonths: 12,
  openSourcePlan: "Code on GitHub under the Apache-2.0 license",
};

let runtime: RuntimeProcess;
beforeAll(async () => {
  runtime = await startRuntimeProcess();
}, 120_000);
afterAll(async () => {
  await runtime?.stop();
});

const asStaff = async () => api(runtime.http, await runtime.token("sam", "staff"));

const statusOf = async (proposalId: string, wanted: string) => {
  const staff = await asStaff();
  return until(async () => {
    const got = await staff("GET", `/proposals/${proposalId}`);
    return got.body?.status === wanted ? got.body : undefined;
  }, `proposal ${proposalId} to be ${wanted}`);
};

describe("walking skeleton", () => {
  it("rejects requests without a valid token, and bad bodies with every field named", async () => {
    expect((await api(runtime.http)("POST", "/proposals", submission)).status).toBe(401);
    expect((await api(runtime.http, "not-a-jwt")("POST", "/proposals", submission)).status).toBe(401);
    const applicant = api(runtime.http, await runtime.token("alice", "applicant"));
    const bad = await applicant("POST", "/proposals", { ...submission, title: "", requestedCashCents: -1 });
    expect(bad.status).toBe(400);
    expect(bad.body.issues.map((i: { field: string }) => i.field).sort()).toEqual(["requestedCashCents", "title"]);
    expect((await (await asStaff())("POST", "/proposals", submission)).status).toBe(403);
    const openapi = await api(runtime.http)("GET", "/openapi.json");
    expect(openapi.status).toBe(200);
    expect(openapi.body.openapi).toBe("3.1.0");
  });

  it("submits, screens, waits for the committee, and completes on the staff decision", async () => {
    const applicant = api(runtime.http, await runtime.token("alice", "applicant"));
    const created = await applicant("POST", "/proposals", submission);
    expect(created.status).toBe(201);
    const { proposalId } = created.body;
    expect((await applicant("POST", "/proposals", submission)).status).toBe(200);

    await statusOf(proposalId, "decision_pending");
    const staff = await asStaff();
    const decided = await staff("POST", `/proposals/${proposalId}/decision`, {
      outcome: "approve",
      rationale: "Strong, feasible, open plan",
      cashCents: 10_000_000,
      creditsCents: 15_000_000,
    });
    expect(decided.status).toBe(200);
    expect(decided.body.status).toBe("awarded");
    expect(decided.body.decisionTaskToken).toBeUndefined();

    const history = await until(async () => {
      const got = await staff("GET", `/proposals/${proposalId}/history`);
      return got.body?.status === "SUCCEEDED" ? got.body : undefined;
    }, "the workflow to succeed");
    const entered = history.events.filter((e: { type: string }) => e.type.endsWith("StateEntered")).map((e: { state: string }) => e.state);
    expect(entered).toEqual(["Screen", "Eligible?", "AwaitDecision", "Decided"]);
  });

  it("ends an ineligible proposal at screening", async () => {
    const applicant = api(runtime.http, await runtime.token("bob", "applicant"));
    const created = await applicant("POST", "/proposals", { ...submission, requestedCashCents: 60_000_000 });
    expect(created.status).toBe(201);
    const proposal = await statusOf(created.body.proposalId, "ineligible");
    expect(proposal.screening.reasons[0]).toContain("requested cash exceeds");
  });

  it("survives kill -9 while the workflow waits on the committee's callback", async () => {
    const applicant = api(runtime.http, await runtime.token("carol", "applicant"));
    const { proposalId } = (await applicant("POST", "/proposals", submission)).body;
    await statusOf(proposalId, "decision_pending");

    await runtime.kill("SIGKILL");
    await runtime.restart();

    const staff = await asStaff();
    const decided = await staff("POST", `/proposals/${proposalId}/decision`, {
      outcome: "decline",
      rationale: "Overlaps an existing award",
    });
    expect(decided.status).toBe(200);
    await until(async () => {
      const got = await staff("GET", `/proposals/${proposalId}/history`);
      return got.body?.status === "SUCCEEDED" ? true : undefined;
    }, "the workflow to succeed after the restart");
  });
});
