import type { Actor } from "../actor.js";
import { conflict, retryOnConcurrentModification } from "../errors.js";
import { createEvent } from "../events/define.js";
import { CloseoutFailed } from "./closeout-events.js";
import type { CloseoutDeps, CloseoutWorkflow } from "./closeout-ports.js";
import { mustGet, now, withCloseout } from "./closeout-record.js";
import { ids, staffOnly } from "./moves.js";
import type { Award } from "./schema.js";

// A closeout whose workflow failed (the provider refused to inactivate the project past its
// retries, a task that kept failing) leaves its award `closing` for good: no credits returned,
// no final report asked for. Staff resume it once the cause is fixed: a new run of the same
// workflow, named by its attempt, whose steps find their marks on the award and do only what is
// left. The award names the attempt, so a retried or raced resume starts one run, and only a
// run that has ended without closing the award can be followed by another.

/**
 * The closeout workflow's catch: the run failed for good. Marks the award's closeout with the
 * failure (staff read it on the award) and publishes CloseoutFailed, once per run; the workflow
 * then fails, so that the run can be resumed.
 */
export const reportCloseoutFailure = async (
  deps: Pick<CloseoutDeps, "awards" | "clock">,
  awardId: string,
  error: string,
): Promise<void> =>
  retryOnConcurrentModification(async () => {
    const award = await mustGet(deps, awardId);
    const { closeout } = award;
    // A run that failed before the award became closing left nothing to resume from.
    if (award.status !== "closing" || !closeout) return;
    const attempt = closeout.attempt ?? 1;
    if (closeout.failure?.attempt === attempt) return;
    const when = now(deps);
    await deps.awards.update(withCloseout(award, { ...closeout, failure: { attempt, error, at: when } }), [
      createEvent(CloseoutFailed, `${awardId}:closeout-failed:${attempt}`, when, {
        ...ids(award),
        attempt,
        error,
      }),
    ]);
  });

export const resumeCloseout = async (
  deps: Pick<CloseoutDeps, "awards" | "clock"> & { workflow: Pick<CloseoutWorkflow, "start" | "state"> },
  actor: Actor,
  awardId: string,
  reason: string,
): Promise<Award> => {
  staffOnly(actor);
  const award = await mustGet(deps, awardId);
  if (award.status !== "closing" || !award.closeout)
    throw conflict(`Award ${awardId} is ${award.status}; only a closing award's closeout can be resumed`);
  const { closeout } = award;
  const attempt = closeout.attempt ?? 1;
  const run = { awardId, reason: closeout.reason, early: false };
  const state = await deps.workflow.state(awardId, attempt);
  if (state === "absent") {
    // A resume whose award update landed but whose start did not: start that attempt now.
    await deps.workflow.start({ ...run, attempt });
    return award;
  }
  if (state !== "failed")
    throw conflict(
      `The closeout of award ${awardId} is ${state === "running" ? "running" : "finished"} (attempt ${attempt}); there is nothing to resume`,
    );
  const when = now(deps);
  const next = attempt + 1;
  const resumed = withCloseout(award, { ...closeout, attempt: next });
  const after: Award = {
    ...resumed,
    history: [
      ...award.history,
      {
        at: when,
        status: award.status,
        actor: actor.userId,
        reason: `closeout resumed (attempt ${next}): ${reason}`,
      },
    ],
  };
  await deps.awards.update(after, []);
  await deps.workflow.start({ ...run, attempt: next });
  return after;
};
