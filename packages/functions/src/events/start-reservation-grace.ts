import { linked, startNamedExecution } from "@allot/adapters";
import { DEFAULT_GRACE_PERIOD, graceEndsAt, ReservationGranted } from "@allot/core/reservation";
import { SFNClient } from "@aws-sdk/client-sfn";
import { once } from "../lib/deps.js";
import { reservationDeps } from "../lib/deps-reservations.js";
import { onEvent } from "../lib/event.js";

const sfn = once(() => new SFNClient({}));

// The timer is a durable Wait in its own execution, named by the reservation: a redelivered
// grant event finds it started already.
export const handler = onEvent(ReservationGranted, async ({ awardId, reservationId }) => {
  const deps = reservationDeps();
  const reservation = await deps.reservations.get(awardId, reservationId);
  if (!reservation || reservation.status !== "granted") return;
  const program = await deps.programs.get(reservation.programId);
  await startNamedExecution(
    sfn(),
    linked({ kind: "stateMachine", stateMachine: "reservation-grace", actions: ["start"] }),
    reservationId,
    {
      awardId,
      reservationId,
      graceEndsAt: graceEndsAt(reservation, program?.reservationGracePeriod ?? DEFAULT_GRACE_PERIOD),
    },
  );
});
