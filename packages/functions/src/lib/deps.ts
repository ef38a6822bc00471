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
import { systemClock } from "@allot/core";
import type { ProposalDeps, ReviewWorkflow } from "@allot/core/proposal";
import type { ReviewDeps } from "@allot/core/review";
import { bus, mainTable } from "@allot/stacks";
import { awardWorkflow as awardMachine, reviewWorkflow as reviewMachine } from "@allot/stacks/links";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { SFNClient } from "@aws-sdk/client-sfn";

// Built on first use and kept for the life of the Lambda container (or the local process):
// SDK clients are expensive to create and safe to share.
export const once = <T>(make: () => T) => {
  let value: T | undefined;
  return () => {
    value ??= make();
    return value;
  };
};

export const doc = once(() => createDocumentClient());
export const tableName = () => linked({ kind: "table", table: mainTable.name, access: "read" });
export const busName = () => linked({ kind: "bus", bus: bus.name });
export const eventBridge = once(() => new EventBridgeClient({}));
const sfn = once(() => new SFNClient({}));

export const reviewWorkflow = once(
  (): ReviewWorkflow =>
    stepFunctionsReviewWorkflow(sfn(), {
      review: () => linked(reviewMachine("start")),
      award: () => linked(awardMachine("start")),
    }),
);

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
