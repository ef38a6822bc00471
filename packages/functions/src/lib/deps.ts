import { systemClock } from "@allot/core";
import type { ProposalDeps, ReviewWorkflow } from "@allot/core/proposal";
import {
  createDocumentClient,
  dynamoProposalRepository,
  linked,
  stepFunctionsReviewWorkflow,
} from "@allot/adapters";
import { bus, mainTable } from "@allot/stacks";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { SFNClient } from "@aws-sdk/client-sfn";

// Built on first use and kept for the life of the Lambda container (or the local process):
// SDK clients are expensive to create and safe to share.
const once = <T>(make: () => T) => {
  let value: T | undefined;
  return () => {
    value ??= make();
    return value;
  };
};

const doc = once(() => createDocumentClient());
export const tableName = () => linked({ kind: "table", table: mainTable.name, access: "read" });
export const busName = () => linked({ kind: "bus", bus: bus.name });
export const eventBridge = once(() => new EventBridgeClient({}));
const sfn = once(() => new SFNClient({}));

export const proposalDeps = once(
  (): ProposalDeps => ({ proposals: dynamoProposalRepository(doc(), tableName()), clock: systemClock }),
);

export const reviewWorkflow = once(
  (): ReviewWorkflow =>
    stepFunctionsReviewWorkflow(
      sfn(),
      linked({ kind: "stateMachine", stateMachine: "proposal-review", actions: ["start"] }),
    ),
);
