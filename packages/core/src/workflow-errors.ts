// The error names a workflow task ends with and the state machines Retry or Catch: one list,
// read by the tasks that raise them and by the ASL builder in stacks/, so a rename cannot
// leave a Catch that never matches. `States.*` names are Step Functions' own.
export const WorkflowErrors = {
  budgetExhausted: "Allot.BudgetExhausted",
  reviewerConflicted: "Allot.ReviewerConflicted",
  providerUnavailable: "Allot.ProviderUnavailable",
  provisioningRejected: "Allot.ProvisioningRejected",
  provisioningFailed: "Allot.ProvisioningFailed",
  closeoutFailed: "Allot.CloseoutFailed",
  invalidTaskInput: "Allot.InvalidTaskInput",
  timeout: "States.Timeout",
  heartbeatTimeout: "States.HeartbeatTimeout",
  all: "States.ALL",
} as const;

export type WorkflowErrorName = (typeof WorkflowErrors)[keyof typeof WorkflowErrors];
