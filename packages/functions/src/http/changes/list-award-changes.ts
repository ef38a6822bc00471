import { listAwardChanges } from "@allot/core/award";
import { changeDeps } from "../../lib/deps-changes.js";
import { httpHandler } from "../../lib/http.js";
import { ChangeRequestList, changeView } from "../../responses/changes.js";

export const handler = httpHandler({
  responses: { 200: ChangeRequestList },
  handle: async ({ actor, path }) => {
    const changes = await listAwardChanges(changeDeps(), actor, path.awardId ?? "");
    return { body: { items: changes.map(changeView) } };
  },
});
