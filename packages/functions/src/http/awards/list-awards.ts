import { validationError } from "@allot/core";
import { AwardStatus, readAward } from "@allot/core/award";
import { z } from "zod";
import { awardReadDeps } from "../../lib/deps-awards.js";
import { HttpError, httpHandler, issuesFromZod } from "../../lib/http.js";

const Query = z.object({ programId: z.string().optional(), status: AwardStatus.optional() });

export const handler = httpHandler({
  handle: async ({ actor, query }) => {
    const parsed = Query.safeParse(query);
    if (!parsed.success) throw new HttpError(400, "The query is invalid", issuesFromZod(parsed.error));
    const deps = awardReadDeps();
    let awards: Awaited<ReturnType<typeof deps.awards.listByApplicant>>;
    if (actor.role === "staff") {
      if (!parsed.data.programId)
        throw validationError("Name the program", [{ field: "programId", message: "is required for staff" }]);
      awards = await deps.awards.listByProgram(parsed.data.programId, parsed.data.status);
    } else {
      awards = (await deps.awards.listByApplicant(actor.userId)).filter(
        (a) => !parsed.data.status || a.status === parsed.data.status,
      );
    }
    return { body: { items: await Promise.all(awards.map((a) => readAward(deps, actor, a.awardId))) } };
  },
});
