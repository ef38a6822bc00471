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
import { SFNClient } from "@aws-sdk/client-sfn";
import { doc, once, tableName } from "./deps.js";

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
    new SFNClient({}),
    linked({ kind: "stateMachine", stateMachine: "reservation-grace", actions: ["start"] }),
  ),
);
