import { patternFor } from "@allot/core/events";
import { ProposalSubmitted } from "@allot/core/proposal";
import { bus } from "../table.js";
import { fn, reviewWorkflow, tableRead, tableReadWrite } from "../links.js";
import { defaultRetry, type StackModule } from "./module.js";

export const proposals: StackModule = {
  functions: [
    fn("submit-proposal", "http/submit-proposal.ts", "Applicant submits a proposal", [tableReadWrite]),
    fn("get-proposal", "http/get-proposal.ts", "Read one proposal, as the caller may see it", [tableRead]),
    fn("record-decision", "http/record-decision.ts", "Staff record the committee decision on a proposal", [
      tableReadWrite,
      reviewWorkflow("callback"),
    ]),
    fn("get-proposal-history", "http/get-proposal-history.ts", "Staff read a proposal's workflow history", [
      tableRead,
      reviewWorkflow("read"),
    ]),
    fn("start-review-workflow", "events/start-review-workflow.ts", "Starts the review workflow of a submitted proposal", [
      reviewWorkflow("start"),
    ]),
    fn("screen-proposal", "tasks/screen-proposal.ts", "Screens a proposal against its call's eligibility rules", [
      tableReadWrite,
    ]),
    fn("await-decision", "tasks/await-decision.ts", "Parks the committee decision's task token on the proposal", [
      tableReadWrite,
    ]),
  ],
  routes: [
    { method: "POST", path: "/proposals", function: "submit-proposal", roles: ["applicant"] },
    { method: "GET", path: "/proposals/{proposalId}", function: "get-proposal", roles: ["applicant", "staff"] },
    { method: "POST", path: "/proposals/{proposalId}/decision", function: "record-decision", roles: ["staff"] },
    { method: "GET", path: "/proposals/{proposalId}/history", function: "get-proposal-history", roles: ["staff"] },
  ],
  rules: [
    {
      name: "start-review-on-submission",
      bus: bus.name,
      description: "A submitted proposal starts its review workflow",
      pattern: patternFor(ProposalSubmitted),
      targets: [{ kind: "function", function: "start-review-workflow", retry: defaultRetry }],
    },
  ],
};
