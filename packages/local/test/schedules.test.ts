import { topology } from "@allot/stacks";
import { parseScheduleExpression } from "aws-local";
import { describe, expect, it } from "vitest";
import { awsLocalTopology, localScheduledRule } from "../src/topology-to-aws-local.js";

// stacks/ schedules as the local runtime runs them: one scheduled rule each, with the schedule's
// function as its one target and its retry policy, and an expression aws-local accepts.

const services = {
  providerUrl: "http://127.0.0.1:9",
  providerSecret: "secret",
  publicUrl: "http://127.0.0.1:10",
  mailDir: "/tmp/outbox",
  registriesUrl: "http://127.0.0.1:11",
};

describe("schedules in the local runtime", () => {
  it("become scheduled rules with the schedule's function and retry policy", () => {
    expect(
      localScheduledRule({
        name: "daily-digest",
        description: "the day's digest",
        expression: "cron(0 7 * * ? *)",
        function: "send-digest",
        retry: { maximumRetryAttempts: 3, maximumEventAgeSeconds: 7200 },
      }),
    ).toEqual({
      name: "daily-digest",
      description: "the day's digest",
      scheduleExpression: "cron(0 7 * * ? *)",
      targets: [
        {
          kind: "function",
          function: "send-digest",
          retry: { maximumRetryAttempts: 3, maximumEventAgeSeconds: 7200 },
        },
      ],
    });
  });

  it("are every stacks/ schedule, each with an expression aws-local parses and a declared function", () => {
    const local = awsLocalTopology(topology, services);
    expect(local.scheduledRules?.map((r) => r.name)).toEqual(topology.schedules.map((s) => s.name));
    const functions = new Set(topology.functions.map((f) => f.name));
    for (const schedule of topology.schedules) {
      expect(() => parseScheduleExpression(schedule.expression), schedule.name).not.toThrow();
      expect(functions.has(schedule.function), schedule.name).toBe(true);
    }
  });
});
