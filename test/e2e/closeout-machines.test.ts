import { renderDefinition, topology } from "@allot/stacks";
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
} from "@aws-sdk/client-sfn";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestDynamo, type TestDynamo } from "../../packages/aws-local/test/support/dynamo.js";
import {
  FakeLambda,
  ok,
  type SfnHarness,
  startSfn,
  uniqueName,
  until,
} from "../../packages/aws-local/test/support/sfn-harness.js";

// The term timer's and the closeout's ASL from stacks/, run by the local Step Functions with
// functions that answer as the real tasks would: the paths between the steps, the durable
// Waits, the final report's callback and its deadline.

const ROLE = "arn:aws:iam::000000000000:role/test";
const inSeconds = (s: number) => new Date(Date.now() + s * 1000).toISOString();

// What each award's check-award-term answers, in turn: the test scripts an extension.
const termAnswers = new Map<string, Array<{ next: string; endsAt: string }>>();
const proceed = new Map<string, boolean>();
const lambda = new FakeLambda({
  "check-award-term": (payload) => {
    const { awardId } = payload as { awardId: string };
    return ok(termAnswers.get(awardId)?.shift() ?? { next: "end", endsAt: inSeconds(0) });
  },
  "begin-closeout": (payload) => {
    const { awardId } = payload as { awardId: string };
    return ok({ proceed: proceed.get(awardId) ?? true, graceEndsAt: inSeconds(1), finalReportSeconds: 2 });
  },
  "cancel-closing-reservations": () => ok({ released: [] }),
  "settle-closeout-usage": () => ok({ consumedCents: 1234, settledCents: 1234, overageCents: 0 }),
  "inactivate-closed-project": () => ok({ inactivated: true }),
  "return-unused-credits": () => ok({}),
  "await-final-report": () => ok({ parked: true }),
  "settle-closeout-cash": () => ok({ spentCents: 0 }),
  "return-unspent-cash": () => ok({}),
  "close-award": () => ok({ status: "closed" }),
});

let dynamo: TestDynamo;
let h: SfnHarness;
const arns = new Map<string, string>();

beforeAll(async () => {
  dynamo = await startTestDynamo();
  h = await startSfn(dynamo, { lambda });
  for (const name of ["award-term", "award-closeout"]) {
    const spec = topology.stateMachines.find((m) => m.name === name);
    if (!spec) throw new Error(`no machine ${name}`);
    const created = await h.sfn.send(
      new CreateStateMachineCommand({
        name: uniqueName(name),
        definition: renderDefinition(spec, (fn) => fn),
        roleArn: ROLE,
      }),
    );
    arns.set(name, created.stateMachineArn as string);
  }
}, 60_000);
afterAll(async () => {
  await h?.kill();
  await dynamo?.stop();
});

const start = async (machine: string, name: string, input: object) =>
  (
    await h.sfn.send(
      new StartExecutionCommand({
        stateMachineArn: arns.get(machine),
        name,
        input: JSON.stringify({ ...input, correlationId: name }),
      }),
    )
  ).executionArn as string;

const finished = async (executionArn: string, timeoutMs = 20_000) => {
  await h.emulator.waitForExecution(executionArn, timeoutMs);
  return h.sfn.send(new DescribeExecutionCommand({ executionArn }));
};

const callsFor = (awardId: string) =>
  lambda.calls.filter((c) => (c.payload as { awardId?: string }).awardId === awardId).map((c) => c.name);

describe("the award-term machine", () => {
  it("waits until the end, waits again after an extension, and ends once the closeout started", async () => {
    const awardId = "awd_term1";
    const first = inSeconds(1);
    termAnswers.set(awardId, [
      { next: "wait", endsAt: inSeconds(2) },
      { next: "closeout", endsAt: inSeconds(2) },
    ]);
    const began = Date.now();
    const arn = await start("award-term", awardId, { awardId, term: { endsAt: first } });
    const done = await finished(arn);
    expect(done.status).toBe("SUCCEEDED");
    expect(callsFor(awardId)).toEqual(["check-award-term", "check-award-term"]);
    expect(Date.now() - began).toBeGreaterThanOrEqual(1_900);
  });
});

describe("the award-closeout machine", () => {
  it("runs every step in order and, with no report by its deadline, settles and closes anyway", async () => {
    const awardId = "awd_close1";
    const arn = await start("award-closeout", awardId, {
      awardId,
      reason: "the award's term ended",
      early: false,
    });
    const done = await finished(arn);
    expect(done.status).toBe("SUCCEEDED");
    expect(callsFor(awardId)).toEqual([
      "begin-closeout",
      "cancel-closing-reservations",
      "settle-closeout-usage",
      "inactivate-closed-project",
      "return-unused-credits",
      "await-final-report",
      "settle-closeout-cash",
      "return-unspent-cash",
      "close-award",
    ]);
    const returned = lambda.calls.find(
      (c) => c.name === "return-unused-credits" && (c.payload as { awardId: string }).awardId === awardId,
    );
    expect(returned?.payload).toMatchObject({ awardId, consumedCents: 1234 });
  });

  it("goes on as soon as the report completes the callback", async () => {
    const awardId = "awd_close2";
    const arn = await start("award-closeout", awardId, {
      awardId,
      reason: "early closeout: done",
      early: true,
    });
    const token = await until(() => {
      const call = lambda.calls.find(
        (c) => c.name === "await-final-report" && (c.payload as { awardId: string }).awardId === awardId,
      );
      return (call?.payload as { taskToken?: string } | undefined)?.taskToken;
    }, 15_000);
    await h.sfn.send(
      new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify({ submitted: true }) }),
    );
    const done = await finished(arn);
    expect(done.status).toBe("SUCCEEDED");
    expect(callsFor(awardId).at(-1)).toBe("close-award");
  });

  it("ends at once for an award that is not running", async () => {
    const awardId = "awd_close3";
    proceed.set(awardId, false);
    const arn = await start("award-closeout", awardId, {
      awardId,
      reason: "the award's term ended",
      early: false,
    });
    expect((await finished(arn)).status).toBe("SUCCEEDED");
    expect(callsFor(awardId)).toEqual(["begin-closeout"]);
  });
});
