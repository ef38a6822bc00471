import { ProgramId } from "@allot/core";
import { AwardStatus, listAwards } from "@allot/core/award";
import { z } from "zod";
import { awardReadDeps } from "../../lib/deps-awards.js";
import { HttpError, httpHandler, issuesFromZod } from "../../lib/http.js";

const Query = z.object({ programId: ProgramId.optional(), status: AwardStatus.optional() });

export const handler = httpHandler({
  handle: async ({ actor, query }) => {
    const parsed = Query.safeParse(query);
    if (!parsed.success) throw new HttpError(400, "The query is invalid", issuesFromZod(parsed.error));
    return { body: { items: await listAwards(awardReadDeps(), actor, parsed.data) } };
  },
});
