import { DenyChange, denyChange } from "@allot/core/award";
import { changeDeps } from "../../lib/deps-changes.js";
import { httpHandler } from "../../lib/http.js";
import { ChangeRequestView, changeView } from "../../responses/changes.js";

export const handler = httpHandler({
  responses: { 200: ChangeRequestView },
  body: DenyChange,
  handle: async ({ actor, body, path }) => {
    const change = await denyChange(changeDeps(), actor, path.awardId ?? "", path.changeId ?? "", body);
    return { body: changeView(change) };
  },
});
