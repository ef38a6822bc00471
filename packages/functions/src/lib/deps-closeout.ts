import {
  dynamoAwardRepository,
  dynamoLedgerRepository,
  dynamoOutputRepository,
  dynamoProgramRepository,
  linked,
  stepFunctionsCloseoutWorkflow,
  stepFunctionsTermTimer,
} from "@allot/adapters";
import { systemClock } from "@allot/core";
import {
  type AwardTermTimer,
  type CloseoutCompliance,
  type CloseoutDeps,
  type CloseoutSettlement,
  type CloseoutWorkflow,
  settleCash,
  settleConsumption,
} from "@allot/core/award";
import { evaluateCompliance } from "@allot/core/output";
import { closeoutMachine, termTimerMachine } from "@allot/stacks/links";
import { doc, once, sfn, tableName } from "./deps.js";
import { awardDeps } from "./deps-awards.js";

export const closeoutDeps = once(
  (): CloseoutDeps => ({
    awards: dynamoAwardRepository(doc(), tableName()),
    programs: dynamoProgramRepository(doc(), tableName()),
    ledger: dynamoLedgerRepository(doc(), tableName()),
    clock: systemClock,
  }),
);

/**
 * Starts closeouts (the term timer, an approved early closeout, a staff resume), reads where
 * one stands, and completes the report's callback.
 */
export const closeoutWorkflow = once(
  (): CloseoutWorkflow => stepFunctionsCloseoutWorkflow(sfn(), () => linked(closeoutMachine("start"))),
);

export const termTimer = once(
  (): AwardTermTimer => stepFunctionsTermTimer(sfn(), () => linked(termTimerMachine("start"))),
);

/** The award's registered outputs, which its final report names and its compliance counts. */
export const closeoutOutputs = once(() => dynamoOutputRepository(doc(), tableName()));

/** The outputs' compliance, as the closeout judges it at closing. */
export const closeoutCompliance = once((): CloseoutCompliance => {
  const { awards, programs } = closeoutDeps();
  const outputs = closeoutOutputs();
  return { evaluate: (awardId, asOf) => evaluateCompliance({ awards, programs, outputs }, awardId, asOf) };
});

/** The ledger's settlement of consumption (usage counted, cash declared), for the closeout's steps. */
export const closeoutSettlement = once((): CloseoutSettlement => {
  const deps = awardDeps();
  return {
    settleConsumption: (awardId, cause) => settleConsumption(deps, awardId, cause),
    settleCash: (awardId, spentCents, cause) => settleCash(deps, awardId, spentCents, cause),
  };
});
