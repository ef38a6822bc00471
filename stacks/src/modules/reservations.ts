import { BudgetCommitted } from "@allot/core/award";
import { patternFor } from "@allot/core/events";
import {
  ReservationCancelled,
  ReservationGranted,
  ReservationQueued,
  ReservationReleased,
} from "@allot/core/reservation";
import { CreditsExhausted } from "@allot/core/usage";
import { fn, tableRead, tableReadWrite } from "../links.js";
import { bus } from "../table.js";
import { defaultRetry, type StackModule } from "./module.js";

// Reservations of the research cluster: hour slots and the award's credit hold taken in one
// transaction; queued requests granted as chips free up; suspended with the award's credits.
const http = (name: string, description: string, links = [tableReadWrite]) =>
  fn(name, `http/reservations/${name}.ts`, description, links);
const consumer = (name: string, description: string) =>
  fn(name, `events/${name}.ts`, description, [tableReadWrite], { timeoutSeconds: 60 });

const topUps = patternFor(BudgetCommitted);

export const reservations: StackModule = {
  functions: [
    http(
      "create-reservation",
      "A grantee reserves chips for a window: granted, or queued when the cluster is full",
    ),
    http("list-reservations", "An award's reservations: its grantee or staff", [tableRead]),
    http("cancel-reservation", "The grantee or staff cancel a reservation; its chips and hold are released"),
    http("cluster-view", "Staff read the cluster's chips reserved and free, hour by hour", [tableRead]),
    consumer("grant-queued-reservations", "Grants queued reservations when chips are freed"),
    consumer("suspend-reservations", "Suspends an award's reservations when its credits are exhausted"),
    consumer("resume-reservations", "Resumes an award's reservations after a top-up"),
    fn(
      "start-reservation-grace",
      "events/start-reservation-grace.ts",
      "Starts the grace-period timer of a granted reservation",
      [tableRead, { kind: "stateMachine", stateMachine: "reservation-grace", actions: ["start"] }],
    ),
    fn(
      "release-unused-reservation",
      "tasks/release-unused-reservation.ts",
      "At the end of the grace period, gives back a reservation its award has not used",
      [tableReadWrite],
      { timeoutSeconds: 60 },
    ),
  ],
  routes: [
    {
      method: "POST",
      path: "/awards/{awardId}/reservations",
      function: "create-reservation",
      roles: ["applicant"],
    },
    {
      method: "GET",
      path: "/awards/{awardId}/reservations",
      function: "list-reservations",
      roles: ["staff", "applicant"],
    },
    {
      method: "POST",
      path: "/awards/{awardId}/reservations/{reservationId}/cancel",
      function: "cancel-reservation",
      roles: ["staff", "applicant"],
    },
    { method: "GET", path: "/programs/{programId}/cluster", function: "cluster-view", roles: ["staff"] },
  ],
  rules: [
    {
      name: "grant-queued-reservations",
      bus: bus.name,
      description:
        "Chips freed by a cancellation or a release, or a request just queued (chips may have freed meanwhile)",
      pattern: {
        source: [ReservationCancelled.source],
        "detail-type": [
          ReservationCancelled.detailType,
          ReservationReleased.detailType,
          ReservationQueued.detailType,
        ],
        detail: { version: [1] },
      },
      targets: [{ kind: "function", function: "grant-queued-reservations", retry: defaultRetry }],
    },
    {
      name: "suspend-reservations",
      bus: bus.name,
      description: "An award's credits are exhausted",
      pattern: patternFor(CreditsExhausted),
      targets: [{ kind: "function", function: "suspend-reservations", retry: defaultRetry }],
    },
    {
      name: "start-reservation-grace",
      bus: bus.name,
      description: "Every granted reservation gets its grace-period timer",
      pattern: patternFor(ReservationGranted),
      targets: [{ kind: "function", function: "start-reservation-grace", retry: defaultRetry }],
    },
    {
      name: "resume-reservations",
      bus: bus.name,
      description: "Credits topped up",
      pattern: { ...topUps, detail: { ...(topUps.detail as object), data: { kind: ["topup"] } } },
      targets: [{ kind: "function", function: "resume-reservations", retry: defaultRetry }],
    },
  ],
};
