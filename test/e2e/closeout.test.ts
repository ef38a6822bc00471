import { awardKeys } from "@allot/adapters";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { DescribeExecutionCommand, ListStateMachinesCommand, SFNClient } from "@aws-sdk/client-sfn";
import { DynamoDBDocumentClient, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localClientConfig } from "../../packages/aws-local/src/aws-config.js";
import {
  actAs,
  activeAward,
  ok,
  openCall,
  outboxMessages,
  reply,
  reviewAndApprove,
  submission,
  submit,
} from "../support/allot.js";
import { checkLocalLedger, localLedgerEntries } from "../support/ledger.js";
import { type RuntimeProcess, startRuntimeProcess, until } from "../support/runtime.js";

// The end of an award's life on the real local stack: an early closeout published on the bus,
// late usage inside the grace period, a kill -9 in the middle, the final report, the ledger
// closing exactly; and the term timer of an award whose end is seconds away, closing without a
// report.

let runtime: RuntimeProcess;
const PROGRAM = "e2e-closeout";
const CALL = "e2e-closeout-call";
const SHORT = "e2e-closeout-short";
const SHORT_CALL = "e2e-closeout-short-call";
const CREDITS = 500_000;
const CASH = 100_000;

const program = (programId: string, closeout: { gracePeriod: string; finalReportPeriod: string }) => ({
  programId,
  name: `Closeout program ${programId}`,
  pools: { cashCents: 30_000_000, creditsCents: 100_000_000 },
  caps: {
    maxGrantCashCents: 20_000_000,
    maxGrantCreditsCents: 40_000_000,
    maxPartnerCreditsCents: 90_000_000,
  },
  cluster: { chips: 100 },
  creditRate: { centsPerChipHour: 200 },
  closeout,
});

beforeAll(async () => {
  runtime = await startRuntimeProcess();
  const staff = await actAs(runtime, "sam", "staff");
  await ok(
    staff.POST("/programs", { body: program(PROGRAM, { gracePeriod: "PT15S", finalReportPeriod: "PT10M" }) }),
  );
  await ok(
    staff.POST("/programs", { body: program(SHORT, { gracePeriod: "PT2S", finalReportPeriod: "PT3S" }) }),
  );
  await openCall(staff, {
    programId: PROGRAM,
    callId: CALL,
    title: "Closeout call",
    reviewerPool: ["rev-ada"],
  });
  await openCall(staff, {
    programId: SHORT,
    callId: SHORT_CALL,
    title: "Short call",
    reviewerPool: ["rev-ada"],
  });
}, 120_000);
afterAll(async () => {
  await runtime?.stop();
});

const awardOf = async (awardId: string) =>
  ok((await actAs(runtime, "sam", "staff")).GET("/awards/{awardId}", { params: { path: { awardId } } }));
const awardToBe = (
  awardId: string,
  check: (a: Awaited<ReturnType<typeof awardOf>>) => boolean,
  what: string,
) =>
  until(
    async () => {
      const award = await awardOf(awardId);
      return check(award) ? award : undefined;
    },
    `award ${awardId} ${what}`,
    90_000,
  );

/** One compute record that ran over [startedAt, startedAt + 500 ms). */
const compute = (awardId: string, recordId: string, chargeCents: number, startedAt: number) => ({
  type: "compute" as const,
  recordId,
  awardId,
  chips: 1,
  startedAt: new Date(startedAt).toISOString(),
  endedAt: new Date(startedAt + 500).toISOString(),
  chargeCents,
});

const sendUsage = async (records: unknown[]) => {
  const integration = await actAs(runtime, "provider-1", "integration");
  const answer = await reply(integration.POST("/usage", { body: { records } as never }));
  expect(answer.status).toBe(202);
  expect(answer.body.rejected).toEqual([]);
};
const consumedToBe = (awardId: string, cents: number) =>
  until(
    async () => {
      const view = await ok(
        (await actAs(runtime, "sam", "staff")).GET("/awards/{awardId}/usage", {
          params: { path: { awardId } },
        }),
      );
      return view.consumedCents === cents ? view : undefined;
    },
    `award ${awardId} to have consumed ${cents}`,
    60_000,
  );

