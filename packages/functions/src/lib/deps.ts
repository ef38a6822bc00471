import {
  createDocumentClient,
  dynamoAssignmentRepository,
  dynamoCallRepository,
  dynamoProgramRepository,
  dynamoProposalRepository,
  dynamoReviewerRepository,
  linked,
  stepFunctionsReviewWorkflow,
} from "@allot/adapters";
import { traced } from "@allot/adapters/tracing";
import { systemClock } from "@allot/core";
import type { ProposalDeps, ReviewWorkflow } from "@allot/core/proposal";
import type { ReviewDeps } from "@allot/core/review";
import { bus, mainTable } from "@allot/stacks";
import { awardWorkflow as awardMachine, reviewWorkflow as reviewMachine } from "@allot/stacks/links";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { SFNClient } from "@aws-sdk/client-sfn";

// Built on first use and kept for the life of the Lambda container: SDK clients are expensive
// to create and safe to share (and each is traced: @allot/adapters/tracing). Kept per function,
// because what is built reads the function's links: on AWS a container runs one function, but
// locally every function shares one process.
export const once = <T>(make: () => T) => {
  const values = new Map<string | undefined, T>();
  return (): T => {
    const functionName = process.env.AWS_LAMBDA_FUNCTION_NAME;
    if (!values.has(functionName)) values.set(functionName, make());
    return values.get(functionName) as T;
  };
};

export const doc = once(() => createDocumentClient());
export const tableName = () => linked({ kind: "table", table: mainTable.name, access: "read" });
export const busName = () => linked({ kind: "bus", bus: bus.name });
export const eventBridge = once(() => traced(new EventBridgeClient({})));
export const sfn = once(() => traced(new SFNClient({})));

/**
 * A port made at its first call. Deps bundle ports a function may never call (most readers of
 * a proposal never drive its workflow), and only the functions that do are linked to them.
 */
export const onFirstCall = <T extends object>(make: () => T): T =>
  new Proxy({} as T, {
    // Not a thenable: awaiting a deps object must not call the port.
    get: (_, method) =>
      typeof method !== "string" || method === "then"
        ? undefined
        : (...args: unknown[]) =>
            (make() as Record<string, (...args: unknown[]) => unknown>)[method]?.(...args),
  });

const linkedReviewWorkflow = once(
  (): ReviewWorkflow =>
    stepFunctionsReviewWorkflow(sfn(), {
      review: () => linked(reviewMachine("start")),
      award: () => linked(awardMachine("start")),
    }),
);
export const reviewWorkflow = once((): ReviewWorkflow => onFirstCall(linkedReviewWorkflow));

export const proposalDeps = once(
  (): ProposalDeps => ({
    proposals: dynamoProposalRepository(doc(), tableName()),
    calls: dynamoCallRepository(doc(), tableName()),
    programs: dynamoProgramRepository(doc(), tableName()),
    clock: systemClock,
  }),
);

/** Review commands also drive the workflow's callbacks, hence the workflow port. */
export const reviewDeps = once(
  (): ReviewDeps => ({
    ...proposalDeps(),
    reviewers: dynamoReviewerRepository(doc(), tableName()),
    assignments: dynamoAssignmentRepository(doc(), tableName()),
    workflow: reviewWorkflow(),
  }),
);
