import { awardKeys } from "@allot/adapters";
import { mainTable } from "@allot/stacks";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import {
  DescribeExecutionCommand,
  ListStateMachinesCommand,
  SFNClient,
  StartExecutionCommand,
} from "@aws-sdk/client-sfn";
import { DynamoDBDocumentClient, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RegistriesAdmin, registriesAdmin } from "../../packages/standins/src/index.js";
import { actAs, activeAward, asSent, ok, openCall, outboxMessages, reply } from "../support/allot.js";
import { type RuntimeProcess, startRuntimeProcess, until } from "../support/runtime.js";

// Outputs and compliance on the real local stack, verified against the registries stand-in:
// registration through the API, the verification run on Step Functions, the outcome, the flips
// a re-check finds, staff overrides, and the notifications in the local outbox.

let runtime: RuntimeProcess;
let registries: RegistriesAdmin;
let awardId: string;
const PROGRAM = "e2e-outputs";
const CALL = "e2e-outputs-call";
const GRANTEE = "olga";

beforeAll(async () => {
  runtime = await startRuntimeProcess();
  registries = registriesAdmin(runtime.registries);
  const staff = await actAs(runtime, "sam", "staff");
  await ok(
    staff.POST("/programs", {
      body: {
        programId: PROGRAM,
        name: "Outputs test program",
        pools: { cashCents: 30_000_000, creditsCents: 100_000_000 },
        caps: {
          maxGrantCashCents: 20_000_000,
          maxGrantCreditsCents: 40_000_000,
          maxPartnerCreditsCents: 90_000_000,
        },
        cluster: { chips: 100 },
        creditRate: { centsPerChipHour: 200 },
        obligations: { repository: { dueAfterEnd: "P1D" }, remindBefore: ["P7D", "PT6S"] },
      },
    }),
  );
  await openCall(staff, {
    programId: PROGRAM,
    callId: CALL,
    title: "Outputs e2e call",
    reviewerPool: ["rev-ada", "rev-dana"],
  });
  ({ awardId } = await activeAward(runtime, CALL, GRANTEE, 1_000_000));
}, 300_000);
afterAll(async () => {
  await runtime?.stop();
});

const grantee = () => actAs(runtime, GRANTEE, "applicant");
const staff = () => actAs(runtime, "sam", "staff");

const register = async (body: { doi?: string; arxivId?: string; repositoryUrl?: string }) =>
  ok((await grantee()).POST("/awards/{awardId}/outputs", { params: { path: { awardId } }, body }));

const outputOf = async (outputId: string) => {
  const { outputs } = await ok(
    (await staff()).GET("/awards/{awardId}/outputs", { params: { path: { awardId } } }),
  );
  return outputs.find((o: { outputId: string }) => o.outputId === outputId);
};

/** Waits until the output's status is `status` after its `revision`-th write. */
const settled = (outputId: string, status: string, afterRevision = 1) =>
  until(
    async () => {
      const o = await outputOf(outputId);
      return o && o.status === status && o.revision > afterRevision ? o : undefined;
    },
    `output ${outputId} ${status}`,
    60_000,
  );

/** Mails to `who` that say `text`, read with header folding and quoted-printable soft breaks undone. */
const mailTo = (who: string, text: string) =>
  outboxMessages(runtime)
    .map((m) => m.replace(/=\r?\n/g, "").replace(/\r?\n /g, " "))
    .filter((m) => m.includes(who) && m.includes(text));

