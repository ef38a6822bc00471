import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actAs, activeAward as activeAwardOf, newOperation, ok, openCall, reply } from "../support/allot.js";
import { checkLocalLedger, localLedgerEntries } from "../support/ledger.js";
import { type RuntimeProcess, startRuntimeProcess, until } from "../support/runtime.js";

// Changes during the award on the real local stack: the grantee's requests, staff's decisions
// moving the ledger and the award in one transaction, the provider stand-in's project modified
// from the events, and every decision and staff action told to the grantee.

const PROGRAM = "e2e-changes";
let runtime: RuntimeProcess;

beforeAll(async () => {
  runtime = await startRuntimeProcess({});
  const staff = await actAs(runtime, "sam", "staff");
  await ok(
    staff.POST("/programs", {
      body: {
        programId: PROGRAM,
        name: "Changes test program",
        pools: { cashCents: 30_000_000, creditsCents: 60_000_000 },
        caps: {
          maxGrantCashCents: 5_000_000,
          maxGrantCreditsCents: 8_000_000,
          maxPartnerCreditsCents: 50_000_000,
        },
        cluster: { chips: 1_000 },
        creditRate: { centsPerChipHour: 200 },
      },
    }),
  );
  await openCall(staff, {
    programId: PROGRAM,
    callId: "e2e-changes-call",
    title: "Changes e2e call",
    reviewerPool: ["rev-ada", "rev-dana", "rev-freya"],
  });
}, 120_000);
afterAll(async () => {
  await runtime?.stop();
});

// biome-ignore lint/suspicious/noExplicitAny: the stand-in's JSON, read loosely in assertions
const project = (awardId: string): Promise<any> =>
  fetch(`${runtime.provider}/amie/v1/projects/${awardId}`).then((r) => r.json());

/** An active award of `applicant`, through review, approval, acceptance and provisioning. */
const activeAward = async (
  applicant: string,
  amounts = { cashCents: 2_000_000, creditsCents: 4_000_000 },
) => {
  const { awardId, proposalId, me, staff } = await activeAwardOf(
    runtime,
    "e2e-changes-call",
    applicant,
    amounts.creditsCents,
    ["rev-ada", "rev-dana", "rev-freya"],
    amounts.cashCents,
  );
  return { awardId, proposalId, grantee: me, staff };
};

type Client = Awaited<ReturnType<typeof actAs>>;

const notice = (
  client: Client,
  kind: string,
  match: (text: string) => boolean = () => true,
  proposalId?: string,
) =>
  until(async () => {
    const { items } = await ok(
      client.GET("/notifications", { params: { query: proposalId ? { proposalId } : {} } }),
    );
    return items.find((n: { kind: string; text: string }) => n.kind === kind && match(n.text));
  }, `a ${kind} notification`);

const justification = "The ablations need a second round on the larger models we found promising.";

