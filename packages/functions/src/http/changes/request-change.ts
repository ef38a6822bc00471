import { ChangeRequestInput, requestChange } from "@allot/core/award";
import { changeDeps } from "../../lib/deps-changes.js";
import { httpHandler } from "../../lib/http.js";
import { operationOf } from "../../lib/idempotency.js";
import { ChangeRequestView, changeView } from "../../responses/changes.js";

export const handler = httpHandler({
  responses: { 201: ChangeRequestView },
  body: ChangeRequestInput,
  handle: async (request) => {
    const { actor, body, path } = request;
    const change = await requestChange(changeDeps(), actor, path.awardId ?? "", body, operationOf(request));
    return { status: 201, body: changeView(change) };
  },
});
