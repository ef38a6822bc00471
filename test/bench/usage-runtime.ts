// The local system usage is measured through (`npm start` as a child process, one for the
// ingestion runs and the backfill), the awards the records go to, and the raw BatchWriteItem
// baseline on the runtime's own DynamoDB Local.
import { randomUUID } from "node:crypto";
import { dynamoAwardRepository } from "@allot/adapters";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { ensureTable } from "../../packages/aws-local/src/dynamodb/tables.js";
import { runtimeTable } from "../../packages/aws-local/test/support/dynamo.js";
import {
  actAs,
  assignmentOf,
  ok,
  reply,
  rubricReview,
  submission,
  submit,
  waitForStatus,
} from "../support/allot.js";
import { api, type RuntimeProcess, startRuntimeProcess, until } from "../support/runtime.js";
import { type BatchWriteOptions, type BatchWriteResult, batchWriteBaseline } from "./dynamodb-baseline.js";
import { num } from "./stats.js";

/** One credit cent per chip-second: the program's rate, so every charge is consistent with it. */
export const CENTS_PER_CHIP_HOUR = 3_600;
const AWARD_CREDITS_CENTS = 1_000_000_000_000;
/** The runtime's table (packages/local). */
const RUNTIME_TABLE = "allot";
const DAY_MS = 86_400_000;

export type Call = ReturnType<typeof api>;

export interface UsageRuntime {
  runtime: RuntimeProcess;
  /** Calls as an integration (POST /usage). */
  meter: Call;
  /** Calls as staff (GET /awards/{id}/usage). */
  staff: Call;
}

/**
 * Starts the runtime, handing its stop to `onStop` at once (so that the caller stops it whatever
 * happens); skipped when `POST /usage` is not there.
 */
export const startUsageRuntime = async (
  onStop: (stop: () => Promise<void>) => void,
): Promise<UsageRuntime | { skipped: string }> => {
  const runtime = await startRuntimeProcess();
  onStop(() => runtime.stop());
  const meter = api(runtime.http, await runtime.token("bench-meter", "integration"));
  const probe = await meter("POST", "/usage", { records: [] });
  if (probe.status === 404 || probe.status === 405) return { skipped: "POST /usage not deployed" };
  const staff = api(runtime.http, await runtime.token("bench-staff", "staff"));
  return { runtime, meter, staff };
};

/** A program with a large credits pool, and an active award holding 10^12 cents of credits. */
export const activeAward = async (runtime: RuntimeProcess) => {
  const suffix = randomUUID().slice(0, 8);
  const programId = `bench-usage-${suffix}`;
  const callId = `bench-usage-call-${suffix}`;
  const reviewer = "bench-reviewer";
  const grantee = "bench-grantee";
  const staff = await actAs(runtime, "bench-staff", "staff");
  await ok(
    staff.POST("/programs", {
      body: {
        programId,
        name: "Usage ingestion benchmark",
        pools: { cashCents: 1_000_000, creditsCents: 2 * AWARD_CREDITS_CENTS },
        caps: {
          maxGrantCashCents: 1_000_000,
          maxGrantCreditsCents: AWARD_CREDITS_CENTS,
          maxPartnerCreditsCents: AWARD_CREDITS_CENTS,
        },
        cluster: { chips: 40_000 },
        creditRate: { centsPerChipHour: CENTS_PER_CHIP_HOUR },
        offerPeriod: "P1D",
      },
    }),
  );
  await ok(
    staff.PUT("/reviewers/{reviewerId}", {
      params: { path: { reviewerId: reviewer } },
      body: {
        name: "Bench Reviewer",
        email: "reviewer@bench-review.example",
        institution: "Bench Review Institute",
      },
    }),
  );
  const day = 86_400_000;
  await ok(
    staff.POST("/programs/{programId}/calls", {
      params: { path: { programId } },
      body: {
        callId,
        title: "Usage ingestion benchmark call",
        opensAt: new Date(Date.now() - day).toISOString(),
        closesAt: new Date(Date.now() + 30 * day).toISOString(),
        review: {
          rubric: { criteria: [{ id: "impact", name: "Impact", weight: 1 }], scale: { min: 1, max: 5 } },
          minReviewers: 1,
          reviewPeriod: "P7D",
        },
        reviewerPool: [reviewer],
      },
    }),
  );
  const amounts = { cashCents: 100_000, creditsCents: AWARD_CREDITS_CENTS };
  const proposalId = await submit(
    runtime,
    grantee,
    submission(callId, {
      pi: { name: "Bench PI", email: "bench@inst.example", institution: "Bench Institute" },
      requestedCashCents: amounts.cashCents,
      requestedCreditsCents: amounts.creditsCents,
    }),
  );
  const assignment = await assignmentOf(runtime, reviewer, proposalId);
  await ok(
    (await actAs(runtime, reviewer, "reviewer")).POST("/assignments/{assignmentId}/review", {
      params: { path: { assignmentId: assignment.assignmentId } },
      body: rubricReview({ impact: 5 }),
    }),
  );
  await waitForStatus(runtime, proposalId, "decision_pending");
  await ok(
    staff.POST("/proposals/{proposalId}/decision", {
      params: { path: { proposalId } },
      body: {
        outcome: "approve",
        rationale: "Benchmark award with ample credits",
        ...amounts,
      },
    }),
  );
  const me = await actAs(runtime, grantee, "applicant");
  const offer = await until(async () => {
    const { items } = await ok(me.GET("/awards"));
    return items.find((a: { proposalId: string }) => a.proposalId === proposalId);
  }, "the award offer");
  await ok(me.POST("/awards/{awardId}/accept", { params: { path: { awardId: offer.awardId } } }));
  const award = await until(
    async () => {
      const got = await reply(
        staff.GET("/awards/{awardId}", { params: { path: { awardId: offer.awardId } } }),
      );
      return got.body?.status === "active" ? got.body : undefined;
    },
    "the award to be active",
    60_000,
  );
  const startsAt = Date.parse(award.startsAt ?? award.acceptedAt ?? "");
  return { awardId: award.awardId as string, startsAt: Number.isFinite(startsAt) ? startsAt : Date.now() };
};

