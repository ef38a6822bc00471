import { AwardStatus } from "@allot/core/award";
import { OutputKind, OutputStatus } from "@allot/core/output";
import { z } from "zod";
import { IsoTime } from "./common.js";

const PaperRef = z.union([
  z.object({ kind: z.literal("doi"), doi: z.string() }),
  z.object({ kind: z.literal("arxiv"), arxivId: z.string() }),
]);

export const OutputView = z
  .object({
    outputId: z.string(),
    awardId: z.string(),
    programId: z.string(),
    applicantId: z.string(),
    kind: OutputKind,
    identity: z.string(),
    paper: PaperRef.optional(),
    repository: z.object({ owner: z.string(), name: z.string(), url: z.string() }).optional(),
    status: OutputStatus,
    registeredAt: IsoTime,
    registeredBy: z.string(),
    verification: z
      .object({
        outcome: z.enum(["verified", "rejected"]),
        checkedAt: z.string(),
        reason: z.string(),
        metadata: z
          .object({
            title: z.string(),
            authors: z.array(z.string()),
            year: z.number().int().optional(),
            venue: z.string().optional(),
            registry: z.enum(["crossref", "datacite", "arxiv"]),
          })
          .optional(),
        spdxId: z.string().nullable().optional(),
        commitSha: z.string().optional(),
        fullName: z.string().optional(),
      })
      .optional(),
    lastAttempt: z.object({ at: IsoTime, error: z.string() }).optional(),
    override: z
      .object({ status: z.enum(["verified", "rejected"]), reason: z.string(), by: z.string(), at: IsoTime })
      .optional(),
    history: z.array(
      z.object({
        at: IsoTime,
        kind: z.enum(["registered", "checked", "override", "unavailable"]),
        status: OutputStatus,
        actor: z.string(),
        reason: z.string(),
      }),
    ),
    revision: z.number().int(),
  })
  .meta({ id: "Output" });

const ObligationView = z.object({
  kind: OutputKind,
  dueAt: IsoTime.nullable(),
  met: z.boolean(),
  status: z.enum(["met", "pending", "overdue"]),
  outputIds: z.array(z.string()),
  reason: z.string(),
});

export const ComplianceView = z
  .object({
    awardId: z.string(),
    asOf: IsoTime,
    compliant: z.boolean(),
    obligations: z.array(ObligationView),
  })
  .meta({ id: "Compliance" });

export const ProgramComplianceView = z
  .object({
    programId: z.string(),
    asOf: IsoTime,
    awards: z.array(ComplianceView.extend({ status: AwardStatus })),
    total: z.number().int(),
    compliant: z.number().int(),
    rate: z.number(),
  })
  .meta({ id: "ProgramCompliance" });
