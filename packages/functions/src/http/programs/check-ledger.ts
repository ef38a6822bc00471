import { programLedgerCheck } from "@allot/core/award";
import { awardReadDeps } from "../../lib/deps-awards.js";
import { httpHandler } from "../../lib/http.js";

export const handler = httpHandler({
  handle: async ({ actor, path }) => ({
    body: await programLedgerCheck(awardReadDeps(), actor, path.programId ?? ""),
  }),
});
