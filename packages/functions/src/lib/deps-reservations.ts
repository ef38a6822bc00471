import {
  dynamoAwardRepository,
  dynamoProgramRepository,
  dynamoReservationRepository,
  dynamoUsageRepository,
  linked,
  stepFunctionsGraceTimer,
} from "@allot/adapters";
import { systemClock } from "@allot/core";
import type { ReservationDeps } from "@allot/core/reservation";
import { doc, once, sfn, tableName } from "./deps.js";

export const reservationDeps = once(
  (): ReservationDeps => ({
    awards: dynamoAwardRepository(doc(), tableName()),
    programs: dynamoProgramRepository(doc(), tableName()),
    usage: dynamoUsageRepository(doc(), tableName()),
    reservations: dynamoReservationRepository(doc(), tableName()),
    clock: systemClock,
  }),
);

export const graceTimer = once(() =>
  stepFunctionsGraceTimer(
    sfn(),
    linked({ kind: "stateMachine", stateMachine: "reservation-grace", actions: ["start"] }),
  ),
);
