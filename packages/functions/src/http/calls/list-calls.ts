import { ProgramId } from "@allot/core";
import { listCalls } from "@allot/core/call";
import { z } from "zod";
import { callDeps } from "../../lib/deps-programs.js";
import { httpHandler } from "../../lib/http.js";
import { itemsOf } from "../../responses/common.js";
import { CallView } from "../../responses/programs.js";

const Query = z.object({
  open: z.enum(["true", "false"], { message: "must be true or false" }).optional(),
  programId: ProgramId.optional(),
});

export const handler = httpHandler({
  responses: { 200: itemsOf(CallView) },
  query: Query,
  handle: async ({ actor, query }) => {
    return {
      body: {
        items: await listCalls(callDeps(), actor, {
          open: query.open === "true",
          ...(query.programId ? { programId: query.programId } : {}),
        }),
      },
    };
  },
});
