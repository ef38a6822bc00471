import { patternFor } from "@allot/core/events";
import { ProposalSubmitted, ProposalWithdrawn } from "@allot/core/proposal";
import { awardWorkflow, fn, reviewWorkflow, tableRead, tableReadWrite } from "../links.js";
import { bus } from "../table.js";
import { defaultRetry, type StackModule } from "./module.js";

export const proposals: StackModule = {
  functions: [
    fn("create-draft", "http/proposals/create-draft.ts", "Applicant starts a proposal (one per call)", [
      tableReadWrite,
    ]),
    fn("update-draft", "http/proposals/update-draft.ts", "Applicant edits a draft", [tableReadWrite]),
    fn(
      "submit-proposal",
      "http/proposals/submit-proposal.ts",
      "Applicant submits a draft, checked against the call",
      [tableReadWrite],
    ),
    fn(
      "withdraw-proposal",
      "http/proposals/withdraw-proposal.ts",
      "Applicant withdraws before the decision",
      [tableReadWrite, reviewWorkflow("callback")],
    ),
    fn("get-proposal", "http/proposals/get-proposal.ts", "Read one proposal, as the caller may see it", [
      tableRead,
    ]),
    fn("list-proposals", "http/proposals/list-proposals.ts", "Applicants list theirs; staff list a call's", [
      tableRead,
    ]),
    fn("record-decision", "http/proposals/record-decision.ts", "Staff record the committee decision", [
      tableReadWrite,
      reviewWorkflow("callback"),
    ]),
    fn(
      "get-proposal-history",
      "http/proposals/get-proposal-history.ts",
      "Staff read a proposal's workflow history",
      [tableRead, reviewWorkflow("read"), awardWorkflow("read")],
    ),
    fn(
      "start-review-workflow",
      "events/start-review-workflow.ts",
      "Starts the review workflow of a submitted proposal",
      [reviewWorkflow("start")],
    ),
    fn(
      "screen-proposal",
      "tasks/screen-proposal.ts",
      "Screens a proposal against its call's eligibility rules",
      [tableReadWrite],
    ),
    fn(
      "await-decision",
      "tasks/await-decision.ts",
      "Parks the committee decision's callback on the proposal",
      [tableReadWrite, reviewWorkflow("callback")],
    ),
  ],
  routes: [
    { method: "POST", path: "/proposals", function: "create-draft", roles: ["applicant"] },
    { method: "GET", path: "/proposals", function: "list-proposals", roles: ["applicant", "staff"] },
    {
      method: "GET",
      path: "/proposals/{proposalId}",
      function: "get-proposal",
      roles: ["applicant", "staff", "reviewer"],
    },
    { method: "PATCH", path: "/proposals/{proposalId}", function: "update-draft", roles: ["applicant"] },
    {
      method: "POST",
      path: "/proposals/{proposalId}/submit",
      function: "submit-proposal",
      roles: ["applicant"],
    },
    {
      method: "POST",
      path: "/proposals/{proposalId}/withdraw",
      function: "withdraw-proposal",
      roles: ["applicant"],
    },
    {
      method: "POST",
      path: "/proposals/{proposalId}/decision",
      function: "record-decision",
      roles: ["staff"],
    },
    {
      method: "GET",
      path: "/proposals/{proposalId}/history",
      function: "get-proposal-history",
      roles: ["staff"],
    },
  ],
  rules: [
    {
      name: "start-review-on-submission",
      bus: bus.name,
      description: "A submitted proposal starts its review workflow",
      pattern: patternFor(ProposalSubmitted),
      targets: [{ kind: "function", function: "start-review-workflow", retry: defaultRetry }],
    },
    {
      name: "cancel-assignments-on-withdrawal",
      bus: bus.name,
      description: "A withdrawn proposal's open review assignments close and free their reviewers",
      pattern: patternFor(ProposalWithdrawn),
      targets: [{ kind: "function", function: "cancel-open-assignments", retry: defaultRetry }],
    },
  ],
};
