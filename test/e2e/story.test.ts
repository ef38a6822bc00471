import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STORY_STEPS } from "../../packages/functions/src/lib/story.js";
import {
  actAs,
  ok,
  openCall,
  rubricReview,
  submission,
  waitForExecution,
  waitForStatus,
} from "../support/allot.js";
import { type RuntimeProcess, startRuntimeProcess, until } from "../support/runtime.js";

// At info level the functions' Powertools log tells the story of a proposal, in order, each line
// with its ids and the correlation id the client named, which went from the HTTP request through
// the bus into the workflow and its tasks; and no personal data.

type LogLine = Record<string, unknown>;
const lines: LogLine[] = [];
let partial = "";
const collect = (chunk: string) => {
  const [head = "", ...rest] = (partial + chunk).split("\n");
  const complete = [head, ...rest];
  partial = complete.pop() ?? "";
  for (const line of complete) {
    if (!line.startsWith("{")) continue;
    try {
      lines.push(JSON.parse(line));
    } catch {}
  }
};

let runtime: RuntimeProcess;
beforeAll(async () => {
  runtime = await startRuntimeProcess({ onOutput: collect });
  const staff = await actAs(runtime, "sam", "staff");
  await ok(
    staff.POST("/programs", {
      body: {
        programId: "e2e-story",
        name: "Story test program",
        pools: { cashCents: 30_000_000, creditsCents: 60_000_000 },
        caps: {
          maxGrantCashCents: 20_000_000,
          maxGrantCreditsCents: 40_000_000,
          maxPartnerCreditsCents: 50_000_000,
        },
        cluster: { chips: 1_000 },
        creditRate: { centsPerChipHour: 200 },
      },
    }),
  );
  await openCall(staff, {
    programId: "e2e-story",
    callId: "e2e-story-call",
    title: "Story e2e call",
    reviewerPool: ["rev-ada", "rev-dana"],
  });
}, 120_000);
afterAll(async () => {
  await runtime?.stop();
});

describe("the log", () => {
  it("tells one proposal's journey at info level, in order, under the client's correlation id", async () => {
    const correlation = { "x-correlation-id": `journey-${crypto.randomUUID()}` };
    const applicant = await actAs(runtime, "stella", "applicant");
    const draft = await ok(
      applicant.POST("/proposals", {
        body: submission("e2e-story-call", {
          pi: { name: "Stella Storyteller", email: "stella@story.example", institution: "Story University" },
          requestedCashCents: 1_000_000,
          requestedCreditsCents: 2_000_000,
        }),
      }),
    );
    const proposalId = draft.proposalId as string;
    await ok(
      applicant.POST("/proposals/{proposalId}/submit", {
        params: { path: { proposalId } },
        headers: correlation,
      }),
    );

    const assignment = await until(async () => {
      for (const r of ["rev-ada", "rev-dana"]) {
        const { items } = await ok((await actAs(runtime, r, "reviewer")).GET("/assignments"));
        const found = items.find((a: { proposalId: string }) => a.proposalId === proposalId);
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
          rationale: "Strong proposal, fits the budget",
          cashCents: 1_000_000,
          creditsCents: 2_000_000,
        },
        headers: correlation,
      }),
    );
    const award = await until(async () => {
      const { items } = await ok(applicant.GET("/awards"));
      return items.find((a: { proposalId: string }) => a.proposalId === proposalId);
    }, "the award offer");
    await ok(applicant.POST("/awards/{awardId}/accept", { params: { path: { awardId: award.awardId } } }));
    await waitForExecution(runtime, proposalId, "SUCCEEDED");

    const story = await until(async () => {
      const told = lines.filter((l) => l.story && l.proposalId === proposalId);
      return told.length >= STORY_STEPS.length ? told : undefined;
    }, "the last line of the story");
    expect(story.map((l) => l.story)).toEqual([...STORY_STEPS]);
    for (const line of story) {
      expect(line).toMatchObject({ level: "INFO", correlationId: correlation["x-correlation-id"] });
      expect(line.function_name).toEqual(expect.any(String));
    }
    expect(story.filter((l) => l.awardId).map((l) => [l.story, l.awardId])).toEqual([
      ["committed", award.awardId],
      ["provisioned", award.awardId],
    ]);
    const told = JSON.stringify(story);
    for (const personal of ["Stella", "stella@story.example", "Story University", "stella"])
      expect(told).not.toContain(personal);
  }, 240_000);
});
