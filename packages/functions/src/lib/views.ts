import type { Proposal } from "@allot/core/proposal";

/** What callers see of a proposal: never the workflow's internal callback token. */
export const proposalView = (proposal: Proposal) => {
  const { decisionTaskToken: _token, revision: _revision, ...view } = proposal;
  return view;
};
