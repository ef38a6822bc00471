import { z } from "zod";
import { defineEvent } from "../events/define.js";
import { Sources } from "../events/sources.js";
import { OutputKind } from "./schema.js";

// Ids and outcomes only: who the grantee is and what the paper says are read from the records
// by whoever is entitled to them.
const awardId = z.string().describe("The award the output belongs to (awd_…).");
const programId = z.string().describe("The program the award is in.");
const outputId = z.string().describe("The output's id (out_…).");
const ids = {
  outputId,
  awardId,
  programId,
  kind: OutputKind.describe("A paper (DOI / arXiv id) or a repository."),
};
const by = z
  .enum(["check", "override"])
  .describe("Decided by the registry check, or by staff overriding it.");
const example = {
  outputId: "out_g8pzdmq5tgvqx79vfns6yrnkrp",
  awardId: "awd_dkg9g94c2p91rs3akng9hvcqec",
  programId: "model-program",
  kind: "repository" as const,
};

export const OutputRegistered = defineEvent(Sources.outputs, "Output Registered", 1, z.object(ids), {
  description:
    "A grantee registered a research output (a paper or a repository) against an award; verification follows. Research offices and analytics track outputs with it.",
  example,
});
export const OutputVerified = defineEvent(Sources.outputs, "Output Verified", 1, z.object({ ...ids, by }), {
  description:
    "An output was verified (the registry or code host confirmed it, or staff overrode the check). Research offices and analytics record it.",
  example: { ...example, by: "check" },
});
export const OutputRejected = defineEvent(Sources.outputs, "Output Rejected", 1, z.object({ ...ids, by }), {
  description:
    "An output was rejected (not found, not permissively licensed, not public, or rejected by staff). The grantee is told what to fix.",
  example: { ...example, kind: "paper", by: "override" },
});
/**
 * An obligation of the award became met, or stopped being met (a license turned non-permissive,
 * a repository vanished or went private, staff rejected the output that met it).
 */
export const ComplianceChanged = defineEvent(
  Sources.outputs,
  "Compliance Changed",
  1,
  z.object({
    awardId,
    programId,
    obligation: OutputKind.describe(
      "The obligation that changed: publish a paper, or open-source a repository.",
    ),
    met: z.boolean().describe("Whether the obligation is met now."),
    /** The award's compliance as evaluated just after the change. */
    compliant: z.boolean().describe("The award's compliance as evaluated just after the change."),
    outputId: outputId.describe("The output that made the change."),
  }),
  {
    description:
      "An award's obligation became met, or stopped being met (a license turned non-permissive, a repository went private, staff rejected the output). Research offices and compliance dashboards follow it.",
    example: {
      awardId: example.awardId,
      programId: example.programId,
      obligation: "repository",
      met: true,
      compliant: false,
      outputId: example.outputId,
    },
  },
);
/** An obligation's due date passed with no verified output. */
export const ObligationOverdue = defineEvent(
  Sources.outputs,
  "Obligation Overdue",
  1,
  z.object({
    awardId,
    programId,
    obligation: OutputKind.describe("The obligation that is overdue."),
    dueAt: z.string().describe("When it was due (ISO 8601, UTC)."),
  }),
  {
    description:
      "An award's obligation (paper or repository) passed its due date with no verified output. The grantee and staff are notified; compliance dashboards follow it.",
    example: {
      awardId: example.awardId,
      programId: example.programId,
      obligation: "paper",
      dueAt: "2028-06-30T23:59:59.000Z",
    },
  },
);

export const outputEvents = [
  OutputRegistered,
  OutputVerified,
  OutputRejected,
  ComplianceChanged,
  ObligationOverdue,
];
