import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  actAs,
  assignedReviewers,
  createCall,
  ok,
  outboxMessages,
  reply,
  rubricReview,
  submission,
  submit,
  waitForExecution,
  waitForStatus,
} from "../support/allot.js";
import { type RuntimeProcess, startRuntimeProcess, until } from "../support/runtime.js";

// A whole call on the real local stack: DynamoDB Local, the outbox stream, the bus and its
// rules, the review workflow's ASL with callbacks, and the HTTP API with real tokens.

let runtime: RuntimeProcess;
beforeAll(async () => {
  runtime = await startRuntimeProcess();
}, 120_000);
afterAll(async () => {
  await runtime?.stop();
});

const twoReviewers = (id: string, pool: string[]) =>
  until(
    async () => ((await assignedReviewers(runtime, id, pool)).length === 2 ? true : undefined),
    `two reviewers on ${id}`,
  );

const reviewAll = async (proposalId: string, reviewers: string[], scores: Record<string, number>) => {
  const assigned = (await assignedReviewers(runtime, proposalId, reviewers)).filter(
    (a) => a.status === "open",
  );
  for (const a of assigned) {
    await ok(
      (await actAs(runtime, a.reviewerId, "reviewer")).POST("/assignments/{assignmentId}/review", {
        params: { path: { assignmentId: a.assignmentId } },
        body: rubricReview(scores),
      }),
    );
  }
  return assigned.map((a) => a.reviewerId);
};

const person = (name: string, institution: string) => ({
  pi: {
    name,
    email: `${name.split(" ")[0]?.toLowerCase()}@${institution.replace(/\W/g, "").toLowerCase()}.example`,
    institution,
  },
});

