import { listCalls } from "@allot/core/call";
import { callDeps } from "../../lib/deps-programs.js";
import { httpHandler } from "../../lib/http.js";

export const handler = httpHandler({
  handle: async ({ actor, query }) => ({
    body: {
      items: await listCalls(callDeps(), actor, {
        open: query.open === "true",
        ...(query.programId ? { programId: query.programId } : {}),
      }),
    },
  }),
});