describe("outputs", () => {
  it("verifies a public repository under a permissive license, with its SPDX id and commit", async () => {
    await registries.putRepository({ owner: "olga", name: "tool", visibility: "public", spdxId: "MIT" });
    const output = await register({ repositoryUrl: "https://github.com/olga/tool" });
    expect(output).toMatchObject({ kind: "repository", identity: "github:olga/tool", status: "pending" });
    const again = await reply(
      (await grantee()).POST("/awards/{awardId}/outputs", {
        params: { path: { awardId } },
        body: { repositoryUrl: "https://github.com/Olga/Tool.git" },
      }),
    );
    expect(again.status).toBe(200);
    const verified = await settled(output.outputId, "verified");
    expect(verified.verification).toMatchObject({
      outcome: "verified",
      spdxId: "MIT",
      fullName: "olga/tool",
    });
    expect(verified.verification?.commitSha).toMatch(/^[0-9a-f]{40}$/);
    await until(
      async () => (mailTo("olga@inst.example", "is verified").length ? true : undefined),
      "the grantee's mail",
    );
  });

  it("rejects a GPL-3.0-only repository, and a DOI that does not resolve", async () => {
    await registries.putRepository({
      owner: "olga",
      name: "copyleft",
      visibility: "public",
      spdxId: "GPL-3.0-only",
    });
    const gpl = await register({ repositoryUrl: "https://github.com/olga/copyleft" });
    expect((await settled(gpl.outputId, "rejected")).verification?.reason).toContain(
      "not a permissive license",
    );
    const doi = await register({ doi: "https://doi.org/10.5555/Nowhere.1" });
    expect(doi.identity).toBe("doi:10.5555/nowhere.1");
    expect((await settled(doi.outputId, "rejected")).verification?.reason).toContain("does not resolve");
  });

  it("a rate-limited code host is retried and never counted as non-compliance", async () => {
    await registries.putRepository({
      owner: "olga",
      name: "busy",
      visibility: "public",
      spdxId: "Apache-2.0",
    });
    await registries.putFault({ service: "github", status: 429, retryAfterSeconds: 1, times: 4 });
    const output = await register({ repositoryUrl: "https://github.com/olga/busy" });
    const verified = await settled(output.outputId, "verified");
    expect(verified.lastAttempt?.error).toContain("429");
    expect(verified.history.map((h: { kind: string }) => h.kind)).toEqual([
      "registered",
      "unavailable",
      "checked",
    ]);
    expect(verified.history.every((h: { status: string }) => h.status !== "rejected")).toBe(true);
    await registries.clearFaults();
  });

  it("a repository that vanishes flips the output and the obligation, and tells staff and the grantee", async () => {
    await registries.putRepository({
      owner: "olga",
      name: "gone",
      visibility: "public",
      spdxId: "BSD-3-Clause",
    });
    // A second award's repository would meet the obligation; this award's must be the only one verified.
    const tool = (
      await ok((await grantee()).GET("/awards/{awardId}/outputs", { params: { path: { awardId } } }))
    ).outputs.filter(
      (o: { status: string; kind: string }) => o.kind === "repository" && o.status === "verified",
    );
    for (const o of tool)
      await ok(
        (await staff()).POST("/awards/{awardId}/outputs/{outputId}/override", {
          params: { path: { awardId, outputId: o.outputId } },
          body: { status: "rejected", reason: "Not the funded work: a different project" },
        }),
      );
    const output = await register({ repositoryUrl: "https://github.com/olga/gone" });
    const verified = await settled(output.outputId, "verified");
    await registries.deleteRepository("olga", "gone");
    // The daily re-check, run as its schedule would run it.
    const lambda = new LambdaClient({
      endpoint: runtime.edge,
      region: "us-east-1",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
    const run = await lambda.send(
      new InvokeCommand({
        FunctionName: "recheck-outputs",
        Payload: Buffer.from(
          JSON.stringify({ "detail-type": "Scheduled Event", source: "aws.events", id: "e2e-recheck" }),
        ),
      }),
    );
    expect(run.FunctionError).toBeUndefined();
    const rejected = await settled(output.outputId, "rejected", verified.revision);
    expect(rejected.verification?.reason).toContain("does not exist");
    await until(
      async () =>
        mailTo("olga@inst.example", "github:olga/gone the repository").length &&
        mailTo("program-staff@", "github:olga/gone the repository").length
          ? true
          : undefined,
      "compliance-changed mail to the grantee and staff",
    );
    const compliance = await ok(
      (await grantee()).GET("/awards/{awardId}/compliance", { params: { path: { awardId } } }),
    );
    expect(compliance.obligations.find((o: { kind: string }) => o.kind === "repository")).toMatchObject({
      met: false,
      outputIds: [],
    });
  });

  it("an obligation's durable timer reminds before its due date and records it overdue", async () => {
    // The award's end moved so that its repository (due a day after the end) is due in 12 s; a
    // timer started now plans the 6-second reminder, waits, reminds, then records the overdue.
    const dueAt = new Date(Date.now() + 12_000);
    const doc = DynamoDBDocumentClient.from(new DynamoDBClient(runtime.dynamodbConfig));
    await doc.send(
      new UpdateCommand({
        TableName: mainTable.name,
        Key: awardKeys.key(awardId),
        UpdateExpression: "SET endsAt = :endsAt",
        ExpressionAttributeValues: { ":endsAt": new Date(dueAt.getTime() - 86_400_000).toISOString() },
      }),
    );
    const sfn = new SFNClient({
      endpoint: runtime.edge,
      region: "us-east-1",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
    const { stateMachines } = await sfn.send(new ListStateMachinesCommand({}));
    const machine = stateMachines?.find((m) => m.name === "obligation-timer");
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: machine?.stateMachineArn,
        name: `e2e-${awardId}-repository`,
        input: JSON.stringify({ awardId, obligation: "repository", after: "", correlationId: "e2e-timer" }),
      }),
    );
    await until(
      async () =>
        mailTo("olga@inst.example", "Reminder: the code repository of award").length ? true : undefined,
      "the reminder",
      30_000,
    );
    expect(Date.now()).toBeLessThan(dueAt.getTime());
    await until(
      async () =>
        mailTo("olga@inst.example", "Overdue: the code repository").length &&
        mailTo("program-staff@", "Overdue: the code repository").length
          ? true
          : undefined,
      "the overdue notices",
      40_000,
    );
    const done = await until(async () => {
      const d = await sfn.send(new DescribeExecutionCommand({ executionArn }));
      return d.status === "RUNNING" ? undefined : d;
    }, "the timer to end");
    expect(done.status).toBe("SUCCEEDED");
    const compliance = await ok(
      (await grantee()).GET("/awards/{awardId}/compliance", { params: { path: { awardId } } }),
    );
    expect(compliance.compliant).toBe(false);
    expect(compliance.obligations.find((o: { kind: string }) => o.kind === "repository")).toMatchObject({
      status: "overdue",
    });
  });

  it("staff override with a reason on record; the grantee may not", async () => {
    const output = await register({ arxivId: "arXiv:2401.01234v2" });
    await settled(output.outputId, "rejected");
    const refused = await reply(
      (await grantee()).POST("/awards/{awardId}/outputs/{outputId}/override", {
        params: { path: { awardId, outputId: output.outputId } },
        body: { status: "verified", reason: "mine" },
      }),
    );
    expect(refused.status).toBe(403);
    const noReason = await reply(
      (await staff()).POST("/awards/{awardId}/outputs/{outputId}/override", {
        params: { path: { awardId, outputId: output.outputId } },
        body: asSent({ status: "verified" }),
      }),
    );
    expect(noReason.status).toBe(400);
    const accepted = await ok(
      (await staff()).POST("/awards/{awardId}/outputs/{outputId}/override", {
        params: { path: { awardId, outputId: output.outputId } },
        body: { status: "verified", reason: "Accepted as the preprint of the funded paper" },
      }),
    );
    expect(accepted).toMatchObject({
      status: "verified",
      override: { status: "verified", by: "sam", reason: "Accepted as the preprint of the funded paper" },
    });
    const compliance = await ok(
      (await grantee()).GET("/awards/{awardId}/compliance", { params: { path: { awardId } } }),
    );
    expect(compliance.obligations.find((o: { kind: string }) => o.kind === "paper")).toMatchObject({
      met: true,
      outputIds: [output.outputId],
    });
  });

  it("reads compliance per program for staff only, and hides an award from other grantees", async () => {
    const program = await ok(
      (await staff()).GET("/programs/{programId}/compliance", { params: { path: { programId: PROGRAM } } }),
    );
    expect(program.awards.map((a: { awardId: string }) => a.awardId)).toEqual([awardId]);
    expect(program.total).toBe(1);
    expect(
      (
        await reply(
          (
            await grantee()
          ).GET("/programs/{programId}/compliance", { params: { path: { programId: PROGRAM } } }),
        )
      ).status,
    ).toBe(403);
    const other = await actAs(runtime, "mallory", "applicant");
    expect(
      (await reply(other.GET("/awards/{awardId}/outputs", { params: { path: { awardId } } }))).status,
    ).toBe(404);
    const bad = await reply(
      (await grantee()).POST("/awards/{awardId}/outputs", {
        params: { path: { awardId } },
        body: { doi: "not a doi" },
      }),
    );
    expect(bad.status).toBe(400);
  });
});
