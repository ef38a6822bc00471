import { readAward, StaffReason, setAwardSuspension } from "@allot/core/award";
import { awardDeps } from "../../lib/deps-awards.js";
import { httpHandler } from "../../lib/http.js";
import { AwardView } from "../../responses/awards.js";

export const handler = httpHandler({
  responses: { 200: AwardView },
  body: StaffReason,
  handle: async ({ actor, body, path }) => {
    await setAwardSuspension(awardDeps(), actor, path.awardId ?? "", false, body.reason);
    return { body: await readAward(awardDeps(), actor, path.awardId ?? "") };
  },
});
