import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type AllotClient, createAllotClient, type RequestBody } from "@allot/client";
import { contractCheck } from "./contract.js";
import { type RuntimeProcess, until } from "./runtime.js";

/** The typed client of the running stack's API, as a user with a role (or anonymous), its answers checked against the document. */
export const clientOf = (runtime: Pick<RuntimeProcess, "http">, token?: string): AllotClient =>
  createAllotClient({ baseUrl: runtime.http, ...(token ? { token } : {}), middleware: [contractCheck] });

/** Calls the HTTP API as a user with a role. */
export const actAs = async (runtime: RuntimeProcess, sub: string, role: string) =>
  clientOf(runtime, await runtime.token(sub, role));

interface Settled<Data, Failure> {
  data?: Data;
  error?: Failure;
  response: Response;
}

/** The body of a 2xx answer; any other status throws with the answer. */
export const ok = async <Data, Failure>(pending: Promise<Settled<Data, Failure>>): Promise<Data> => {
  const { data, error, response } = await pending;
  if (!response.ok) throw new Error(`${response.url} → ${response.status} ${JSON.stringify(error)}`);
  return data as Data;
};

/** Any answer, as status and body, for tests that assert a refusal field by field. */
export const reply = async <Data, Failure>(pending: Promise<Settled<Data, Failure>>) => {
  const { data, error, response } = await pending;
  // biome-ignore lint/suspicious/noExplicitAny: success and error bodies are asserted field by field; their shapes are checked by contractCheck
  const body: any = data ?? error;
  return { status: response.status, body };
};

/**
 * Opens the suites' usual call: open from 2026 to 2030, one criterion scored 1 to 5, one review
 * per proposal within seven days; the suites that test review itself build their own.
 */
export const openCall = async (
  staff: AllotClient,
  call: { programId: string; callId: string; title: string; reviewerPool: string[] },
) =>
  ok(
    staff.POST("/programs/{programId}/calls", {
      params: { path: { programId: call.programId } },
      body: {
        callId: call.callId,
        title: call.title,
        opensAt: "2026-01-01T00:00:00Z",
        closesAt: "2030-01-01T00:00:00Z",
        review: {
          rubric: { criteria: [{ id: "impact", name: "Impact", weight: 1 }], scale: { min: 1, max: 5 } },
          minReviewers: 1,
          reviewPeriod: "P7D",
        },
        reviewerPool: call.reviewerPool,
      },
    }),
  );

type ProposalDraftBody = RequestBody<"/proposals", "post">;

export const submission = (
  callId: string,
  overrides: Partial<ProposalDraftBody> = {},
): ProposalDraftBody => ({
  callId,
  title: "Sparse attention at scale",
  abstract:
    "We study sparse attention kernels for long-context models on accelerator clusters, with open baselines.",
  pi: { name: "Alice Applicant", email: "alice@uni-a.example", institution: "University A" },
  coInvestigators: [],
  keywords: ["ml-systems"],
  requestedCashCents: 10_000_000,
  requestedCreditsCents: 20_000_000,
  durationMonths: 12,
  openSourcePlan: "All code on GitHub under the Apache-2.0 license, with model cards",
  ...overrides,
});

export const rubricReview = (scores: Record<string, number>, note = "Careful, well-argued proposal.") => ({
  scores,
  comments: `${note} The milestones are realistic and the team is strong.`,
  commentsToApplicant: `${note} Consider publishing intermediate results.`,
});

/** Creates a draft and submits it as the applicant; returns the proposal id. */
export const submit = async (runtime: RuntimeProcess, applicant: string, body: ProposalDraftBody) => {
  const me = await actAs(runtime, applicant, "applicant");
  const draft = await ok(me.POST("/proposals", { body }));
  await ok(me.POST("/proposals/{proposalId}/submit", { params: { path: { proposalId: draft.proposalId } } }));
  return draft.proposalId as string;
};

export const waitForStatus = async (
  runtime: RuntimeProcess,
  proposalId: string,
  status: string,
  timeoutMs = 45_000,
) => {
  const staff = await actAs(runtime, "sam", "staff");
  return until(
    async () => {
      const got = await reply(staff.GET("/proposals/{proposalId}", { params: { path: { proposalId } } }));
      return got.body?.status === status ? got.body : undefined;
    },
    `proposal ${proposalId} to be ${status}`,
    timeoutMs,
  );
};

export const waitForExecution = async (runtime: RuntimeProcess, proposalId: string, status: string) => {
  const staff = await actAs(runtime, "sam", "staff");
  return until(async () => {
    const got = await reply(
      staff.GET("/proposals/{proposalId}/history", { params: { path: { proposalId } } }),
    );
    return got.body?.status === status ? got.body : undefined;
  }, `the workflow of ${proposalId} to be ${status}`);
};

/** The reviewer's open assignment on a proposal, once the workflow has made it. */
export const assignmentOf = async (
  runtime: RuntimeProcess,
  reviewerId: string,
  proposalId: string,
  status = "open",
) => {
  const reviewer = await actAs(runtime, reviewerId, "reviewer");
  return until(async () => {
    const { items } = await ok(reviewer.GET("/assignments"));
    return items.find(
      (a: { proposalId: string; status: string }) => a.proposalId === proposalId && a.status === status,
    );
  }, `${reviewerId}'s ${status} assignment on ${proposalId}`);
};

