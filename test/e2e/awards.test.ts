import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  actAs,
  asSent,
  newOperation,
  ok,
  openCall,
  reply,
  rubricReview,
  submission,
  submit,
  waitForExecution,
  waitForStatus,
} from "../support/allot.js";
import { checkLocalLedger, localLedgerEntries } from "../support/ledger.js";
import { type RuntimeProcess, startRuntimeProcess, until } from "../support/runtime.js";

// The award half of the workflow on the real local stack, with the compute provider's
// stand-in answering asynchronously over HTTP: commitment under the pools, the offer, the
// AMIE-shaped provisioning handshake, failures and their compensation, and a kill -9.

let runtime: RuntimeProcess;
beforeAll(async () => {
  // Answers come a little later than the requests, as a real provider's would.
  runtime = await startRuntimeProcess({ env: { ALLOT_PROVIDER_CALLBACK_LATENCY_MS: "300" } });
  const staff = await actAs(runtime, "sam", "staff");
  await ok(
    staff.POST("/programs", {
      body: {
        programId: "e2e-awards",
        name: "Awards test program",
        pools: { cashCents: 30_000_000, creditsCents: 60_000_000 },
        caps: {
          maxGrantCashCents: 20_000_000,
          maxGrantCreditsCents: 40_000_000,
          maxPartnerCreditsCents: 50_000_000,
        },
        cluster: { chips: 1_000 },
        creditRate: { centsPerChipHour: 200 },
        offerPeriod: "PT20S",
      },
    }),
  );
  await openCall(staff, {
    programId: "e2e-awards",
    callId: "e2e-awards-call",
    title: "Awards e2e call",
    reviewerPool: ["rev-ada", "rev-dana", "rev-freya"],
  });
}, 120_000);
afterAll(async () => {
  await runtime?.stop();
});
// A failed test must not leave its faults to the next one.
afterEach(async () => {
  await fetch(`${runtime.provider}/admin/faults`, { method: "DELETE" }).catch(() => undefined);
});

// biome-ignore lint/suspicious/noExplicitAny: the stand-in's JSON, read loosely in assertions
const provider = (path: string, init?: RequestInit): Promise<any> =>
  fetch(`${runtime.provider}${path}`, init).then((r) => r.json());
const setFaults = (faults: unknown) =>
  provider("/admin/faults", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(faults),
  });

