import { clusterView } from "@allot/core/reservation";
import { reservationDeps } from "../../lib/deps-reservations.js";
import { httpHandler } from "../../lib/http.js";

export const handler = httpHandler({
  handle: async ({ actor, path, query }) => ({
    body: await clusterView(reservationDeps(), actor, path.programId ?? "", {
      ...(query.from !== undefined ? { from: query.from } : {}),
      ...(query.to !== undefined ? { to: query.to } : {}),
    }),
  }),
});