export interface BracketingBaseline extends BatchWriteResult {
  /** The halves measured just before and just after the subject. */
  before: number;
  after: number;
}

/**
 * Raw BatchWriteItem on the runtime's own DynamoDB Local, into a scratch table (one per
 * runtime), half of `options.items` just before `subject` and half just after: the machine is shared
 * and its load changes within minutes, so a baseline taken on one side only can be measured under
 * another load than the subject. The baseline is both halves' items over both halves' time.
 */
export const bracketedByBaseline = async <T>(
  runtime: RuntimeProcess,
  options: BatchWriteOptions,
  subject: () => Promise<T>,
  log: (text: string) => void,
): Promise<{ result: T; baseline: BracketingBaseline }> => {
  const client = new DynamoDBClient(runtime.dynamodbConfig);
  const doc = DynamoDBDocumentClient.from(client);
  // The shape of baseline A's table (keys, index, stream), so the two baselines are alike. One
  // scratch table per runtime, reused with fresh keys: made and dropped per run, DynamoDB Local's
  // BatchWriteItem rate fell run after run (444, 54, 29 items/s) while ingestion's did not.
  let table = scratchTables.get(runtime);
  if (!table) {
    table = { ...runtimeTable, name: `allot-bench-scratch-${randomUUID().slice(0, 8)}` };
    scratchTables.set(runtime, table);
  }
  const half = { ...options, items: Math.ceil(options.items / 2) };
  try {
    await ensureTable(client, table);
    await batchWriteBaseline(doc, table.name, { ...options, items: Math.ceil(options.items / 4) }); // warm-up
    const before = await batchWriteBaseline(doc, table.name, half);
    log(`baseline before: ${num(before.itemsPerSecond)} items/s`);
    const result = await subject();
    const after = await batchWriteBaseline(doc, table.name, half);
    log(`baseline after: ${num(after.itemsPerSecond)} items/s`);
    const ms = before.ms + after.ms;
    return {
      result,
      baseline: {
        itemsPerSecond: ((half.items * 2) / ms) * 1000,
        ms,
        resent: before.resent + after.resent,
        before: before.itemsPerSecond,
        after: after.itemsPerSecond,
      },
    };
  } finally {
    client.destroy();
  }
};

/** The scratch table of each runtime: it goes with the runtime's temporary data. */
const scratchTables = new WeakMap<RuntimeProcess, typeof runtimeTable>();

/**
 * Moves the award's past `days` days earlier, as if it had been active that long: its history,
 * start and provisioning. Usage counts only from when an award became active (period.ts), and the
 * local system has no clock to turn back, so a backfill of a past month needs an award whose
 * activation lies before it; this is the bench's setup, written through the award repository.
 */
export const backdateAward = async (runtime: RuntimeProcess, awardId: string, days: number) => {
  const client = new DynamoDBClient(runtime.dynamodbConfig);
  try {
    const awards = dynamoAwardRepository(DynamoDBDocumentClient.from(client), RUNTIME_TABLE);
    const award = await awards.get(awardId);
    if (!award) throw new Error(`award ${awardId} not found to backdate`);
    const earlier = (at: string) => new Date(Date.parse(at) - days * DAY_MS).toISOString();
    await awards.update(
      {
        ...award,
        history: award.history.map((h) => ({ ...h, at: earlier(h.at) })),
        ...(award.startsAt ? { startsAt: earlier(award.startsAt) } : {}),
        ...(award.provider
          ? { provider: { ...award.provider, provisionedAt: earlier(award.provider.provisionedAt) } }
          : {}),
        revision: award.revision + 1,
      },
      [],
    );
  } finally {
    client.destroy();
  }
};
