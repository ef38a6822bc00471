import { createRequire } from "node:module";
import { allStates, renderDefinition, topology } from "@allot/stacks";
import { describe, expect, it } from "vitest";

// asl-validator ships CommonJS without types: this is the part of its API we use.
type AslValidator = (
  definition: unknown,
  options?: { checkPaths?: boolean; checkArn?: boolean },
) => { isValid: boolean; errorsText: (separator?: string) => string };
const validate = createRequire(import.meta.url)("asl-validator") as AslValidator;

const fakeArn = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:allot-test-${name}`;
const declared = new Map(topology.functions.map((f) => [fakeArn(f.name), f.name]));
const SERVICE_INTEGRATIONS_TO_LAMBDA = [
  "arn:aws:states:::lambda:invoke",
  "arn:aws:states:::lambda:invoke.waitForTaskToken",
];

describe.each(topology.stateMachines.map((machine) => [machine.name, machine] as const))(
  "state machine %s",
  (_, machine) => {
    // Parsed afresh for every test: asl-validator writes default QueryLanguage fields into it.
    const rendered = () => JSON.parse(renderDefinition(machine, fakeArn)) as Record<string, unknown>;

    it("passes asl-validator with its placeholders rendered to function ARNs", () => {
      const result = validate(rendered(), { checkPaths: true, checkArn: true });
      expect(result.errorsText("\n"), "asl-validator").toBe("");
      expect(result.isValid).toBe(true);
    });

    it("leaves no placeholder unrendered", () => {
      expect(JSON.stringify(rendered())).not.toContain("${");
    });

    it("names, in every Task, a function stacks/ declares (and that the machine lists)", () => {
      const invoked: string[] = [];
      for (const [state, body] of allStates(rendered())) {
        if (body.Type !== "Task") continue;
        const resource = String(body.Resource);
        let arn = resource;
        if (SERVICE_INTEGRATIONS_TO_LAMBDA.includes(resource)) {
          arn = String((body.Parameters as Record<string, unknown> | undefined)?.FunctionName);
        }
        const name = declared.get(arn);
        expect(name, `${machine.name}.${state}: ${resource} → ${arn}`).toBeDefined();
        if (name) invoked.push(name);
      }
      expect([...new Set(invoked)].sort()).toEqual([...new Set(machine.functions)].sort());
    });

    it("bounds every callback task with a timeout, since it would otherwise wait forever", () => {
      for (const [state, body] of allStates(rendered())) {
        if (body.Type === "Task" && String(body.Resource).endsWith(".waitForTaskToken")) {
          expect(body.TimeoutSeconds ?? body.TimeoutSecondsPath, `${machine.name}.${state}`).toBeDefined();
        }
      }
    });
  },
);
