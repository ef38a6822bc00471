import { definition, invoke, waitUntil } from "../asl/states.js";

export const reservationGrace = definition(
  "The grace period of one granted reservation: at its end, a reservation whose award recorded no usage since the grant gives its chips and credits back. One execution per reservation, named by its id; the Wait is durable, so a restart does not lose it.",
  "UntilGraceEnds",
  {
    UntilGraceEnds: waitUntil("$.graceEndsAt", { next: "ReleaseIfUnused" }),
    ReleaseIfUnused: invoke("release-unused-reservation", {
      payload: { awardId: "$.awardId", reservationId: "$.reservationId" },
      resultPath: null,
      end: true,
    }),
  },
);