/** The ledger of one award by pool and kind, as sums. */
const ledgerOf = async (awardId: string) => {
  const entries = await localLedgerEntries(runtime, awardId);
  // Released and consumed entries are negative; `+ 0` keeps a sum of none from reading -0.
  const sum = (pool: string, kind: string) =>
    entries.filter((e) => e.pool === pool && e.kind === kind).reduce((s, e) => s + e.amountCents, 0) + 0;
  return {
    entries,
    credits: {
      committed: sum("credits", "commit"),
      consumed: 0 - sum("credits", "consume") + 0,
      released: 0 - sum("credits", "release") + 0,
    },
    cash: {
      committed: sum("cash", "commit"),
      consumed: 0 - sum("cash", "consume") + 0,
      released: 0 - sum("cash", "release") + 0,
    },
  };
};

const requestEarlyCloseout = async (award: { awardId: string; proposalId: string; programId: string }) => {
  const events = new EventBridgeClient(localClientConfig(runtime.edge));
  try {
    const answer = await events.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: "allot",
            Source: "allot.awards",
            DetailType: "Award Closeout Requested",
            Detail: JSON.stringify({
              eventId: `${award.awardId}:closeout-requested`,
              version: 1,
              occurredAt: new Date().toISOString(),
              data: { ...award, reason: "the work finished early" },
            }),
          },
        ],
      }),
    );
    expect(answer.FailedEntryCount).toBe(0);
  } finally {
    events.destroy();
  }
};

const nextHour = () => Math.ceil(Date.now() / 3_600_000) * 3_600_000 + 3_600_000;

const report = {
  summary: "We trained the models the proposal described and released them openly.",
  outcomes: ["An open model", "A workshop paper draft"],
  cashSpentCents: 60_000,
  outputIds: [],
};

