import { readAward, revokeAward, StaffReason } from "@allot/core/award";
import { awardDeps } from "../../lib/deps-awards.js";
import { httpHandler } from "../../lib/http.js";

export const handler = httpHandler({
  body: StaffReason,
  handle: async ({ actor, body, path }) => {
    await revokeAward(awardDeps(), actor, path.awardId ?? "", body.reason);
    return { body: await readAward(awardDeps(), actor, path.awardId ?? "") };
  },
});