describe("a call from submission to decisions", () => {
  it("reviews, scores, ranks and decides several proposals, notifying the applicants", async () => {
    const pool = ["rev-ada", "rev-chen", "rev-dana", "rev-freya"];
    await createCall(runtime, { callId: "e2e-full", reviewerPool: pool });
    const ids = [
      await submit(runtime, "ann", submission("e2e-full", person("Ann A", "Inst A"))),
      await submit(runtime, "ben", submission("e2e-full", person("Ben B", "Inst B"))),
      await submit(runtime, "cat", submission("e2e-full", person("Cat C", "Inst C"))),
    ];
    const scores = [
      { impact: 5, feasibility: 5 },
      { impact: 3, feasibility: 2 },
      { impact: 4, feasibility: 4 },
    ];
    for (const [i, id] of ids.entries()) {
      await twoReviewers(id, pool);
      expect(await reviewAll(id, pool, scores[i] as Record<string, number>)).toHaveLength(2);
    }
    for (const id of ids) await waitForStatus(runtime, id, "decision_pending");

    const staff = await actAs(runtime, "sam", "staff");
    const { items: ranking } = await ok(
      staff.GET("/calls/{callId}/ranking", { params: { path: { callId: "e2e-full" } } }),
    );
    expect(ranking.map((r: { proposalId: string }) => r.proposalId)).toEqual([ids[0], ids[2], ids[1]]);
    expect(ranking.map((r: { rank: number }) => r.rank)).toEqual([1, 2, 3]);
    expect(ranking[0]?.total).toBe(100);

    const outcomes = [
      {
        outcome: "approve" as const,
        rationale: "Top ranked, clear open plan",
        cashCents: 9_000_000,
        creditsCents: 20_000_000,
      },
      { outcome: "decline" as const, rationale: "Feasibility concerns across reviewers" },
      { outcome: "waitlist" as const, rationale: "Strong, but the pool is committed this round" },
    ];
    for (const i of [0, 1, 2]) {
      const decided = await ok(
        staff.POST("/proposals/{proposalId}/decision", {
          params: { path: { proposalId: ids[i] ?? "" } },
          body: outcomes[i] as (typeof outcomes)[number],
        }),
      );
      expect(decided.status).toBe(["awarded", "declined", "waitlisted"][i]);
      const rank = ranking.find((r: { proposalId: string }) => r.proposalId === ids[i]);
      expect(decided.decision?.scoreAtDecision?.total).toBe(rank?.total);
    }
    // The declined and waitlisted proposals' workflows end; the approved one goes on to its award.
    for (const id of [ids[1], ids[2]] as string[]) {
      const history = await waitForExecution(runtime, id, "SUCCEEDED");
      const states = history.executions[0].events
        .filter((e: { type: string }) => e.type.endsWith("StateEntered"))
        .map((e: { state: string }) => e.state);
      expect(states).toEqual(
        expect.arrayContaining([
          "Screen",
          "AssignReviewers",
          "CollectReviews",
          "Score",
          "AwaitDecision",
          "Decided",
        ]),
      );
    }
    const offered = await until(async () => {
      const history = await ok(
        staff.GET("/proposals/{proposalId}/history", { params: { path: { proposalId: ids[0] ?? "" } } }),
      );
      const states = history.executions[0]?.events.map((e: { state?: string }) => e.state);
      return states?.includes("AwaitAcceptance") ? history : undefined;
    }, "the approved proposal's award offered");
    expect(offered.status).toBe("RUNNING");

    // The applicant hears of receipt, screening and the decision, with anonymous feedback.
    const ann = await actAs(runtime, "ann", "applicant");
    const mail = await until(async () => {
      const { items } = await ok(ann.GET("/notifications"));
      return items.length >= 4 ? items : undefined;
    }, "ann's four notifications");
    expect(mail.map((n: { kind: string }) => n.kind).sort()).toEqual([
      "award-offer",
      "decision",
      "proposal-received",
      "screening-outcome",
    ]);
    const decisionMail = mail.find((n: { kind: string }) => n.kind === "decision");
    expect(decisionMail?.text).toContain("$90,000.00");
    expect(decisionMail?.text).toContain("Reviewer 1");
    for (const reviewer of pool) expect(decisionMail?.text).not.toContain(reviewer);
    expect(outboxMessages(runtime).some((m) => m.includes("ann@insta.example"))).toBe(true);
  });

  it("ends an ineligible proposal at screening and tells the applicant why", async () => {
    const id = await submit(
      runtime,
      "dan",
      submission("call-2027-spring", { openSourcePlan: "We will share results with partners privately." }),
    );
    const proposal = await waitForStatus(runtime, id, "ineligible");
    expect(proposal.screening.reasons.join(" ")).toContain("missing: github, license");
    await waitForExecution(runtime, id, "SUCCEEDED");
    const dan = await actAs(runtime, "dan", "applicant");
    const notice = await until(async () => {
      const { items } = await ok(dan.GET("/notifications"));
      return items.find((n: { kind: string }) => n.kind === "screening-outcome");
    }, "the screening notice");
    expect(notice.text).toContain("github");
  });

  it("waits for staff rather than assign a conflicted reviewer, then goes on when the pool grows", async () => {
    // rev-chen is at Eastlake University, the applicant's institution.
    await createCall(runtime, { callId: "e2e-coi", reviewerPool: ["rev-chen"] });
    const id = await submit(runtime, "eve", submission("e2e-coi", person("Eve E", "Eastlake University")));
    await waitForStatus(runtime, id, "awaiting_reviewers");
    expect(await assignedReviewers(runtime, id, ["rev-chen"])).toEqual([]);
    const staff = await actAs(runtime, "sam", "staff");
    const staffMail = await until(async () => {
      const { items } = await ok(staff.GET("/notifications", { params: { query: { proposalId: id } } }));
      return items.find((n: { kind: string }) => n.kind === "reviewers-needed");
    }, "staff asked for reviewers");
    expect(staffMail.text).toContain(id);

    // rev-freya declared a conflict with Eastlake University: adding her alone would not do.
    await ok(
      staff.POST("/calls/{callId}/reviewers", {
        params: { path: { callId: "e2e-coi" } },
        body: {
          reviewerIds: ["rev-emeka", "rev-freya", "rev-dana"],
        },
      }),
    );
    await waitForStatus(runtime, id, "in_review");
    const assigned = await until(async () => {
      const found = await assignedReviewers(runtime, id, ["rev-chen", "rev-emeka", "rev-freya", "rev-dana"]);
      return found.length === 2 ? found : undefined;
    }, "two unconflicted reviewers");
    expect(assigned.map((a) => a.reviewerId).sort()).toEqual(["rev-dana", "rev-emeka"]);
  });

  it("replaces a reviewer who declares a conflict", async () => {
    const pool = ["rev-ada", "rev-dana", "rev-freya"];
    await createCall(runtime, { callId: "e2e-declared", reviewerPool: pool });
    const id = await submit(runtime, "fay", submission("e2e-declared", person("Fay F", "Inst F")));
    await twoReviewers(id, pool);
    const [first] = await assignedReviewers(runtime, id, pool);
    await ok(
      (await actAs(runtime, first?.reviewerId ?? "", "reviewer")).POST(
        "/assignments/{assignmentId}/conflict",
        {
          params: { path: { assignmentId: first?.assignmentId ?? "" } },
          body: { reason: "I co-supervise the PI's student" },
        },
      ),
    );
    const after = await until(async () => {
      const found = await assignedReviewers(runtime, id, pool);
      return found.filter((a) => a.status === "open").length === 2 ? found : undefined;
    }, "a replacement reviewer");
    expect(after.find((a) => a.reviewerId === first?.reviewerId)?.status).toBe("conflicted");
    expect(new Set(after.map((a) => a.reviewerId)).size).toBe(3);
  });

  it("replaces a late reviewer at the deadline, after reminding them", async () => {
    const pool = ["rev-ada", "rev-dana", "rev-freya"];
    await createCall(runtime, {
      callId: "e2e-late",
      reviewerPool: pool,
      review: {
        rubric: { criteria: [{ id: "impact", name: "Impact", weight: 1 }], scale: { min: 1, max: 5 } },
        minReviewers: 2,
        reviewPeriod: "PT10S",
        reminderInterval: "PT4S",
        lateReplacementPeriod: "P7D",
      },
    });
    const id = await submit(runtime, "gus", submission("e2e-late", person("Gus G", "Inst G")));
    await twoReviewers(id, pool);
    const [onTime, late] = await assignedReviewers(runtime, id, pool);
    await ok(
      (await actAs(runtime, onTime?.reviewerId ?? "", "reviewer")).POST(
        "/assignments/{assignmentId}/review",
        { params: { path: { assignmentId: onTime?.assignmentId ?? "" } }, body: rubricReview({ impact: 4 }) },
      ),
    );

    const lateReviewer = await actAs(runtime, late?.reviewerId ?? "", "reviewer");
    await until(
      async () => {
        const { items } = await ok(lateReviewer.GET("/notifications"));
        return items.find((n: { kind: string }) => n.kind === "review-reminder");
      },
      "a reminder to the late reviewer",
      30_000,
    );
    const replaced = await until(
      async () => {
        const found = await assignedReviewers(runtime, id, pool);
        return found.some((a) => a.status === "late") && found.length === 3 ? found : undefined;
      },
      "the late reviewer replaced",
      40_000,
    );
    expect(replaced.find((a) => a.reviewerId === late?.reviewerId)?.status).toBe("late");
    const replacement = replaced.find((a) => a.status === "open");
    expect(replacement).toBeDefined();
    await ok(
      (await actAs(runtime, replacement?.reviewerId ?? "", "reviewer")).POST(
        "/assignments/{assignmentId}/review",
        {
          params: { path: { assignmentId: replacement?.assignmentId ?? "" } },
          body: rubricReview({ impact: 2 }),
        },
      ),
    );
    const scored = await waitForStatus(runtime, id, "decision_pending");
    expect(scored.score).toMatchObject({ reviewCount: 2, incomplete: false, total: 50 });
  }, 90_000);

  it("lets the applicant withdraw mid-review: the workflow stops and the reviewers are released", async () => {
    const pool = ["rev-ada", "rev-dana", "rev-freya"];
    await createCall(runtime, { callId: "e2e-withdraw", reviewerPool: pool });
    const id = await submit(runtime, "hal", submission("e2e-withdraw", person("Hal H", "Inst H")));
    await twoReviewers(id, pool);
    const staff = await actAs(runtime, "sam", "staff");
    const loadOf = async () =>
      Object.fromEntries(
        (await ok(staff.GET("/reviewers"))).items.map(
          (r: { reviewerId: string; openAssignments: number }) => [r.reviewerId, r.openAssignments],
        ),
      );
    const before = await loadOf();
    const reviewers = (await assignedReviewers(runtime, id, pool)).map((a) => a.reviewerId);

    const hal = await actAs(runtime, "hal", "applicant");
    expect(
      (
        await ok(
          hal.POST("/proposals/{proposalId}/withdraw", {
            params: { path: { proposalId: id } },
            body: { reason: "Funded by another program" },
          }),
        )
      ).status,
    ).toBe("withdrawn");
    await waitForExecution(runtime, id, "ABORTED");
    await until(
      async () => ((await assignedReviewers(runtime, id, pool)).length === 0 ? true : undefined),
      "assignments cancelled",
    );
    const after = await loadOf();
    for (const r of reviewers) expect(after[r]).toBe((before[r] ?? Number.NaN) - 1);
    expect(
      (
        await reply(
          hal.POST("/proposals/{proposalId}/withdraw", {
            params: { path: { proposalId: id } },
            body: { reason: "again" },
          }),
        )
      ).status,
    ).toBe(200);
  });

  it("answers the README's review sent again with 200, and a changed one with 409", async () => {
    const id = await submit(runtime, "rita", submission("call-2027-spring", person("Rita R", "Inst R")));
    const pool = ["rev-ada", "rev-bruno", "rev-chen", "rev-dana", "rev-emeka", "rev-freya"];
    await twoReviewers(id, pool);
    const [first] = await assignedReviewers(runtime, id, pool);
    const reviewer = await actAs(runtime, first?.reviewerId ?? "", "reviewer");
    const send = (review: typeof body) =>
      reply(
        reviewer.POST("/assignments/{assignmentId}/review", {
          params: { path: { assignmentId: first?.assignmentId ?? "" } },
          body: review,
        }),
      );
    // The body of the README, as a client that retries would send it again.
    const body = {
      scores: { impact: 5, feasibility: 4, openness: 5, team: 4 },
      comments: "Clear plan and a strong team; the baselines are well chosen.",
      commentsToApplicant: "Consider publishing intermediate results.",
    };
    const submitted = await send(body);
    expect(submitted.status).toBe(200);
    const replay = await send(body);
    expect([replay.status, replay.body]).toEqual([200, submitted.body]);
    const changed = await send({ ...body, scores: { ...body.scores, team: 3 } });
    expect(changed.status).toBe(409);
    expect(changed.body.message).toMatch(/already submitted/);
  });

  it("never shows the applicant who reviewed, however a reviewer signs; staff read the text as written", async () => {
    const staff = await actAs(runtime, "sam", "staff");
    const profile = (name: string, email: string, institution: string) => ({
      name,
      email,
      institution,
      keywords: ["ml-systems"],
    });
    await ok(
      staff.PUT("/reviewers/{reviewerId}", {
        params: { path: { reviewerId: "rev-two" } },
        body: profile("Reviewer Two", "rev2@review.example.org", "Review Inst"),
      }),
    );
    await ok(
      staff.PUT("/reviewers/{reviewerId}", {
        params: { path: { reviewerId: "rev-mira" } },
        body: profile("Mira Holloway", "mira.holloway@uni-m.example", "University M"),
      }),
    );
    const pool = ["rev-two", "rev-mira"];
    await createCall(runtime, { callId: "e2e-signed", reviewerPool: pool });
    const id = await submit(runtime, "kim", submission("e2e-signed", person("Kim K", "Inst K")));
    await twoReviewers(id, pool);
    const signed: Record<string, string> = {
      "rev-two": "Solid plan.\nSigned, Reviewer Two <rev2@review.example.org>",
      "rev-mira":
        "Publish the ablations early. Questions to M. Holloway or mira.holloway@uni-m.example.\n— Mira Holloway",
    };
    for (const a of await assignedReviewers(runtime, id, pool)) {
      await ok(
        (await actAs(runtime, a.reviewerId, "reviewer")).POST("/assignments/{assignmentId}/review", {
          params: { path: { assignmentId: a.assignmentId } },
          body: {
            scores: { impact: 4, feasibility: 3 },
            comments: "For the committee: a careful proposal with a thin evaluation.",
            commentsToApplicant: signed[a.reviewerId],
          },
        }),
      );
    }
    await waitForStatus(runtime, id, "decision_pending");
    const rationale = "Holloway and Reviewer Two (rev2@review.example.org) found the evaluation thin.";
    await ok(
      staff.POST("/proposals/{proposalId}/decision", {
        params: { path: { proposalId: id } },
        body: {
          outcome: "approve",
          rationale,
          cashCents: 100_000,
          creditsCents: 100_000,
        },
      }),
    );

    const kim = await actAs(runtime, "kim", "applicant");
    const notice = await until(async () => {
      const { items } = await ok(kim.GET("/notifications"));
      return items.find((n: { kind: string }) => n.kind === "decision");
    }, "kim's decision notice");
    const seen = {
      notice: notice.text,
      proposal: await ok(kim.GET("/proposals/{proposalId}", { params: { path: { proposalId: id } } })),
      list: await ok(kim.GET("/proposals")),
      // The award offer, with its history, is the grantee's to read too.
      awards: await until(async () => {
        const { items } = await ok(kim.GET("/awards"));
        return items.length ? items : undefined;
      }, "kim's award offer"),
      mail: outboxMessages(runtime).filter((m) => m.includes("To: Kim K <kim@instk.example>")),
    };
    expect(seen.mail.length).toBeGreaterThan(0);
    const text = JSON.stringify(seen);
    for (const secret of [
      "Reviewer Two",
      "rev2@",
      "review.example.org",
      "Holloway",
      "Mira",
      "uni-m.example",
      "rev-two",
      "rev-mira",
    ])
      expect(text).not.toContain(secret);
    expect(notice.text).toContain("Solid plan.");
    expect(notice.text).toContain("Signed, [redacted] <[redacted]>");
    expect(notice.text).toContain("Questions to [redacted] or [redacted].");
    expect(seen.proposal.decision?.rationale).toBe(
      "[redacted] and [redacted] ([redacted]) found the evaluation thin.",
    );
    // Kim's own address is hers to see.
    expect(seen.proposal.pi?.email).toBe("kim@instk.example");
    expect(
      (await ok(staff.GET("/proposals/{proposalId}", { params: { path: { proposalId: id } } }))).decision
        ?.rationale,
    ).toBe(rationale);
  });

  it("keeps the applicant's identity from reviewers in a blind call", async () => {
    const id = await submit(
      runtime,
      "ivy",
      submission("call-2027-blind", {
        pi: { name: "Ivy Identity", email: "ivy@secret.example", institution: "Secret Institute" },
        requestedCashCents: 20_000_000,
      }),
    );
    const pool = ["rev-bruno", "rev-dana", "rev-emeka", "rev-freya"];
    await twoReviewers(id, pool);
    const [first] = await assignedReviewers(runtime, id, pool);
    const reviewer = await actAs(runtime, first?.reviewerId ?? "", "reviewer");
    const proposalSeen = await ok(
      reviewer.GET("/proposals/{proposalId}", { params: { path: { proposalId: id } } }),
    );
    const seen = [proposalSeen, await ok(reviewer.GET("/assignments"))];
    const mail = await until(async () => {
      const { items } = await ok(reviewer.GET("/notifications"));
      const found = items.filter((n: { related: { proposalId?: string } }) => n.related.proposalId === id);
      return found.length ? found : undefined;
    }, "the assignment notice");
    for (const text of [...seen, ...mail].map((x) => JSON.stringify(x))) {
      expect(text).not.toContain("Ivy");
      expect(text).not.toContain("ivy@secret.example");
      expect(text).not.toContain("Secret Institute");
      expect(text).not.toContain('"ivy"');
    }
    expect(proposalSeen.title).toBe("Sparse attention at scale");
  });
});

