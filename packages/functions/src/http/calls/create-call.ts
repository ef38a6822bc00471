import { CallInput, createCall } from "@allot/core/call";
import { z } from "zod";
import { callDeps } from "../../lib/deps-programs.js";
import { httpHandler } from "../../lib/http.js";
import { CallView } from "../../responses/programs.js";

// The body is validated in core, with the program's caps and the reviewer profiles, so one
// answer names every problem.
export const handler = httpHandler({
  responses: { 201: CallView, 200: CallView },
  body: z.unknown(),
  bodyValidatedInCore: CallInput,
  handle: async ({ actor, body, path }) => {
    const { call, created } = await createCall(callDeps(), actor, path.programId ?? "", body);
    return { status: created ? 201 : 200, body: call, headers: { location: `/calls/${call.callId}` } };
  },
});
