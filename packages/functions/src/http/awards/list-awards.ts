import { ProgramId } from "@allot/core";
import { AwardStatus, listAwards } from "@allot/core/award";
import { z } from "zod";
import { awardReadDeps } from "../../lib/deps-awards.js";
import { httpHandler } from "../../lib/http.js";
import { AwardView } from "../../responses/awards.js";
import { itemsOf } from "../../responses/common.js";

const Query = z.object({ programId: ProgramId.optional(), status: AwardStatus.optional() });

export const handler = httpHandler({
  responses: { 200: itemsOf(AwardView) },
  query: Query,
  handle: async ({ actor, query }) => {
    return { body: { items: await listAwards(awardReadDeps(), actor, query) } };
  },
});