export const assignedReviewers = async (runtime: RuntimeProcess, proposalId: string, reviewers: string[]) => {
  const found: Array<{ reviewerId: string; assignmentId: string; status: string }> = [];
  for (const reviewerId of reviewers) {
    const { items } = await ok((await actAs(runtime, reviewerId, "reviewer")).GET("/assignments"));
    found.push(...items.filter((a: { proposalId: string }) => a.proposalId === proposalId));
  }
  return found;
};

/** The RFC 5322 files in the local outbox folder. */
export const outboxMessages = (runtime: RuntimeProcess) => {
  const dir = join(runtime.dataDir, "outbox");
  let files: string[] = [];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith(".eml"));
  } catch {
    return [];
  }
  return files.map((f) => readFileSync(join(dir, f), "utf8"));
};

export const createCall = async (
  runtime: RuntimeProcess,
  call: Partial<RequestBody<"/programs/{programId}/calls", "post">> & { callId: string },
) => {
  const staff = await actAs(runtime, "sam", "staff");
  return ok(
    staff.POST("/programs/{programId}/calls", {
      params: { path: { programId: "model-program" } },
      body: {
        title: "End-to-end test call",
        opensAt: "2026-01-01T00:00:00Z",
        closesAt: "2030-01-01T00:00:00Z",
        review: {
          rubric: {
            criteria: [
              { id: "impact", name: "Impact", weight: 3 },
              { id: "feasibility", name: "Feasibility", weight: 1 },
            ],
            scale: { min: 1, max: 5 },
          },
          minReviewers: 2,
          reviewPeriod: "P7D",
        },
        ...call,
      },
    }),
  );
};

/**
 * One review of a submitted proposal (by the first of `reviewers` it is assigned to), then the
 * committee's approval with these amounts once it is decision_pending.
 */
export const reviewAndApprove = async (
  runtime: RuntimeProcess,
  proposalId: string,
  decision: { reviewers: readonly string[]; rationale: string; cashCents: number; creditsCents: number },
) => {
  const assignment = await until(async () => {
    for (const r of decision.reviewers) {
      const { items } = await ok((await actAs(runtime, r, "reviewer")).GET("/assignments"));
      const found = items.find(
        (a: { proposalId: string; status: string }) => a.proposalId === proposalId && a.status === "open",
      );
      if (found) return found;
    }
    return undefined;
  }, "a reviewer");
  await ok(
    (await actAs(runtime, assignment.reviewerId, "reviewer")).POST("/assignments/{assignmentId}/review", {
      params: { path: { assignmentId: assignment.assignmentId } },
      body: rubricReview({ impact: 5 }),
    }),
  );
  await waitForStatus(runtime, proposalId, "decision_pending");
  const staff = await actAs(runtime, "sam", "staff");
  await ok(
    staff.POST("/proposals/{proposalId}/decision", {
      params: { path: { proposalId } },
      body: {
        outcome: "approve",
        rationale: decision.rationale,
        cashCents: decision.cashCents,
        creditsCents: decision.creditsCents,
      },
    }),
  );
  return staff;
};

/**
 * Submission, one review (by the first of `reviewers` it is assigned to), approval and acceptance,
 * up to an active award with these credits (and `cashCents`, 100,000 unless given). The call must
 * take one reviewer from `reviewers`.
 */
export const activeAward = async (
  runtime: RuntimeProcess,
  callId: string,
  applicant: string,
  creditsCents: number,
  reviewers: readonly string[] = ["rev-ada", "rev-dana"],
  cashCents = 100_000,
) => {
  const id = await submit(
    runtime,
    applicant,
    submission(callId, {
      pi: { name: `${applicant} PI`, email: `${applicant}@inst.example`, institution: `Inst ${applicant}` },
      requestedCashCents: cashCents,
      requestedCreditsCents: creditsCents,
    }),
  );
  const staff = await reviewAndApprove(runtime, id, {
    reviewers,
    rationale: "Strong proposal, fits the budget",
    cashCents,
    creditsCents,
  });
  const me = await actAs(runtime, applicant, "applicant");
  const award = await until(async () => {
    const { items } = await ok(me.GET("/awards"));
    return items.find((a: { proposalId: string }) => a.proposalId === id);
  }, "the award offer");
  await ok(me.POST("/awards/{awardId}/accept", { params: { path: { awardId: award.awardId } } }));
  await until(
    async () =>
      (await ok(staff.GET("/awards/{awardId}", { params: { path: { awardId: award.awardId } } }))).status ===
      "active"
        ? true
        : undefined,
    "the award to be active",
    60_000,
  );
  return { awardId: award.awardId as string, proposalId: id, me, staff };
};

/** The Idempotency-Key header that staff operations on awards require: a new operation each call. */
export const newOperation = () => ({ "Idempotency-Key": crypto.randomUUID() });

/**
 * A body sent as it is, on purpose: one the API must refuse, or whose records it judges one by
 * one. The type check stays on for every body meant to be right.
 */
export const asSent = (body: unknown) => body as never;
