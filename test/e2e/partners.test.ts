import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actAs, ok, reply, reviewAndApprove, submission, waitForStatus } from "../support/allot.js";
import { checkLocalLedger } from "../support/ledger.js";
import { type RuntimeProcess, startRuntimeProcess, until } from "../support/runtime.js";

// Partner status through the HTTP API on the real local stack: staff keep the list, applicants
// name an id from it, and partnersOnly calls and the partner credit cap key on that id.

const PROGRAM = "e2e-partners";
const POOL = ["rev-ada", "rev-dana", "rev-freya"];
const atlantica = {
  name: "Universidade Atlântica",
  aliases: ["Atlantica University"],
  creditCapCents: 2_000_000,
};

let runtime: RuntimeProcess;
beforeAll(async () => {
  runtime = await startRuntimeProcess();
  const staff = await actAs(runtime, "sam", "staff");
  await ok(
    staff.POST("/programs", {
      body: {
        programId: PROGRAM,
        name: "Partners test program",
        pools: { cashCents: 10_000_000, creditsCents: 10_000_000 },
        caps: {
          maxGrantCashCents: 5_000_000,
          maxGrantCreditsCents: 5_000_000,
          maxPartnerCreditsCents: 3_000_000,
        },
        cluster: { chips: 100 },
        creditRate: { centsPerChipHour: 200 },
      },
    }),
  );
  for (const [callId, partnersOnly] of [
    ["e2e-partners-open", false],
    ["e2e-partners-only", true],
  ] as const) {
    await ok(
      staff.POST("/programs/{programId}/calls", {
        params: { path: { programId: PROGRAM } },
        body: {
          callId,
          title: `Call ${callId}`,
          opensAt: "2026-01-01T00:00:00Z",
          closesAt: "2030-01-01T00:00:00Z",
          eligibility: { partnersOnly },
          review: {
            rubric: { criteria: [{ id: "impact", name: "Impact", weight: 1 }], scale: { min: 1, max: 5 } },
            minReviewers: 1,
            reviewPeriod: "P7D",
          },
          reviewerPool: POOL,
        },
      }),
    );
  }
}, 120_000);
afterAll(async () => {
  await runtime?.stop();
});

const pi = (applicant: string, institution: Record<string, string>) => ({
  name: `${applicant} PI`,
  email: `${applicant}@inst.example`,
  ...institution,
});

/** Drafts and submits as the applicant; answers the submit's response. */
const submitAs = async (applicant: string, callId: string, body: Record<string, unknown>) => {
  const me = await actAs(runtime, applicant, "applicant");
  const draft = await ok(
    me.POST("/proposals", {
      body: submission(callId, { requestedCashCents: 0, requestedCreditsCents: 1_500_000, ...body }),
    }),
  );
  return {
    id: draft.proposalId as string,
    answer: await reply(
      me.POST("/proposals/{proposalId}/submit", { params: { path: { proposalId: draft.proposalId } } }),
    ),
  };
};

/** Reviews a submitted proposal and approves its credits. */
const approve = (id: string, creditsCents: number) =>
  reviewAndApprove(runtime, id, {
    reviewers: POOL,
    rationale: "Strong proposal, fund the credits",
    cashCents: 0,
    creditsCents,
  });