/** Submits and reviews a proposal up to the committee; returns its id. */
const reviewed = async (
  applicant: string,
  amounts: { cashCents: number; creditsCents: number },
  callId = "e2e-awards-call",
) => {
  const id = await submit(
    runtime,
    applicant,
    submission(callId, {
      pi: { name: `${applicant} PI`, email: `${applicant}@inst.example`, institution: `Inst ${applicant}` },
      requestedCashCents: amounts.cashCents,
      requestedCreditsCents: amounts.creditsCents,
    }),
  );
  const assignment = await until(async () => {
    for (const r of ["rev-ada", "rev-dana", "rev-freya"]) {
      const { items } = await ok((await actAs(runtime, r, "reviewer")).GET("/assignments"));
      const found = items.find(
        (a: { proposalId: string; status: string }) => a.proposalId === id && a.status === "open",
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
  await waitForStatus(runtime, id, "decision_pending");
  return id;
};

/** Submits, reviews and approves a proposal; returns its id and the award's id once offered. */
const approved = async (applicant: string, amounts = { cashCents: 5_000_000, creditsCents: 10_000_000 }) => {
  const id = await reviewed(applicant, amounts);
  await ok(
    (await actAs(runtime, "sam", "staff")).POST("/proposals/{proposalId}/decision", {
      params: { path: { proposalId: id } },
      body: {
        outcome: "approve",
        rationale: "Strong proposal, fits the budget",
        ...amounts,
      },
    }),
  );
  const me = await actAs(runtime, applicant, "applicant");
  const award = await until(async () => {
    const { items } = await ok(me.GET("/awards"));
    return items.find((a: { proposalId: string }) => a.proposalId === id);
  }, "the award offer");
  return { proposalId: id, awardId: award.awardId as string, applicant: me };
};

const awardStatus = async (awardId: string, status: string, timeoutMs = 45_000) => {
  const staff = await actAs(runtime, "sam", "staff");
  return until(
    async () => {
      const got = await reply(staff.GET("/awards/{awardId}", { params: { path: { awardId } } }));
      return got.body?.status === status ? got.body : undefined;
    },
    `award ${awardId} to be ${status}`,
    timeoutMs,
  );
};

const pools = async () => {
  const report = await ok(
    (await actAs(runtime, "sam", "staff")).GET("/programs/{programId}/budget", {
      params: { path: { programId: "e2e-awards" } },
    }),
  );
  // Pools open with the first movement of money; before it, all of the budget is available.
  return {
    cash: 30_000_000,
    credits: 60_000_000,
    ...Object.fromEntries(
      report.pools.map((p: { pool: string; availableCents: number }) => [p.pool, p.availableCents]),
    ),
  } as Record<string, number>;
};

describe("awards", () => {
  it("goes from approval to an active award with credits on the provider", async () => {
    const before = await pools();
    const { awardId, applicant, proposalId } = await approved("ana");
    const offer = await ok(applicant.GET("/awards/{awardId}", { params: { path: { awardId } } }));
    expect(offer).toMatchObject({ status: "offered", cashCents: 5_000_000, creditsCents: 10_000_000 });
    expect(offer.held).toEqual({ cashCents: 5_000_000, creditsCents: 10_000_000 });
    expect((await pools()).cash).toBe((before.cash ?? 0) - 5_000_000);

    await ok(applicant.POST("/awards/{awardId}/accept", { params: { path: { awardId } } }));
    const active = await awardStatus(awardId, "active");
    expect(active.provider.projectId).toBeTruthy();
    expect(active.provider.access.loginHost).toBeTruthy();
    await waitForExecution(runtime, proposalId, "SUCCEEDED");
    const project = await provider(`/amie/v1/projects/${awardId}`);
    expect(project.state ?? project.project?.state).toBe("complete");

    const mail = await until(async () => {
      const { items } = await ok(applicant.GET("/notifications"));
      const kinds = items.map((n: { kind: string }) => n.kind);
      return kinds.includes("credits-provisioned") && kinds.includes("award-offer") ? items : undefined;
    }, "the award letter and the credits notice");
    const letter = mail.find((n: { kind: string }) => n.kind === "award-offer");
    expect(letter?.text).toContain("$50,000.00");
    expect(letter?.text).toMatch(/paper/);
    expect(letter?.text).toMatch(/GitHub/);
    expect(await checkLocalLedger(runtime, "e2e-awards")).toEqual([]);
  });

  it("releases the budget when the grantee declines, and when the offer lapses", async () => {
    const start = await pools();
    const declined = await approved("ben", { cashCents: 1_000_000, creditsCents: 2_000_000 });
    await ok(
      declined.applicant.POST("/awards/{awardId}/decline", {
        params: { path: { awardId: declined.awardId } },
      }),
    );
    await awardStatus(declined.awardId, "declined");
    const lapsing = await approved("cy", { cashCents: 1_000_000, creditsCents: 2_000_000 });
    await awardStatus(lapsing.awardId, "lapsed", 60_000);
    await waitForExecution(runtime, lapsing.proposalId, "SUCCEEDED");
    expect(await pools()).toEqual(start);
    const award = await ok(
      lapsing.applicant.GET("/awards/{awardId}", { params: { path: { awardId: lapsing.awardId } } }),
    );
    expect(award.held).toEqual({ cashCents: 0, creditsCents: 0 });
    expect(await checkLocalLedger(runtime, "e2e-awards")).toEqual([]);
  }, 120_000);

  it("retries a provider that fails transiently, then succeeds", async () => {
    const { awardId, applicant } = await approved("dee", { cashCents: 1_000_000, creditsCents: 1_000_000 });
    // Set once the offer is out, so only this award's provisioning can use the faults up.
    expect((await setFaults({ requestProject: { transient: 2 } })).requestProject).toEqual({ transient: 2 });
    await ok(applicant.POST("/awards/{awardId}/accept", { params: { path: { awardId } } }));
    await awardStatus(awardId, "active", 60_000);
    // Both injected failures were suffered (and retried through), not skipped.
    expect((await provider("/admin/faults")).requestProject).toEqual({ transient: 0 });
    expect(await provider("/admin/faults", { method: "DELETE" })).toEqual({});
  }, 90_000);

  it("compensates a permanent provider failure, leaving the ledger as before; staff can re-drive", async () => {
    const before = await pools();
    await setFaults({ requestProject: { permanent: true } });
    const { awardId, applicant, proposalId } = await approved("eli", {
      cashCents: 2_000_000,
      creditsCents: 3_000_000,
    });
    await ok(applicant.POST("/awards/{awardId}/accept", { params: { path: { awardId } } }));
    await awardStatus(awardId, "provisioning_failed", 60_000);
    await waitForExecution(runtime, proposalId, "FAILED");
    expect(await pools()).toEqual(before);
    expect((await ok(applicant.GET("/awards/{awardId}", { params: { path: { awardId } } }))).held).toEqual({
      cashCents: 0,
      creditsCents: 0,
    });
    expect(await checkLocalLedger(runtime, "e2e-awards")).toEqual([]);
    const staff = await actAs(runtime, "sam", "staff");
    await until(async () => {
      const { items } = await ok(
        staff.GET("/notifications", { params: { query: { proposalId: proposalId } } }),
      );
      return items.find((n: { kind: string }) => n.kind === "provisioning-failed");
    }, "staff told of the failure");

    // What the grantee reads carries a plain reason: no stack trace, no server paths.
    const failed = await ok(applicant.GET("/awards/{awardId}", { params: { path: { awardId } } }));
    expect(failed.history.at(-1)).toMatchObject({
      status: "provisioning_failed",
      reason: "provisioning failed: the compute provider declined to set up the project",
    });
    const delayed = await until(async () => {
      const { items } = await ok(applicant.GET("/notifications"));
      return items.find((n: { kind: string }) => n.kind === "credits-delayed");
    }, "the grantee told of the delay");
    for (const text of [JSON.stringify(failed), JSON.stringify(delayed)]) {
      expect(text).not.toMatch(/stack|errorMessage|\.[jt]s:\d|node_modules|\/work\/|\n\s+at /i);
    }

    await provider("/admin/faults", { method: "DELETE" });
    const redrive = { reason: "provider fixed the quota" };
    const key = newOperation();
    const first = await reply(
      staff.POST("/awards/{awardId}/redrive", { params: { path: { awardId }, header: key }, body: redrive }),
    );
    expect(first.status).toBe(202);
    // A retry of the same re-drive answers as the first did and starts nothing more.
    expect(
      await reply(
        staff.POST("/awards/{awardId}/redrive", {
          params: { path: { awardId }, header: key },
          body: redrive,
        }),
      ),
    ).toEqual(first);
    await awardStatus(awardId, "active", 60_000);
    expect((await ok(staff.GET("/awards/{awardId}", { params: { path: { awardId } } }))).held).toEqual({
      cashCents: 2_000_000,
      creditsCents: 3_000_000,
    });
    expect(await checkLocalLedger(runtime, "e2e-awards")).toEqual([]);

    // The history shows every execution, newest first, and where the workflow stands now.
    const history = await waitForExecution(runtime, proposalId, "SUCCEEDED");
    expect(history.current).toBe(`${proposalId}-redrive-1`);
    expect(
      history.executions.map((e: { name: string; kind: string; status: string }) => [
        e.name,
        e.kind,
        e.status,
      ]),
    ).toEqual([
      [`${proposalId}-redrive-1`, "redrive", "SUCCEEDED"],
      [proposalId, "award", "FAILED"],
      [proposalId, "review", "SUCCEEDED"],
    ]);
    await until(async () => {
      const { items } = await ok(applicant.GET("/notifications"));
      return items.find((n: { kind: string }) => n.kind === "credits-provisioned");
    }, "the grantee told the credits are ready after the re-drive");
  }, 150_000);

  it("applies concurrent top-ups once each by their Idempotency-Keys, and answers a retry as the first", async () => {
    const { awardId, applicant } = await approved("ivy", { cashCents: 1_000_000, creditsCents: 1_000_000 });
    await ok(applicant.POST("/awards/{awardId}/accept", { params: { path: { awardId } } }));
    await awardStatus(awardId, "active");
    const staff = await actAs(runtime, "sam", "staff");
    const topUp = (creditsCents: number, key: string, reason = "supplement for ablations") =>
      reply(
        staff.POST("/awards/{awardId}/top-up", {
          params: { path: { awardId }, header: { "Idempotency-Key": key } },
          body: { creditsCents, reason },
        }),
      );

    const answers = await Promise.all([topUp(1_000, "ivy-a"), topUp(2_000, "ivy-b"), topUp(4_000, "ivy-c")]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    const grown = await ok(staff.GET("/awards/{awardId}", { params: { path: { awardId } } }));
    expect(grown.creditsCents).toBe(1_007_000);
    expect(grown.held.creditsCents).toBe(1_007_000);
    const topUps = (await localLedgerEntries(runtime, awardId)).filter((e) => e.kind === "topup");
    expect(topUps.map((e) => e.amountCents).sort((a, b) => a - b)).toEqual([1_000, 2_000, 4_000]);

    // Same key, same request: the first answer again, nothing applied twice.
    const again = await topUp(2_000, "ivy-b");
    expect(again).toEqual(answers[1]);
    // Same key, another request: refused, naming the problem.
    const other = await topUp(9_000, "ivy-b");
    expect(other.status).toBe(409);
    expect(other.body.message).toMatch(/Idempotency-Key was already used with another request/);
    // Duplicates racing each other: one runs, the others are told it is in progress or replayed.
    const racing = await Promise.all([1, 2, 3].map(() => topUp(500, "ivy-d")));
    expect(racing.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(1);
    for (const r of racing.filter((r) => r.status !== 200)) expect(r.body.message).toMatch(/in progress/);
    expect(
      (await ok(staff.GET("/awards/{awardId}", { params: { path: { awardId } } }))).held.creditsCents,
    ).toBe(1_007_500);

    // No key, or a malformed one: 400 saying what to send.
    const none = await reply(
      staff.POST("/awards/{awardId}/top-up", {
        params: { path: { awardId }, header: asSent({}) },
        body: {
          creditsCents: 1,
          reason: "no key at all",
        },
      }),
    );
    expect(none.status).toBe(400);
    expect(none.body.message).toMatch(/Idempotency-Key header is required/);
    for (const bad of ["x".repeat(256), "tab\there", "caf\u00e9"]) {
      const res = await topUp(1, bad);
      expect(res.status, bad).toBe(400);
      expect(res.body.issues[0]).toMatchObject({ field: "Idempotency-Key" });
    }
    expect(
      (await ok(staff.GET("/awards/{awardId}", { params: { path: { awardId } } }))).held.creditsCents,
    ).toBe(1_007_500);
    expect(await checkLocalLedger(runtime, "e2e-awards")).toEqual([]);
  }, 90_000);

  it("ends with exactly one allocation when the runtime is killed during provisioning", async () => {
    await setFaults({ callbackLatencyMs: 4_000 });
    const { awardId, applicant } = await approved("fay", { cashCents: 1_000_000, creditsCents: 1_000_000 });
    await ok(applicant.POST("/awards/{awardId}/accept", { params: { path: { awardId } } }));
    await until(async () => {
      const project = await fetch(`${runtime.provider}/amie/v1/projects/${awardId}`);
      return project.status === 200 ? true : undefined;
    }, "the provider to have the request");
    await runtime.kill("SIGKILL");
    await runtime.restart();
    await awardStatus(awardId, "active", 60_000);
    const { projects } = await provider("/amie/v1/projects");
    expect(projects.filter((p: { awardId: string }) => p.awardId === awardId)).toHaveLength(1);
    expect(await checkLocalLedger(runtime, "e2e-awards")).toEqual([]);
  }, 150_000);

  it("lets staff top up, extend, suspend, resume and revoke, each in the ledger and the history", async () => {
    const { awardId, applicant } = await approved("gil", { cashCents: 1_000_000, creditsCents: 1_000_000 });
    await ok(applicant.POST("/awards/{awardId}/accept", { params: { path: { awardId } } }));
    await awardStatus(awardId, "active");
    const staff = await actAs(runtime, "sam", "staff");
    const topped = await ok(
      staff.POST("/awards/{awardId}/top-up", {
        params: { path: { awardId }, header: newOperation() },
        body: {
          creditsCents: 500_000,
          reason: "supplement for ablations",
        },
      }),
    );
    expect(topped.held.creditsCents).toBe(1_500_000);
    const tooMuch = await reply(
      staff.POST("/awards/{awardId}/top-up", {
        params: { path: { awardId }, header: newOperation() },
        body: {
          cashCents: 50_000_000,
          reason: "way over the cap",
        },
      }),
    );
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.issues[0].field).toBe("cashCents");
    await ok(
      staff.POST("/awards/{awardId}/extend", {
        params: { path: { awardId }, header: newOperation() },
        body: { months: 6, reason: "delays at the partner lab" },
      }),
    );
    expect(
      (
        await ok(
          staff.POST("/awards/{awardId}/suspend", {
            params: { path: { awardId }, header: newOperation() },
            body: { reason: "compliance hold" },
          }),
        )
      ).status,
    ).toBe("suspended");
    expect(
      (
        await ok(
          staff.POST("/awards/{awardId}/resume", {
            params: { path: { awardId }, header: newOperation() },
            body: { reason: "hold lifted" },
          }),
        )
      ).status,
    ).toBe("active");
    const revoked = await ok(
      staff.POST("/awards/{awardId}/revoke", {
        params: { path: { awardId }, header: newOperation() },
        body: { reason: "misuse of credits" },
      }),
    );
    expect(revoked.status).toBe("revoked");
    expect(revoked.held).toEqual({ cashCents: 0, creditsCents: 0 });
    expect(revoked.history.map((h: { status: string }) => h.status)).toEqual(
      expect.arrayContaining(["offered", "provisioning", "active", "suspended", "revoked"]),
    );
    const project = await provider(`/amie/v1/projects/${awardId}`);
    expect(project.state ?? project.project?.state).toBe("inactive");
    expect(await checkLocalLedger(runtime, "e2e-awards")).toEqual([]);
  }, 90_000);

  it("puts an approval the pool cannot cover back before the committee, with the numbers", async () => {
    const staff = await actAs(runtime, "sam", "staff");
    await ok(
      staff.POST("/programs", {
        body: {
          programId: "e2e-tight",
          name: "A nearly spent program",
          pools: { cashCents: 3_000_000, creditsCents: 3_000_000 },
          caps: {
            maxGrantCashCents: 2_000_000,
            maxGrantCreditsCents: 2_000_000,
            maxPartnerCreditsCents: 2_000_000,
          },
          cluster: { chips: 10 },
          creditRate: { centsPerChipHour: 200 },
        },
      }),
    );
    await openCall(staff, {
      programId: "e2e-tight",
      callId: "e2e-tight-call",
      title: "Tight call",
      reviewerPool: ["rev-ada", "rev-dana", "rev-freya"],
    });
    // A first award takes 2,000,000 of the 3,000,000 cash pool.
    const first = await reviewed("hank", { cashCents: 2_000_000, creditsCents: 500_000 }, "e2e-tight-call");
    await ok(
      staff.POST("/proposals/{proposalId}/decision", {
        params: { path: { proposalId: first } },
        body: {
          outcome: "approve",
          rationale: "Fund in full, first in line",
          cashCents: 2_000_000,
          creditsCents: 500_000,
        },
      }),
    );
    const hank = await actAs(runtime, "hank", "applicant");
    await until(async () => (await ok(hank.GET("/awards"))).items[0], "the first award");
    const id = await reviewed("hana", { cashCents: 2_000_000, creditsCents: 500_000 }, "e2e-tight-call");
    await ok(
      staff.POST("/proposals/{proposalId}/decision", {
        params: { path: { proposalId: id } },
        body: {
          outcome: "approve",
          rationale: "Excellent, fund in full",
          cashCents: 2_000_000,
          creditsCents: 500_000,
        },
      }),
    );
    const back = await until(async () => {
      const got = await ok(staff.GET("/proposals/{proposalId}", { params: { path: { proposalId: id } } }));
      return got.status === "decision_pending" && got.revisedDecisions?.length ? got : undefined;
    }, "the refused approval back with the committee");
    expect(back.revisedDecisions?.[0]?.refusal).toContain(
      "cash pool has 1000000 cents left, 2000000 requested",
    );
    await until(async () => {
      const { items } = await ok(staff.GET("/notifications", { params: { query: { proposalId: id } } }));
      return items.find((n: { kind: string }) => n.kind === "commit-refused");
    }, "staff told of the refusal");

    await ok(
      staff.POST("/proposals/{proposalId}/decision", {
        params: { path: { proposalId: id } },
        body: {
          outcome: "approve",
          rationale: "Revised to what the pool can hold",
          cashCents: 1_000_000,
          creditsCents: 500_000,
        },
      }),
    );
    const hana = await actAs(runtime, "hana", "applicant");
    const award = await until(async () => (await ok(hana.GET("/awards"))).items[0], "the revised award");
    expect(award).toMatchObject({ status: "offered", cashCents: 1_000_000, creditsCents: 500_000 });
    expect(await checkLocalLedger(runtime, "e2e-tight")).toEqual([]);
  }, 90_000);
});
