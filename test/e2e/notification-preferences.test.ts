import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  actAs,
  assignmentOf,
  ok,
  openCall,
  outboxMessages,
  reply,
  reviewAndApprove,
  submission,
  submit,
} from "../support/allot.js";
import { type RuntimeProcess, startRuntimeProcess, until } from "../support/runtime.js";

// Preferences per kind on the real local stack: the consumers record every notice, the one
// `notify` door applies the recipient's preference, and the daily digest (its schedule's function,
// invoked here as the schedule would) mails what waited as one message.

let runtime: RuntimeProcess;
beforeAll(async () => {
  runtime = await startRuntimeProcess();
  await openCall(await actAs(runtime, "sam", "staff"), {
    programId: "model-program",
    callId: "e2e-prefs-call",
    title: "Preferences e2e call",
    reviewerPool: ["rev-ada"],
  });
}, 120_000);
afterAll(async () => {
  await runtime?.stop();
});

const ADA = "ada.okafor@northfield.example.edu";
const NIA = "nia@uni-n.example";
const mailTo = (email: string) => outboxMessages(runtime).filter((m) => m.includes(`<${email}>`));

const runDigest = async () => {
  const lambda = new LambdaClient({
    endpoint: runtime.edge,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  try {
    const out = await lambda.send(
      new InvokeCommand({
        FunctionName: "send-notification-digests",
        // What EventBridge sends a scheduled target.
        Payload: Buffer.from(
          JSON.stringify({
            version: "0",
            id: crypto.randomUUID(),
            "detail-type": "Scheduled Event",
            source: "aws.events",
            time: new Date().toISOString(),
            resources: [],
            detail: {},
          }),
        ),
      }),
    );
    expect(out.FunctionError).toBeUndefined();
    return JSON.parse(Buffer.from(out.Payload ?? new Uint8Array()).toString("utf8"));
  } finally {
    lambda.destroy();
  }
};

describe("notification preferences and the daily digest", () => {
  it("a reviewer's assignment waits for the digest, an applicant's receipt is recorded unmailed, a decision mails at once", async () => {
    const ada = await actAs(runtime, "rev-ada", "reviewer");
    const nia = await actAs(runtime, "nia", "applicant");

    // A mandatory kind cannot be digested: the 400 names it, and nothing is stored.
    const refused = await reply(
      ada.PUT("/notifications/preferences", {
        body: { kinds: { "reviewer-assigned": "digest", "review-reminder": "digest" } },
      }),
    );
    expect(refused.status).toBe(400);
    expect(refused.body.issues).toEqual([
      expect.objectContaining({
        field: "kinds.review-reminder",
        message: expect.stringContaining("always sent immediately"),
      }),
    ]);
    expect((await ok(ada.GET("/notifications/preferences"))).kinds["reviewer-assigned"]).toBe("immediate");

    const body = { kinds: { "reviewer-assigned": "digest" as const } };
    const set = await ok(ada.PUT("/notifications/preferences", { body }));
    expect(set.kinds["reviewer-assigned"]).toBe("digest");
    expect(set.kinds["review-reminder"]).toBe("immediate");
    expect(set.mandatory["review-reminder"]).toBeTruthy();
    // The same PUT again is the same state.
    expect(await ok(ada.PUT("/notifications/preferences", { body }))).toEqual(set);
    expect(await ok(ada.GET("/notifications/preferences"))).toEqual(set);

    await ok(nia.PUT("/notifications/preferences", { body: { kinds: { "proposal-received": "off" } } }));
    expect(
      (await reply(nia.PUT("/notifications/preferences", { body: { kinds: { decision: "off" } } }))).status,
    ).toBe(400);

    const proposalId = await submit(
      runtime,
      "nia",
      submission("e2e-prefs-call", {
        pi: { name: "Nia Applicant", email: NIA, institution: "University N" },
        requestedCashCents: 100_000,
        requestedCreditsCents: 100_000,
      }),
    );
    await assignmentOf(runtime, "rev-ada", proposalId);

    // Recorded, listable, not mailed.
    const assigned = await until(async () => {
      const { items } = await ok(ada.GET("/notifications"));
      return items.find(
        (n: { kind: string; related: { proposalId?: string } }) =>
          n.kind === "reviewer-assigned" && n.related.proposalId === proposalId,
      );
    }, "the assignment notice");
    expect(assigned.status).toBe("queued");
    const received = await until(async () => {
      const { items } = await ok(nia.GET("/notifications"));
      return items.find((n: { kind: string }) => n.kind === "proposal-received");
    }, "the receipt notice");
    expect(received.status).toBe("muted");
    expect(mailTo(ADA)).toEqual([]);
    // The screening outcome is not turned off: it is mailed, and the receipt never is.
    await until(
      async () => (mailTo(NIA).some((m) => m.includes("is in review")) ? true : undefined),
      "the screening mail",
    );
    expect(mailTo(NIA).filter((m) => m.includes("We received your proposal"))).toEqual([]);

    // The day's digest: one message with the assignment in it, then the notice is sent.
    const run = await runDigest();
    expect(run).toMatchObject({ recipients: 1, mailed: 1, notices: 1 });
    const digests = mailTo(ADA);
    expect(digests).toHaveLength(1);
    expect(digests[0]).toMatch(/Subject: Your Allot digest for .*: 1 notice/);
    expect(digests[0]).toContain(`1. Review request: "Sparse attention at scale"`);
    const after = await ok(ada.GET("/notifications"));
    const digested = after.items.find(
      (n: { notificationId: string }) => n.notificationId === assigned.notificationId,
    );
    expect(digested).toMatchObject({ status: "sent", digestId: expect.stringMatching(/^ntf_/) });
    expect(after.items.find((n: { kind: string }) => n.kind === "digest")).toMatchObject({
      notificationId: digested?.digestId,
      status: "sent",
      covers: [assigned.notificationId],
    });

    // The same day's digest again mails nothing.
    expect(await runDigest()).toMatchObject({ mailed: 0, notices: 0 });
    expect(mailTo(ADA)).toHaveLength(1);

    // A decision is mandatory: mailed at once, whatever else the applicant turned off.
    await reviewAndApprove(runtime, proposalId, {
      reviewers: ["rev-ada"],
      rationale: "Strong proposal, fits the budget",
      cashCents: 100_000,
      creditsCents: 100_000,
    });
    await until(
      async () => (mailTo(NIA).some((m) => m.includes("is approved")) ? true : undefined),
      "the decision mail",
    );
    const decision = (await ok(nia.GET("/notifications"))).items.find(
      (n: { kind: string }) => n.kind === "decision",
    );
    expect(decision?.status).toBe("sent");
  }, 240_000);
});
