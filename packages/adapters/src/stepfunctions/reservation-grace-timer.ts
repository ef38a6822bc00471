import type { ReservationGraceTimer } from "@allot/core/reservation";
import type { SFNClient } from "@aws-sdk/client-sfn";
import { startNamedExecution } from "./named-execution.js";

// The timer is a durable Wait in its own execution, named by the reservation: a redelivered
// grant event finds it started already.
export const stepFunctionsGraceTimer = (
  client: SFNClient,
  stateMachineArn: string,
): ReservationGraceTimer => ({
  start: (input) => startNamedExecution(client, stateMachineArn, input.reservationId, input),
});