describe("closeout", () => {
  it("closes an award out early: late usage settled, reservations cancelled, the report, an exact ledger, through a kill -9", async () => {
    const { awardId, me } = await activeAward(runtime, CALL, "cora", CREDITS, ["rev-ada"]);
    const award = await awardOf(awardId);
    await sendUsage([compute(awardId, "cora-1", 10_000, Date.now() - 1_000)]);
    await consumedToBe(awardId, 10_000);
    const window = nextHour();
    const reservation = await reply(
      me.POST("/awards/{awardId}/reservations", {
        params: { path: { awardId } },
        body: {
          requestId: "cora-r1",
          chips: 2,
          startsAt: new Date(window).toISOString(),
          endsAt: new Date(window + 3_600_000).toISOString(),
        },
      }),
    );
    expect(reservation.status).toBe(201);

    const usageEndedAt = Date.now() - 500;
    await requestEarlyCloseout(award);
    const closing = await awardToBe(awardId, (a) => a.status === "closing", "to be closing");
    expect(closing.closeout?.reason).toBe("early closeout: the work finished early");
    // No new reservations; the granted one is cancelled.
    const refused = await reply(
      me.POST("/awards/{awardId}/reservations", {
        params: { path: { awardId } },
        body: {
          requestId: "cora-r2",
          chips: 1,
          startsAt: new Date(window).toISOString(),
          endsAt: new Date(window + 3_600_000).toISOString(),
        },
      }),
    );
    expect(refused.status).toBe(409);
    await until(async () => {
      const { reservations } = await ok(
        me.GET("/awards/{awardId}/reservations", { params: { path: { awardId } } }),
      );
      return reservations.every((r: { status: string }) => r.status === "cancelled") ? true : undefined;
    }, "the reservation to be cancelled");
    // Late usage (run before the closeout, sent during the grace period) still counts.
    await sendUsage([compute(awardId, "cora-late", 5_000, usageEndedAt - 600)]);
    await consumedToBe(awardId, 15_000);

    // A crash in the middle of the closeout: it resumes where it was, doing nothing twice.
    await runtime.kill("SIGKILL");
    await runtime.restart();

    const asked = await awardToBe(
      awardId,
      (a) => Boolean(a.closeout?.finalReportDueAt),
      "to ask for the report",
    );
    expect(asked.status).toBe("closing");
    expect(asked.closeout?.credits).toMatchObject({ consumedCents: 15_000, returnedCents: CREDITS - 15_000 });
    const grantee = await actAs(runtime, "cora", "applicant");
    const put = (body: typeof report) =>
      reply(grantee.PUT("/awards/{awardId}/final-report", { params: { path: { awardId } }, body }));
    const over = await put({ ...report, cashSpentCents: CASH + 1 });
    expect(over.status).toBe(400);
    expect(over.body.issues).toEqual([
      { field: "cashSpentCents", message: `the award's cash is ${CASH} cents` },
    ]);
    expect((await put(report)).status).toBe(201);
    expect((await put(report)).status).toBe(200);
    const changed = await put({ ...report, cashSpentCents: 1 });
    expect(changed.status).toBe(409);
    expect(changed.body.message).toMatch(/cannot be changed/);

    const closed = await awardToBe(awardId, (a) => a.status.startsWith("closed"), "to be closed");
    // No outputs were registered. The early closeout ended the term, so the repository (due at
    // the end) is overdue; the paper (due months after the end) is still pending, no breach yet.
    expect(closed.status).toBe("closed_noncompliant");
    expect(closed.closeout?.compliance?.reasons).toEqual([
      expect.stringMatching(/^repository: no verified repository/),
    ]);
    expect(closed.history.at(-1)?.reason).toMatch(/^closed out non-compliant: repository: /);
    expect(closed.closeout?.cash).toMatchObject({
      spentCents: 60_000,
      returnedCents: 40_000,
      reportMissing: false,
    });
    expect(closed.held).toEqual({ cashCents: 0, creditsCents: 0 });

    const ledger = await ledgerOf(awardId);
    expect(ledger.credits).toEqual({ committed: CREDITS, consumed: 15_000, released: CREDITS - 15_000 });
    expect(ledger.cash).toEqual({ committed: CASH, consumed: 60_000, released: 40_000 });
    expect(new Set(ledger.entries.map((e) => e.entryId)).size).toBe(ledger.entries.length);
    expect(await checkLocalLedger(runtime, PROGRAM)).toEqual([]);

    // The grantee and staff were told at each step, once (the last notices follow the last event).
    // Headers are folded at 78 characters: unfold them before reading the subject.
    const count = (pattern: RegExp) =>
      outboxMessages(runtime)
        .map((m) => m.replace(/\r?\n[ \t]+/g, " "))
        .filter((m) => m.includes(awardId) && pattern.test(m)).length;
    await until(
      async () => (count(/Subject: Award .* is closed, with obligations unmet/) === 2 ? true : undefined),
      "the closing notices",
    );
    expect(count(/Subject: Closeout of award .* has started/)).toBe(2);
    expect(count(/Subject: Final report due for award/)).toBe(1);
  }, 300_000);

  it("closes an award at its term's end by its timer, and without a report takes the cash as spent", async () => {
    const proposalId = await submit(
      runtime,
      "tess",
      submission(SHORT_CALL, {
        pi: { name: "Tess PI", email: "tess@inst.example", institution: "Inst Tess" },
        requestedCashCents: CASH,
        requestedCreditsCents: CREDITS,
      }),
    );
    await reviewAndApprove(runtime, proposalId, {
      reviewers: ["rev-ada"],
      rationale: "Strong proposal, fits the budget",
      cashCents: CASH,
      creditsCents: CREDITS,
    });
    const me = await actAs(runtime, "tess", "applicant");
    const offer = await until(async () => {
      const { items } = await ok(me.GET("/awards"));
      return items.find((a: { proposalId: string }) => a.proposalId === proposalId);
    }, "the offer");
    const awardId = offer.awardId as string;
    // The provider answers late, so the test can set the term's end before the award is active
    // (and its timer started): the same write an extension makes, seconds away instead of months.
    await fetch(`${runtime.provider}/admin/faults`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ callbackLatencyMs: 8_000 }),
    });
    await ok(me.POST("/awards/{awardId}/accept", { params: { path: { awardId } } }));
    // After the provisioning request is recorded: that step rewrites the award it read, and would
    // put back an end written before it.
    await awardToBe(
      awardId,
      (a) => a.history.some((h: { reason: string }) => h.reason === "provisioning requested"),
      "to have its provisioning requested",
    );
    const endsAt = new Date(Date.now() + 12_000).toISOString();
    const client = new DynamoDBClient(runtime.dynamodbConfig);
    try {
      await DynamoDBDocumentClient.from(client).send(
        new UpdateCommand({
          TableName: "allot",
          Key: awardKeys.key(awardId),
          // A new revision, as an extension makes: a writer holding the award as it was retries.
          UpdateExpression: "SET endsAt = :end ADD revision :one",
          ExpressionAttributeValues: { ":end": endsAt, ":one": 1 },
        }),
      );
    } finally {
      client.destroy();
    }
    await fetch(`${runtime.provider}/admin/faults`, { method: "DELETE" });
    await awardToBe(awardId, (a) => a.status === "active", "to be active");
    const closing = await awardToBe(awardId, (a) => a.status === "closing", "to be closing at its end");
    expect(Date.parse(closing.closeout?.startedAt ?? "")).toBeGreaterThanOrEqual(Date.parse(endsAt));
    expect(closing.closeout?.reason).toBe("the award's term ended");

    const closed = await awardToBe(awardId, (a) => a.status.startsWith("closed"), "to be closed");
    expect(closed.status).toBe("closed_noncompliant");
    expect(closed.closeout?.cash).toMatchObject({ spentCents: CASH, returnedCents: 0, reportMissing: true });
    expect(closed.closeout?.compliance?.reasons[0]).toBe("no final report was submitted by its deadline");
    const late = await reply(
      me.PUT("/awards/{awardId}/final-report", { params: { path: { awardId } }, body: report }),
    );
    expect(late.status).toBe(409);
    const ledger = await ledgerOf(awardId);
    expect(ledger.credits).toEqual({ committed: CREDITS, consumed: 0, released: CREDITS });
    expect(ledger.cash).toEqual({ committed: CASH, consumed: CASH, released: 0 });
    expect(await checkLocalLedger(runtime, SHORT)).toEqual([]);
  }, 300_000);

  it("resumes a closeout whose workflow failed, once the provider inactivates again, and closes the award", async () => {
    const { awardId } = await activeAward(runtime, SHORT_CALL, "rhea", CREDITS, ["rev-ada"]);
    const award = await awardOf(awardId);
    const faults = (body?: unknown) =>
      fetch(`${runtime.provider}/admin/faults`, {
        method: body ? "POST" : "DELETE",
        ...(body ? { headers: { "content-type": "application/json" }, body: JSON.stringify(body) } : {}),
      });
    const sfn = new SFNClient(localClientConfig(runtime.edge));
    const staff = await actAs(runtime, "sam", "staff");
    const resume = (key: string) =>
      reply(
        staff.POST("/awards/{awardId}/closeout/resume", {
          params: { path: { awardId }, header: { "Idempotency-Key": key } },
          body: { reason: "the provider can inactivate the project again" },
        } as never),
      );
    try {
      await faults({ inactivate: { permanent: true } });
      await requestEarlyCloseout(award);
      await awardToBe(awardId, (a) => a.status === "closing", "to be closing");
      const { stateMachines } = await sfn.send(new ListStateMachinesCommand({}));
      const machine = stateMachines?.find((m) => m.name?.endsWith("award-closeout"));
      const executionArn = `${machine?.stateMachineArn?.replace(":stateMachine:", ":execution:")}:${awardId}`;
      // The provider refuses to inactivate the project: the closeout fails and the award stays closing.
      const failed = await until(
        async () => {
          const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
          return described.status === "FAILED" ? described : undefined;
        },
        "the closeout to fail",
        60_000,
      );
      expect(failed.status).toBe("FAILED");
      expect(failed.error).toBe("Allot.CloseoutFailed");
      // Reported: the award shows the failed run, and staff are told how to resume it.
      const stopped = await awardOf(awardId);
      expect(stopped.status).toBe("closing");
      expect(stopped.closeout?.failure).toMatchObject({ attempt: 1 });
      await until(
        async () =>
          outboxMessages(runtime)
            // Headers folded at 78 characters, the body's soft line breaks: unfolded before reading.
            .map((m) => m.replace(/\r?\n[ \t]+/g, " ").replace(/=\r?\n/g, ""))
            .find(
              (m) =>
                m.includes(`Subject: Closeout failed for award ${awardId}`) && m.includes("/closeout/resume"),
            ),
        "the staff notice of the failed closeout",
        30_000,
      );
      await faults();

      const resumed = await resume("rhea-resume-1");
      expect(resumed.status).toBe(202);
      expect(resumed.body.closeout?.attempt).toBe(2);
      // Running again: a second resume (another key) has nothing to do.
      const again = await resume("rhea-resume-2");
      expect(again.status).toBe(409);
      const closed = await awardToBe(
        awardId,
        (a) => ["closed", "closed_noncompliant"].includes(a.status),
        "to be closed after the resume",
      );
      expect(closed.closeout?.attempt).toBe(2);
      expect(closed.closeout?.credits?.returnedCents).toBe(CREDITS);
      expect(
        closed.history.filter((h: { reason: string }) => h.reason.startsWith("closeout resumed")),
      ).toHaveLength(1);
      const ledger = await ledgerOf(awardId);
      expect(ledger.credits.released).toBe(CREDITS);
      expect((await resume("rhea-resume-3")).status).toBe(409);
    } finally {
      await faults();
      sfn.destroy();
    }
  });
});
