import { bus, mainTable } from "./table.js";
import type { FunctionSpec, Link } from "./topology.js";

const readWrite: Link = { kind: "table", table: mainTable.name, access: "readwrite" };
const read: Link = { kind: "table", table: mainTable.name, access: "read" };
const publish: Link = { kind: "bus", bus: bus.name };

const fn = (name: string, file: string, description: string, links: Link[], timeoutSeconds = 10): FunctionSpec => ({
  name,
  handler: `packages/functions/src/${file}#handler`,
  description,
  links,
  timeoutSeconds,
  memoryMb: 512,
});

export const functions: FunctionSpec[] = [
  // HTTP
  fn("submit-proposal", "http/submit-proposal.ts", "Applicant submits a proposal", [readWrite]),
  fn("get-proposal", "http/get-proposal.ts", "Read one proposal, as the caller may see it", [read]),
  fn("record-decision", "http/record-decision.ts", "Staff record the committee decision on a proposal", [
    readWrite,
    { kind: "stateMachine", stateMachine: "proposal-review", actions: ["callback"] },
  ]),
  fn("get-proposal-history", "http/get-proposal-history.ts", "Staff read a proposal's workflow history", [
    read,
    { kind: "stateMachine", stateMachine: "proposal-review", actions: ["read"] },
  ]),
  fn("openapi", "http/openapi.ts", "The OpenAPI 3.1 document of this API", []),
  // Event consumers
  fn("start-review-workflow", "events/start-review-workflow.ts", "Starts the review workflow of a submitted proposal", [
    { kind: "stateMachine", stateMachine: "proposal-review", actions: ["start"] },
  ]),
  // Stream consumers
  fn("outbox-relay", "streams/outbox-relay.ts", "Publishes outbox entries to the bus, so no state change is lost", [publish], 30),
  // Workflow tasks
  fn("screen-proposal", "tasks/screen-proposal.ts", "Screens a proposal against its call's eligibility rules", [readWrite]),
  fn("await-decision", "tasks/await-decision.ts", "Parks the committee decision's task token on the proposal", [readWrite]),
];

export const functionByName = (name: string): FunctionSpec => {
  const found = functions.find((f) => f.name === name);
  if (!found) throw new Error(`stacks: no function named "${name}"`);
  return found;
};
