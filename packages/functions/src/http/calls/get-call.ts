import { getCall } from "@allot/core/call";
import { callDeps } from "../../lib/deps-programs.js";
import { httpHandler } from "../../lib/http.js";
import { CallView } from "../../responses/programs.js";

export const handler = httpHandler({
  responses: { 200: CallView },
  handle: async ({ actor, path }) => ({ body: await getCall(callDeps(), actor, path.callId ?? "") }),
});