describe("partner institutions through the HTTP API", () => {
  it("lets staff keep the list, idempotently by id, and applicants read it", async () => {
    const staff = await actAs(runtime, "sam", "staff");
    const applicant = await actAs(runtime, "ivy", "applicant");
    const put = (caller: typeof staff) =>
      reply(
        caller.PUT("/programs/{programId}/institutions/{institutionId}", {
          params: { path: { programId: PROGRAM, institutionId: "atlantica" } },
          body: atlantica,
        }),
      );

    const created = await put(staff);
    const again = await put(staff);
    const tooBig = await reply(
      staff.PUT("/programs/{programId}/institutions/{institutionId}", {
        params: { path: { programId: PROGRAM, institutionId: "eastlake" } },
        body: {
          name: "Eastlake University",
          creditCapCents: 3_000_001,
        },
      }),
    );
    const byApplicant = await put(applicant);
    const list = await ok(
      applicant.GET("/programs/{programId}/institutions", { params: { path: { programId: PROGRAM } } }),
    );

    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ institutionId: "atlantica", revision: 1, ...atlantica });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(created.body);
    expect(tooBig.status).toBe(400);
    expect(tooBig.body.issues).toEqual([
      { field: "creditCapCents", message: expect.stringContaining("caps.maxPartnerCreditsCents") },
    ]);
    expect(byApplicant.status).toBe(403);
    // The applicant reads the list without the staff member who last edited it.
    const { updatedBy, ...seenByApplicants } = created.body;
    expect(updatedBy).toBe("sam");
    expect(list.items).toEqual([seenByApplicants]);
    const seeded = await ok(
      applicant.GET("/programs/{programId}/institutions", {
        params: { path: { programId: "model-program" } },
      }),
    );
    expect(seeded.items.map((i: { institutionId: string }) => i.institutionId).sort()).toEqual([
      "atlantica",
      "coast",
      "eastlake",
      "northfield",
    ]);
  });

  it("refuses the self-declared flag and an unknown id with a 400 naming the field", async () => {
    const applicant = await actAs(runtime, "jon", "applicant");
    const flagged = await reply(
      applicant.POST("/proposals", {
        body: submission("e2e-partners-open", {
          pi: { ...pi("jon", { institution: "Universidade Atlântica" }), strategicPartner: true },
        }),
      }),
    );
    expect(flagged.status).toBe(400);
    expect(flagged.body.issues).toEqual([
      { field: "pi.strategicPartner", message: expect.stringContaining("pi.institutionId") },
    ]);

    const { answer } = await submitAs("jon", "e2e-partners-open", {
      pi: pi("jon", { institutionId: "nowhere" }),
    });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      message: expect.any(String),
      issues: [
        {
          field: "pi.institutionId",
          message: expect.stringContaining(`GET /programs/${PROGRAM}/institutions`),
        },
      ],
    });
  });

  it("admits only a named partner to a partnersOnly call, flagging a look-alike name for staff", async () => {
    const lookalike = await submitAs("kim", "e2e-partners-only", {
      pi: pi("kim", { institution: "Universidade Atlantica" }),
    });
    const named = await submitAs("lea", "e2e-partners-only", {
      pi: pi("lea", { institutionId: "atlantica" }),
    });
    expect(lookalike.answer).toMatchObject({ status: 200 });
    expect(named.answer.body.pi).toMatchObject({ institutionId: "atlantica", institution: atlantica.name });

    const refused = await waitForStatus(runtime, lookalike.id, "ineligible");
    expect(refused.screening.reasons.join(" ")).toContain("strategic partner institutions only");
    expect(refused.screening.warnings).toEqual([
      expect.stringContaining("matches partner institution atlantica"),
    ]);
    await waitForStatus(runtime, named.id, "in_review");
  });

  it("holds the partner's credits to its cap whether a proposal names the id or types an alias", async () => {
    // 1,500,000 of the 2,000,000 cap by id, then 1,000,000 more under an alias typed as free text.
    const first = await submitAs("max", "e2e-partners-open", {
      pi: pi("max", { institutionId: "atlantica" }),
    });
    await approve(first.id, 1_500_000);
    const max = await actAs(runtime, "max", "applicant");
    const award = await until(async () => (await ok(max.GET("/awards"))).items[0], "the first award");
    expect(award).toMatchObject({
      institutionId: "atlantica",
      strategicPartner: true,
      creditsCents: 1_500_000,
    });

    const second = await submitAs("nia", "e2e-partners-open", {
      pi: pi("nia", { institution: "Atlantica University" }),
    });
    await approve(second.id, 1_000_000);
    const staff = await actAs(runtime, "sam", "staff");
    const back = await until(async () => {
      const got = await ok(
        staff.GET("/proposals/{proposalId}", { params: { path: { proposalId: second.id } } }),
      );
      return got.status === "decision_pending" && got.revisedDecisions?.length ? got : undefined;
    }, "the approval over the partner's cap back with the committee");
    expect(back.revisedDecisions?.[0]?.refusal).toBe(
      "Universidade Atlântica may receive 500000 more credit cents, 1000000 requested",
    );

    const report = await ok(
      staff.GET("/programs/{programId}/budget", { params: { path: { programId: PROGRAM } } }),
    );
    expect(report.partners).toEqual([
      {
        institution: "Universidade Atlântica",
        institutionKey: "atlantica",
        capCents: 2_000_000,
        heldCents: 1_500_000,
        consumedCents: 0,
        remainingCents: 500_000,
      },
    ]);
    expect(report.institutions).toEqual([
      {
        institution: "Universidade Atlântica",
        institutionId: "atlantica",
        committedCents: 1_500_000,
        releasedCents: 0,
        consumedCents: 0,
        heldCents: 1_500_000,
      },
    ]);
    expect(await checkLocalLedger(runtime, PROGRAM)).toEqual([]);
  }, 120_000);
});
