import { z } from "zod";
import { defineEvent } from "../events/define.js";
import { Sources } from "../events/sources.js";

const programId = z.string().describe("The program's id (a slug staff chose).");
const callId = z.string().describe("The call's id (a slug staff chose).");

export const ProgramCreated = defineEvent(Sources.programs, "Program Created", 1, z.object({ programId }), {
  description:
    "Staff created a program with its budget pools and caps. Sent once per program; analytics and billing systems use it to start tracking the program's budget.",
  example: { programId: "model-program" },
});
export const CallCreated = defineEvent(Sources.programs, "Call Created", 1, z.object({ programId, callId }), {
  description:
    "Staff opened a call (a funding round) in a program. Sent once per call; university research offices use it to announce the round.",
  example: { programId: "model-program", callId: "call-2027-spring" },
});
/** Staff added reviewers: proposals of the call waiting for reviewers can go on. */
export const ReviewerPoolExtended = defineEvent(
  Sources.programs,
  "Reviewer Pool Extended",
  1,
  z.object({
    callId,
    reviewerIds: z.array(z.string()).describe("The reviewers added (identity-provider subjects)."),
  }),
  {
    description:
      "Staff added reviewers to a call's pool. Sent on each addition; the review workflow resumes proposals that were waiting for reviewers.",
    example: { callId: "call-2027-spring", reviewerIds: ["rev-ada", "rev-dana"] },
  },
);

/** Staff created or changed a partner institution; its cap holds from this revision on. */
export const PartnerInstitutionSaved = defineEvent(
  Sources.programs,
  "Partner Institution Saved",
  1,
  z.object({
    programId,
    institutionId: z.string().describe("The partner institution's canonical id."),
    creditCapCents: z.number().int().describe("The institution's credit cap, in cents."),
    revision: z.number().int().describe("The institution record's revision, from 1."),
  }),
  {
    description:
      "Staff created or changed a strategic partner institution of a program; its credit cap holds from this revision on. Sent on every new revision; billing and university systems use it to follow the caps.",
    example: {
      programId: "model-program",
      institutionId: "northfield",
      creditCapCents: 1_100_000_000,
      revision: 2,
    },
  },
);

export const programEvents = [ProgramCreated, CallCreated, ReviewerPoolExtended, PartnerInstitutionSaved];
