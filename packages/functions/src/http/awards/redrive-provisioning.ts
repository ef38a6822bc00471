import { readAward, redriveProvisioning, StaffReason } from "@allot/core/award";
import { awardDeps } from "../../lib/deps-awards.js";
import { httpHandler } from "../../lib/http.js";
import { AwardView } from "../../responses/awards.js";

export const handler = httpHandler({
  responses: { 202: AwardView },
  body: StaffReason,
  handle: async ({ actor, body, path }) => {
    const award = await redriveProvisioning(awardDeps(), actor, path.awardId ?? "", body.reason);
    return { status: 202, body: await readAward(awardDeps(), actor, award.awardId) };
  },
});
