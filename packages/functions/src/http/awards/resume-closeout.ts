import { readAward, resumeCloseout, StaffReason } from "@allot/core/award";
import { awardDeps } from "../../lib/deps-awards.js";
import { closeoutDeps, closeoutWorkflow } from "../../lib/deps-closeout.js";
import { httpHandler } from "../../lib/http.js";
import { AwardView } from "../../responses/awards.js";

// 202: the closeout runs again from where it stopped; 409: the award is not closing, or its
// closeout is running or finished (nothing to resume).
export const handler = httpHandler({
  responses: { 202: AwardView },
  body: StaffReason,
  handle: async ({ actor, body, path }) => {
    const award = await resumeCloseout(
      { ...closeoutDeps(), workflow: closeoutWorkflow() },
      actor,
      path.awardId ?? "",
      body.reason,
    );
    return { status: 202, body: await readAward(awardDeps(), actor, award.awardId) };
  },
});