describe("change requests during the award", () => {
  let award: Awaited<ReturnType<typeof activeAward>>;
  beforeAll(async () => {
    award = await activeAward("gia");
  }, 180_000);

  it("approves a supplement for less than asked: ledger and award move together, the provider and the grantee follow", async () => {
    const { awardId, proposalId, grantee, staff } = award;
    const key = newOperation();
    const ask = () =>
      reply(
        grantee.POST("/awards/{awardId}/changes", {
          params: { path: { awardId }, header: key },
          body: { kind: "supplement", cashCents: 500_000, creditsCents: 3_000_000, justification },
        }),
      );
    const first = await ask();
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      status: "pending",
      requested: { cashCents: 500_000, creditsCents: 3_000_000 },
    });
    // The same Idempotency-Key again lands once.
    const again = await ask();
    expect(again).toEqual(first);
    const changeId = first.body.changeId as string;
    expect(
      (await ok(grantee.GET("/awards/{awardId}/changes", { params: { path: { awardId } } }))).items,
    ).toHaveLength(1);

    // One open supplement at a time.
    const second = await reply(
      grantee.POST("/awards/{awardId}/changes", {
        params: { path: { awardId }, header: newOperation() },
        body: { kind: "supplement", creditsCents: 1_000, justification },
      }),
    );
    expect(second.status).toBe(409);
    expect(second.body.message).toContain(`already has an open supplement request (${changeId})`);

    const queue = await ok(staff.GET("/changes", { params: { query: { status: "pending" } } }));
    expect(queue.items.map((c: { changeId: string }) => c.changeId)).toContain(changeId);
    await notice(staff, "change-requested", (t) => t.includes(justification), proposalId);

    const approve = (body: Record<string, unknown>) =>
      reply(
        staff.POST("/awards/{awardId}/changes/{changeId}/approve", {
          params: { path: { awardId, changeId } },
          body: body as never,
        }),
      );
    const decided = await approve({
      rationale: "Two thirds of the credits fit this round.",
      creditsCents: 2_000_000,
    });
    expect(decided.status).toBe(200);
    expect(decided.body).toMatchObject({
      status: "approved",
      decision: {
        rationale: "Two thirds of the credits fit this round.",
        granted: { cashCents: 500_000, creditsCents: 2_000_000 },
      },
    });
    const after = await ok(grantee.GET("/awards/{awardId}", { params: { path: { awardId } } }));
    expect(after).toMatchObject({
      cashCents: 2_500_000,
      creditsCents: 6_000_000,
      held: { cashCents: 2_500_000, creditsCents: 6_000_000 },
    });
    const topUps = (await localLedgerEntries(runtime, awardId)).filter((e) => e.kind === "topup");
    expect(topUps.map((e) => [e.pool, e.amountCents])).toEqual([
      ["cash", 500_000],
      ["credits", 2_000_000],
    ]);
    expect(await checkLocalLedger(runtime, PROGRAM)).toEqual([]);

    // The same decision again answers the record; the other decision is refused.
    expect((await approve({ rationale: "again" })).body).toEqual(decided.body);
    const deny = await reply(
      staff.POST("/awards/{awardId}/changes/{changeId}/deny", {
        params: { path: { awardId, changeId } },
        body: { rationale: "too late" },
      }),
    );
    expect(deny.status).toBe(409);

    const modified = await until(async () => {
      const p = await project(awardId);
      return p.request?.creditsCents === 6_000_000 ? p : undefined;
    }, "the provider's project modified");
    expect(modified.request.chipHours).toBe(30_000);
    expect(modified.modifiedAt).toBeTruthy();

    const told = await notice(grantee, "change-decided", (t) =>
      t.includes("Two thirds of the credits fit this round."),
    );
    expect(told.text).toContain("Granted: $5,000.00 cash and $20,000.00 in compute credits");
    // The decision is the grantee's one notice of this top-up.
    const { items } = await ok(grantee.GET("/notifications"));
    expect(items.filter((n: { kind: string }) => n.kind === "award-topped-up")).toEqual([]);
  }, 120_000);

  it("denies with a rationale the grantee reads, and refuses a supplement past the caps with the numbers", async () => {
    const { awardId, grantee, staff } = award;
    const asked = await ok(
      grantee.POST("/awards/{awardId}/changes", {
        params: { path: { awardId }, header: newOperation() },
        body: { kind: "extension", months: 6, justification },
      }),
    );
    const denied = await ok(
      staff.POST("/awards/{awardId}/changes/{changeId}/deny", {
        params: { path: { awardId, changeId: asked.changeId } },
        body: { rationale: "The term already covers the planned work." },
      }),
    );
    expect(denied.status).toBe("denied");
    const mine = await ok(grantee.GET("/awards/{awardId}/changes", { params: { path: { awardId } } }));
    expect(
      mine.items.find((c: { changeId: string }) => c.changeId === asked.changeId)?.decision?.rationale,
    ).toBe("The term already covers the planned work.");
    await notice(
      grantee,
      "change-decided",
      (t) => t.includes("was denied") && t.includes("The term already covers"),
    );

    // The award holds 6,000,000 credit cents under a cap of 8,000,000.
    const beyond = await reply(
      grantee.POST("/awards/{awardId}/changes", {
        params: { path: { awardId }, header: newOperation() },
        body: { kind: "supplement", creditsCents: 2_000_001, justification },
      }),
    );
    expect(beyond.status).toBe(400);
    expect(beyond.body.issues).toEqual([
      {
        field: "creditsCents",
        message:
          "the award would hold 8000001 credit cents, over the 8000000 cents credit cap (it holds 6000000)",
      },
    ]);
  }, 60_000);

  it("applies concurrent approvals of different requests, and never lets the award past its cap", async () => {
    const { awardId, grantee, staff } = award;
    const sup = await ok(
      grantee.POST("/awards/{awardId}/changes", {
        params: { path: { awardId }, header: newOperation() },
        body: { kind: "supplement", creditsCents: 1_500_000, justification },
      }),
    );
    const ext = await ok(
      grantee.POST("/awards/{awardId}/changes", {
        params: { path: { awardId }, header: newOperation() },
        body: { kind: "extension", months: 2, justification },
      }),
    );
    const before = await ok(staff.GET("/awards/{awardId}", { params: { path: { awardId } } }));
    // Racing: the supplement, the extension, and staff's own top-up that only one of it and the
    // supplement can fit under the 8,000,000 cap.
    const answers = await Promise.all([
      reply(
        staff.POST("/awards/{awardId}/changes/{changeId}/approve", {
          params: { path: { awardId, changeId: sup.changeId } },
          body: { rationale: "Fits." },
        }),
      ),
      reply(
        staff.POST("/awards/{awardId}/changes/{changeId}/approve", {
          params: { path: { awardId, changeId: ext.changeId } },
          body: { rationale: "Fine." },
        }),
      ),
      reply(
        staff.POST("/awards/{awardId}/top-up", {
          params: { path: { awardId }, header: newOperation() },
          body: { creditsCents: 1_500_000, reason: "staff's own top-up" },
        }),
      ),
    ]);
    expect(answers[1]?.status).toBe(200);
    const [supplementAnswer, , topUpAnswer] = answers;
    expect([supplementAnswer?.status, topUpAnswer?.status].sort()).toEqual([200, 400]);
    const after = await ok(staff.GET("/awards/{awardId}", { params: { path: { awardId } } }));
    expect(after.creditsCents).toBe(7_500_000);
    expect(after.held.creditsCents).toBe(7_500_000);
    expect(Date.parse(after.endsAt ?? "")).toBeGreaterThan(Date.parse(before.endsAt ?? ""));
    expect(await checkLocalLedger(runtime, PROGRAM)).toEqual([]);
    await until(async () => {
      const p = await project(awardId);
      return p.request?.creditsCents === 7_500_000 && p.request?.endsAt === after.endsAt ? p : undefined;
    }, "the provider's project at the new totals and end");
  }, 90_000);

  it("tells the grantee of staff's own top-up, extension, suspension, resumption and revocation", async () => {
    const { awardId, grantee, staff } = await activeAward("hal", {
      cashCents: 1_000_000,
      creditsCents: 1_000_000,
    });
    const path = { awardId };
    await ok(
      staff.POST("/awards/{awardId}/top-up", {
        params: { path, header: newOperation() },
        body: { creditsCents: 250_000, reason: "a benchmark run was added" },
      }),
    );
    await ok(
      staff.POST("/awards/{awardId}/extend", {
        params: { path, header: newOperation() },
        body: { months: 3, reason: "the cluster was down in March" },
      }),
    );
    await ok(
      staff.POST("/awards/{awardId}/suspend", {
        params: { path, header: newOperation() },
        body: { reason: "report overdue" },
      }),
    );
    await ok(
      staff.POST("/awards/{awardId}/resume", {
        params: { path, header: newOperation() },
        body: { reason: "report received" },
      }),
    );
    const extended = await until(async () => {
      const p = await project(awardId);
      return p.request?.creditsCents === 1_250_000 && p.modifiedAt ? p : undefined;
    }, "the provider's project topped up");
    expect(extended.request.chipHours).toBe(6_250);
    await ok(
      staff.POST("/awards/{awardId}/revoke", {
        params: { path, header: newOperation() },
        body: { reason: "misconduct finding" },
      }),
    );

    for (const [kind, words] of [
      ["award-topped-up", "a benchmark run was added"],
      ["award-extended", "the cluster was down in March"],
      ["award-suspended", "report overdue"],
      ["award-resumed", "report received"],
      ["award-revoked", "misconduct finding"],
    ] as const) {
      const n = await notice(grantee, kind, (t) => t.includes(words));
      expect(n.text).toContain(awardId);
    }
  }, 240_000);
});
