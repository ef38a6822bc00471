import type { Actor } from "../actor.js";
import { sameContent } from "../canonical.js";
import { conflict, fieldIssuesOf, notFound, validationError } from "../errors.js";
import { createEvent } from "../events/define.js";
import type { OutputRepository } from "../output/ports.js";
import { FinalReportRequested, FinalReportSubmitted } from "./closeout-events.js";
import type { CloseoutDeps, CloseoutWorkflow } from "./closeout-ports.js";
import { mustBeClosing, mustGet, now, withCloseout } from "./closeout-record.js";
import { FinalReport } from "./closeout-schema.js";
import { ids } from "./moves.js";
import type { Award } from "./schema.js";

// The final report: its request (a callback the closeout waits on, bounded by the program's
// period) and the grantee's submission, which completes it.

/**
 * Closeout step d: parks the final report's callback on the award and asks the grantee for it
 * (once: a retried task keeps the first request and due date). A report submitted already
 * completes the callback at once.
 */
export const awaitFinalReport = async (
  deps: CloseoutDeps & { workflow: Pick<CloseoutWorkflow, "complete"> },
  awardId: string,
  taskToken: string,
) => {
  const award = await mustGet(deps, awardId);
  const closeout = mustBeClosing(award);
  if (closeout.finalReport || closeout.cash) {
    await deps.workflow.complete(taskToken, { submitted: Boolean(closeout.finalReport) });
    return;
  }
  if (award.finalReportTaskToken === taskToken) return;
  const when = now(deps);
  const requested = closeout.finalReportRequestedAt !== undefined;
  const dueAt =
    closeout.finalReportDueAt ??
    new Date(Date.parse(when) + closeout.finalReportSeconds * 1000).toISOString();
  const after: Award = {
    ...withCloseout(award, {
      ...closeout,
      finalReportRequestedAt: closeout.finalReportRequestedAt ?? when,
      finalReportDueAt: dueAt,
    }),
    finalReportTaskToken: taskToken,
  };
  await deps.awards.update(
    after,
    requested
      ? []
      : [
          createEvent(FinalReportRequested, `${awardId}:final-report-requested`, when, {
            ...ids(award),
            dueAt,
          }),
        ],
  );
};

/**
 * The grantee's final report (`PUT /awards/{awardId}/final-report`), accepted while the award
 * is closing and its cash not yet settled. The same report again answers 200 with it; another
 * one after submission is a conflict. It completes the workflow's callback when one waits.
 */
export const submitFinalReport = async (
  deps: CloseoutDeps & {
    workflow: Pick<CloseoutWorkflow, "complete">;
    /** The award's registered outputs: a report names only those. */
    outputs: Pick<OutputRepository, "listForAward">;
  },
  actor: Actor,
  awardId: string,
  input: unknown,
) => {
  const award = await deps.awards.get(awardId);
  if (!award || actor.role !== "applicant" || award.applicantId !== actor.userId)
    throw notFound(`Award ${awardId}`);
  const parsed = FinalReport.safeParse(input);
  if (!parsed.success) throw validationError("The final report is invalid", fieldIssuesOf(parsed.error));
  const report = parsed.data;
  const stored = award.closeout?.finalReport;
  if (stored) {
    const { submittedAt: _a, submittedBy: _b, ...content } = stored;
    if (!sameContent(content, report))
      throw conflict(
        `The final report of ${awardId} was submitted at ${stored.submittedAt}; it cannot be changed`,
      );
    if (award.finalReportTaskToken)
      await deps.workflow.complete(award.finalReportTaskToken, { submitted: true });
    return { status: 200 as const, report: stored };
  }
  if (award.status !== "closing" || !award.closeout)
    throw conflict(`Award ${awardId} is ${award.status}; a final report is taken while it is closing`);
  if (award.closeout.cash)
    throw conflict(
      `The final report of ${awardId} was due at ${award.closeout.finalReportDueAt ?? award.closeout.cash.settledAt}; the award's cash is settled without it`,
    );
  const registered = new Set((await deps.outputs.listForAward(awardId)).map((o) => o.outputId));
  const issues = [
    ...(report.cashSpentCents > award.cashCents
      ? [{ field: "cashSpentCents", message: `the award's cash is ${award.cashCents} cents` }]
      : []),
    ...report.outputIds.flatMap((outputId, i) =>
      registered.has(outputId)
        ? []
        : [
            {
              field: `outputIds.${i}`,
              message: `${outputId} is not an output of this award; register it first`,
            },
          ],
    ),
  ];
  if (issues.length) throw validationError("The final report is invalid", issues);
  const when = now(deps);
  const finalReport = { ...report, submittedAt: when, submittedBy: actor.userId };
  await deps.awards.update(withCloseout(award, { ...award.closeout, finalReport }), [
    createEvent(FinalReportSubmitted, `${awardId}:final-report-submitted`, when, ids(award)),
  ]);
  if (award.finalReportTaskToken)
    await deps.workflow.complete(award.finalReportTaskToken, { submitted: true });
  return { status: 201 as const, report: finalReport };
};
