import { choice, definition, equals, invoke, succeed, waitUntil } from "../asl/states.js";

export const awardTerm = definition(
  "The term of one active award: a durable Wait until its end, then the award read again. An extension moved the end: wait again until the new one; a running award at its end: its closeout starts; anything else (revoked, closed out early): the timer ends. Started on the award's activation with { awardId, term: { endsAt } } and named by the award, so a redelivered event starts nothing twice.",
  "UntilTermEnds",
  {
    UntilTermEnds: waitUntil("$.term.endsAt", { next: "CheckTerm" }),
    CheckTerm: invoke("check-award-term", {
      payload: { awardId: "$.awardId" },
      select: ["next", "endsAt"],
      resultPath: "$.term",
      next: "Extended?",
    }),
    "Extended?": choice([equals("$.term.next", "wait", "UntilTermEnds")], "TermOver"),
    TermOver: succeed(),
  },
);
