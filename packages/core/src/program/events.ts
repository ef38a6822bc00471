import { z } from "zod";
import { defineEvent } from "../events/define.js";
import { Sources } from "../events/sources.js";

export const ProgramCreated = defineEvent(
  Sources.programs,
  "Program Created",
  1,
  z.object({ programId: z.string() }),
);
export const CallCreated = defineEvent(
  Sources.programs,
  "Call Created",
  1,
  z.object({ programId: z.string(), callId: z.string() }),
);
/** Staff added reviewers: proposals of the call waiting for reviewers can go on. */
export const ReviewerPoolExtended = defineEvent(
  Sources.programs,
  "Reviewer Pool Extended",
  1,
  z.object({ callId: z.string(), reviewerIds: z.array(z.string()) }),
);

/** Staff created or changed a partner institution; its cap holds from this revision on. */
export const PartnerInstitutionSaved = defineEvent(
  Sources.programs,
  "Partner Institution Saved",
  1,
  z.object({
    programId: z.string(),
    institutionId: z.string(),
    creditCapCents: z.number().int(),
    revision: z.number().int(),
  }),
);

export const programEvents = [ProgramCreated, CallCreated, ReviewerPoolExtended, PartnerInstitutionSaved];
