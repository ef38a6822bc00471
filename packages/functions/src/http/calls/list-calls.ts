import { ProgramId } from "@allot/core";
import { listCalls } from "@allot/core/call";
import { z } from "zod";
import { callDeps } from "../../lib/deps-programs.js";
import { HttpError, httpHandler, issuesFromZod } from "../../lib/http.js";

const Query = z.object({
  open: z.enum(["true", "false"], { message: "must be true or false" }).optional(),
  programId: ProgramId.optional(),
});

export const handler = httpHandler({
  handle: async ({ actor, query }) => {
    const parsed = Query.safeParse(query);
    if (!parsed.success) throw new HttpError(400, "The query is invalid", issuesFromZod(parsed.error));
    return {
      body: {
        items: await listCalls(callDeps(), actor, {
          open: parsed.data.open === "true",
          ...(parsed.data.programId ? { programId: parsed.data.programId } : {}),
        }),
      },
    };
  },
});
