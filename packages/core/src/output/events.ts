import { z } from "zod";
import { defineEvent } from "../events/define.js";
import { Sources } from "../events/sources.js";
import { OutputKind } from "./schema.js";

// Ids and outcomes only: who the grantee is and what the paper says are read from the records
// by whoever is entitled to them.
const ids = { outputId: z.string(), awardId: z.string(), programId: z.string(), kind: OutputKind };

export const OutputRegistered = defineEvent(Sources.outputs, "Output Registered", 1, z.object(ids));
export const OutputVerified = defineEvent(
  Sources.outputs,
  "Output Verified",
  1,
  z.object({ ...ids, by: z.enum(["check", "override"]) }),
);
export const OutputRejected = defineEvent(
  Sources.outputs,
  "Output Rejected",
  1,
  z.object({ ...ids, by: z.enum(["check", "override"]) }),
);
/**
 * An obligation of the award became met, or stopped being met (a license turned non-permissive,
 * a repository vanished or went private, staff rejected the output that met it).
 */
export const ComplianceChanged = defineEvent(
  Sources.outputs,
  "Compliance Changed",
  1,
  z.object({
    awardId: z.string(),
    programId: z.string(),
    obligation: OutputKind,
    met: z.boolean(),
    /** The award's compliance as evaluated just after the change. */
    compliant: z.boolean(),
    outputId: z.string(),
  }),
);
/** An obligation's due date passed with no verified output. */
export const ObligationOverdue = defineEvent(
  Sources.outputs,
  "Obligation Overdue",
  1,
  z.object({ awardId: z.string(), programId: z.string(), obligation: OutputKind, dueAt: z.string() }),
);

export const outputEvents = [
  OutputRegistered,
  OutputVerified,
  OutputRejected,
  ComplianceChanged,
  ObligationOverdue,
];
