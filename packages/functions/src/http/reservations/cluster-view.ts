import { clusterView } from "@allot/core/reservation";
import { z } from "zod";
import { reservationDeps } from "../../lib/deps-reservations.js";
import { httpHandler } from "../../lib/http.js";
import { ClusterView } from "../../responses/reservations.js";

// The range is checked in the domain (on the hour, ordered, bounded), so one answer names every problem.
const onTheHour = z.string().meta({ format: "date-time", description: "UTC, on the hour" });
const ClusterRange = z.object({ from: onTheHour.optional(), to: onTheHour.optional() });

export const handler = httpHandler({
  responses: { 200: ClusterView },
  query: ClusterRange,
  handle: async ({ actor, path, query }) => ({
    body: await clusterView(reservationDeps(), actor, path.programId ?? "", {
      ...(query.from !== undefined ? { from: query.from } : {}),
      ...(query.to !== undefined ? { to: query.to } : {}),
    }),
  }),
});