describe("restarts", () => {
  it("loses nothing when the runtime is killed with reviews pending", async () => {
    const pool = ["rev-ada", "rev-dana", "rev-freya"];
    await createCall(runtime, { callId: "e2e-kill", reviewerPool: pool });
    const id = await submit(runtime, "jon", submission("e2e-kill", person("Jon J", "Inst J")));
    await twoReviewers(id, pool);
    const [first] = await assignedReviewers(runtime, id, pool);
    await ok(
      (await actAs(runtime, first?.reviewerId ?? "", "reviewer")).POST("/assignments/{assignmentId}/review", {
        params: { path: { assignmentId: first?.assignmentId ?? "" } },
        body: rubricReview({ impact: 5, feasibility: 4 }),
      }),
    );

    await runtime.kill("SIGKILL");
    await runtime.restart();

    const open = (await assignedReviewers(runtime, id, pool)).find((a) => a.status === "open");
    await ok(
      (await actAs(runtime, open?.reviewerId ?? "", "reviewer")).POST("/assignments/{assignmentId}/review", {
        params: { path: { assignmentId: open?.assignmentId ?? "" } },
        body: rubricReview({ impact: 3, feasibility: 4 }),
      }),
    );
    await waitForStatus(runtime, id, "decision_pending");
    const staff = await actAs(runtime, "sam", "staff");
    await ok(
      staff.POST("/proposals/{proposalId}/decision", {
        params: { path: { proposalId: id } },
        body: {
          outcome: "decline",
          rationale: "Out of scope for this round",
        },
      }),
    );
    await waitForExecution(runtime, id, "SUCCEEDED");
  }, 120_000);
});
