import { readAward, redriveProvisioning, StaffReason } from "@allot/core/award";
import { awardDeps } from "../../lib/deps-awards.js";
import { httpHandler } from "../../lib/http.js";

export const handler = httpHandler({
  body: StaffReason,
  handle: async ({ actor, body, path }) => {
    const award = await redriveProvisioning(awardDeps(), actor, path.awardId ?? "", body.reason);
    return { status: 202, body: await readAward(awardDeps(), actor, award.awardId) };
  },
});
