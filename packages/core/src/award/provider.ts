// The compute provider, as research computing already talks to one (AMIE): Allot requests a
// project with an allocation, the provider answers later with its local project id and access
// details, Allot acknowledges, and the transaction completes. Every call is idempotent by the
// award id, so a retried request never creates a second project.

import { WorkflowErrors } from "../workflow-errors.js";

export interface ProjectRequest {
  /** Allot's id for the transaction and the project: the award id. */
  awardId: string;
  grantee: { userId: string; name: string; email: string; institution: string };
  creditsCents: number;
  /** Chip-hours the credits buy at the program's rate, for the provider's own accounting. */
  chipHours: number;
  startsAt: string;
  endsAt: string;
  /** Where the provider sends its answer (notify_project_create). */
  callbackUrl: string;
}

export interface ProviderAnswer {
  awardId: string;
  projectId: string;
  access: { loginHost: string; account: string; instructions: string };
}

/** A transient failure (retry with backoff) or a permanent one (compensate). */
export class ProviderError extends Error {
  constructor(
    readonly permanent: boolean,
    message: string,
  ) {
    super(message);
    this.name = permanent ? WorkflowErrors.provisioningRejected : WorkflowErrors.providerUnavailable;
  }
}

/**
 * Why provisioning failed, in words fit for the grantee and the award's history, from the
 * workflow's error name alone: the error's cause (a stack trace, server paths) goes to logs only.
 */
export const provisioningFailureReason = (errorName: string | undefined) => {
  switch (errorName) {
    case WorkflowErrors.provisioningRejected:
      return "the compute provider declined to set up the project";
    case WorkflowErrors.providerUnavailable:
      return "the compute provider was unavailable through every retry";
    case WorkflowErrors.timeout:
      return "the compute provider did not answer in time";
    default:
      return "the project could not be set up on the compute provider";
  }
};

/**
 * A live project's allocation as it stands after a supplement or an extension: absolute values,
 * so a repeated or reordered modification leaves the project right.
 */
export interface ProjectModification {
  creditsCents: number;
  chipHours: number;
  endsAt: string;
}

export interface ComputeProvider {
  /** request_project_create: accepted for asynchronous processing (202), or a ProviderError. */
  requestProject(request: ProjectRequest): Promise<{ accepted: true }>;
  /** inform_transaction_complete, after Allot recorded the provider's answer. */
  completeTransaction(awardId: string): Promise<void>;
  /** Removes the project (compensation, revocation); removing a missing project is not an error. */
  deprovision(awardId: string, reason: string): Promise<void>;
  /** Suspends or resumes the project's access (staff actions, exhausted credits). */
  setAccess(awardId: string, access: "suspended" | "active"): Promise<void>;
  /**
   * request_project_inactivate for used-up credits: the project stops running jobs but stays,
   * to be reactivated; idempotent (an inactive project stays so).
   */
  inactivate(awardId: string, reason: string): Promise<void>;
  /** request_project_reactivate after an inactivation: the award holds credits again; idempotent. */
  reactivate(awardId: string): Promise<void>;
  /**
   * Sets a live project's allocation and end (a supplement, an extension). AMIE sends these as a
   * request_project_create packet with AllocationType "supplement" or "extension" on the existing
   * project; here it is its own operation, named for what it does, since create is idempotent by
   * award and would answer a second packet as a duplicate.
   */
  modifyProject(awardId: string, modification: ProjectModification): Promise<void>;
}
