import { programLedgerCheck } from "@allot/core/award";
import { awardReadDeps } from "../../lib/deps-awards.js";
import { httpHandler } from "../../lib/http.js";
import { LedgerCheckView } from "../../responses/awards.js";

export const handler = httpHandler({
  responses: { 200: LedgerCheckView },
  handle: async ({ actor, path }) => ({
    body: await programLedgerCheck(awardReadDeps(), actor, path.programId ?? ""),
  }),
});
