import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actAs, ok, openCall, reply, reviewAndApprove, submission, submit } from "../support/allot.js";
import { type RuntimeProcess, startRuntimeProcess, until } from "../support/runtime.js";

// GET /programs/{programId}/ledger: the staff's ledger check (every balance recomputed from the
// entries) through the HTTP API, so it works against any stage rather than one DynamoDB.

let runtime: RuntimeProcess;
beforeAll(async () => {
  runtime = await startRuntimeProcess();
  const staff = await actAs(runtime, "sam", "staff");
  await ok(
    staff.POST("/programs", {
      body: {
        programId: "e2e-ledger",
        name: "Ledger route test program",
        pools: { cashCents: 10_000_000, creditsCents: 20_000_000 },
        caps: {
          maxGrantCashCents: 5_000_000,
          maxGrantCreditsCents: 10_000_000,
          maxPartnerCreditsCents: 10_000_000,
        },
        cluster: { chips: 100 },
        creditRate: { centsPerChipHour: 100 },
      },
    }),
  );
  await openCall(staff, {
    programId: "e2e-ledger",
    callId: "e2e-ledger-call",
    title: "Ledger e2e call",
    reviewerPool: ["rev-ada", "rev-dana", "rev-freya"],
  });
  const id = await submit(
    runtime,
    "ledger-alice",
    submission("e2e-ledger-call", { requestedCashCents: 300_000, requestedCreditsCents: 700_000 }),
  );
  await reviewAndApprove(runtime, id, {
    reviewers: ["rev-ada", "rev-dana", "rev-freya"],
    rationale: "Strong proposal, fits the budget",
    cashCents: 300_000,
    creditsCents: 700_000,
  });
  await until(async () => {
    const { items } = await ok(staff.GET("/awards", { params: { query: { programId: "e2e-ledger" } } }));
    return items.length ? items : undefined;
  }, "the award's budget to be committed");
}, 180_000);
afterAll(async () => {
  await runtime?.stop();
});

const ledgerOf = (programId: string) => ({ params: { path: { programId } } });

describe("GET /programs/{programId}/ledger", () => {
  it("gives staff the check: balances recomputed from the entries, no differences", async () => {
    const staff = await actAs(runtime, "sam", "staff");
    const res = await reply(staff.GET("/programs/{programId}/ledger", ledgerOf("e2e-ledger")));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      programId: "e2e-ledger",
      pools: expect.arrayContaining([
        expect.objectContaining({
          pool: "cash",
          totalCents: 10_000_000,
          committedCents: 300_000,
          availableCents: 9_700_000,
        }),
        expect.objectContaining({
          pool: "credits",
          totalCents: 20_000_000,
          committedCents: 700_000,
          availableCents: 19_300_000,
        }),
      ]),
      partners: [],
      entries: 2,
      awards: 1,
      differences: [],
    });
  });

  it.each(["reviewer", "applicant", "integration"])("refuses the %s role with 403", async (role) => {
    const res = await reply(
      (await actAs(runtime, `ledger-${role}`, role)).GET(
        "/programs/{programId}/ledger",
        ledgerOf("e2e-ledger"),
      ),
    );
    expect(res).toEqual({
      status: 403,
      body: { message: `The ${role} role may not call GET /programs/{programId}/ledger` },
    });
  });

  it("answers 404 for a program whose ledger never opened, 400 for a malformed id", async () => {
    const staff = await actAs(runtime, "sam", "staff");
    expect(await reply(staff.GET("/programs/{programId}/ledger", ledgerOf("model-program")))).toEqual({
      status: 404,
      body: { message: "The ledger of program model-program was not found" },
    });
    expect((await reply(staff.GET("/programs/{programId}/ledger", ledgerOf("Not_An_Id")))).status).toBe(400);
  });
});
