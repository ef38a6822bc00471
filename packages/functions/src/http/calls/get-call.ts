import { getCall } from "@allot/core/call";
import { callDeps } from "../../lib/deps-programs.js";
import { httpHandler } from "../../lib/http.js";

export const handler = httpHandler({
  handle: async ({ actor, path }) => ({ body: await getCall(callDeps(), actor, path.callId ?? "") }),
});
