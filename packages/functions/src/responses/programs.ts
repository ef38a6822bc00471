import { CallInput } from "@allot/core/call";
import { PartnerInstitutionFields, Program } from "@allot/core/program";
import { ReviewerProfile } from "@allot/core/review";
import { z } from "zod";
import { IsoTime } from "./common.js";

export const ProgramView = z
  .object({ ...Program.shape, createdAt: IsoTime, createdBy: z.string() })
  .meta({ id: "Program" });

export const CallView = z
  .object({ ...CallInput.shape, programId: z.string(), createdAt: IsoTime, createdBy: z.string() })
  .meta({ id: "Call" });

export const PartnerInstitutionView = z
  .object({
    ...PartnerInstitutionFields.shape,
    programId: z.string(),
    institutionId: z.string(),
    updatedAt: IsoTime,
    updatedBy: z.string().optional().meta({ description: "Staff only" }),
  })
  .meta({ id: "PartnerInstitution" });

export const ReviewerProfileView = z
  .object({
    ...ReviewerProfile.shape,
    openAssignments: z.number().int(),
    updatedAt: IsoTime,
    updatedBy: z.string(),
  })
  .meta({ id: "ReviewerProfile" });

export const ReviewerPoolAnswer = z.object({ call: CallView, added: z.array(z.string()) });
