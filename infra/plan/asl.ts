// What the Task states of a stacks/ ASL document invoke, and which integrations infra/ can grant.

import { allStates, type StateMachineSpec } from "@allot/stacks";
import type { TaskPlan } from "./types.js";

const PLACEHOLDER = /^\$\{function:([a-z0-9-]+)\}$/;
const LAMBDA_INVOKE = "arn:aws:states:::lambda:invoke";
const LAMBDA_INVOKE_CALLBACK = "arn:aws:states:::lambda:invoke.waitForTaskToken";

/** The Lambda functions a definition's Task states invoke, or a problem per unsupported Task. */
export const tasksOf = (machine: StateMachineSpec): { tasks: TaskPlan[]; problems: string[] } => {
  const tasks: TaskPlan[] = [];
  const problems: string[] = [];
  for (const [state, body] of allStates(machine.definition)) {
    if (body.Type !== "Task") continue;
    const resource = body.Resource;
    const where = `state machine "${machine.name}", state "${state}"`;
    if (typeof resource !== "string") {
      problems.push(`${where}: a Task needs a string Resource`);
      continue;
    }
    const direct = PLACEHOLDER.exec(resource);
    if (direct?.[1]) {
      tasks.push({ state, integration: "lambda (direct)", function: direct[1] });
      continue;
    }
    if (resource === LAMBDA_INVOKE || resource === LAMBDA_INVOKE_CALLBACK) {
      const parameters = (body.Parameters ?? {}) as Record<string, unknown>;
      const name = parameters.FunctionName;
      const match = typeof name === "string" ? PLACEHOLDER.exec(name) : null;
      if (!match?.[1]) {
        problems.push(
          `${where}: FunctionName must be a "\${function:NAME}" placeholder (a dynamic or literal name cannot be granted least-privilege)`,
        );
        continue;
      }
      tasks.push({
        state,
        integration: resource === LAMBDA_INVOKE ? "lambda:invoke" : "lambda:invoke.waitForTaskToken",
        function: match[1],
      });
      continue;
    }
    problems.push(
      `${where}: the integration ${resource} is not supported by infra/ yet (extend infra/plan.ts so its role gets the grant)`,
    );
  }
  return { tasks, problems };
};
