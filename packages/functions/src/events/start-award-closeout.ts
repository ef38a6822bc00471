import { AwardCloseoutRequested } from "@allot/core/award";
import { closeoutWorkflow } from "../lib/deps-closeout.js";
import { onEvent } from "../lib/event.js";

// An approved early closeout: the same workflow as at the term's end, named by the award, so a
// redelivered request (or one racing the term timer) starts one closeout.
export const handler = onEvent(AwardCloseoutRequested, ({ awardId, reason }) =>
  closeoutWorkflow().start({ awardId, reason: `early closeout: ${reason}`, early: true }),
);
