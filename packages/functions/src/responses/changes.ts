import { ChangeKind, ChangeStatus } from "@allot/core/award";
import { z } from "zod";
import { IsoTime } from "./common.js";

const Amounts = z.object({
  cashCents: z.number().int().optional(),
  creditsCents: z.number().int().optional(),
  months: z.number().int().optional(),
});

/** A change request as its grantee and staff see it: the justification and the decision's rationale. */
export const ChangeRequestView = z
  .object({
    changeId: z.string(),
    awardId: z.string(),
    proposalId: z.string(),
    programId: z.string(),
    applicantId: z.string(),
    kind: ChangeKind,
    requested: Amounts,
    justification: z.string(),
    status: ChangeStatus,
    requestedAt: IsoTime,
    decision: z
      .object({
        decidedAt: IsoTime,
        decidedBy: z.string(),
        rationale: z.string(),
        granted: Amounts.optional().meta({
          description: "What an approval granted: at most what was requested",
        }),
      })
      .optional(),
  })
  .meta({ id: "ChangeRequest" });

export const ChangeRequestList = z
  .object({ items: z.array(ChangeRequestView) })
  .meta({ id: "ChangeRequestList" });

export const ChangeRequestPage = z
  .object({
    items: z.array(ChangeRequestView),
    nextCursor: z.string().nullable().meta({ description: "Pass it as `cursor` for the next page" }),
  })
  .meta({ id: "ChangeRequestPage" });

/** The record without its revision (a storage detail). */
export const changeView = <C extends { revision: number }>({ revision: _r, ...view }: C) => view;
