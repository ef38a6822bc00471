import { notFound } from "@allot/core";
import type { ReviewWorkflow, WorkflowExecution } from "@allot/core/proposal";
import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  InvalidToken,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  type SFNClient,
  StopExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from "@aws-sdk/client-sfn";
import { executionArnOf, startNamedExecution } from "./named-execution.js";

/** Re-drives are numbered from 1 by the failure they follow; one name per round. */
const redriveName = (proposalId: string, round: number) => `${proposalId}-redrive-${round}`;

// The task finished already (an earlier attempt of the same command completed it).
export const isGone = (error: unknown) =>
  error instanceof TaskTimedOut || error instanceof TaskDoesNotExist || error instanceof InvalidToken;

const stateOf = (event: HistoryEvent) =>
  event.stateEnteredEventDetails?.name ?? event.stateExitedEventDetails?.name ?? undefined;

const executionEvents = async (client: SFNClient, executionArn: string) => {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(
      new GetExecutionHistoryCommand({ executionArn, nextToken, maxResults: 1000 }),
    );
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return events.map((e) => ({
    id: e.id ?? 0,
    type: e.type ?? "Unknown",
    timestamp: e.timestamp?.toISOString() ?? "",
    state: stateOf(e),
    error: e.taskFailedEventDetails?.error ?? e.executionFailedEventDetails?.error ?? undefined,
  }));
};

/**
 * The ARNs of the two machines, read when first needed: a function linked to one machine only
 * (an award callback, say) never asks for the other.
 */
export interface WorkflowMachines {
  review: () => string;
  award: () => string;
}

export const stepFunctionsReviewWorkflow = (
  client: SFNClient,
  machines: WorkflowMachines,
): ReviewWorkflow => ({
  start: (proposalId, correlationId) =>
    startNamedExecution(client, machines.review(), proposalId, { proposalId }, correlationId),

  startAward: (proposalId, awardId, offerTimeoutSeconds, correlationId) =>
    startNamedExecution(
      client,
      machines.award(),
      proposalId,
      { proposalId, award: { awardId, offerTimeoutSeconds } },
      correlationId,
    ),

  startProvisioning: (proposalId, awardId, round) =>
    startNamedExecution(client, machines.award(), redriveName(proposalId, round), {
      proposalId,
      redrive: true,
      award: { awardId },
    }),

  async complete(taskToken, output) {
    try {
      await client.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }));
    } catch (error) {
      // The task already finished (an earlier attempt of this same command completed it).
      if (isGone(error)) return;
      throw error;
    }
  },

  async fail(taskToken, error, cause) {
    try {
      await client.send(new SendTaskFailureCommand({ taskToken, error, cause }));
    } catch (failure) {
      if (isGone(failure)) return;
      throw failure;
    }
  },

  async stop(proposalId, cause) {
    try {
      await client.send(
        new StopExecutionCommand({ executionArn: executionArnOf(machines.review(), proposalId), cause }),
      );
    } catch (error) {
      // Never started (a draft) or already finished: nothing left to stop.
      if ((error as Error).name === "ExecutionDoesNotExist") return;
      throw error;
    }
  },

  async history(proposalId) {
    const execution = async (machineArn: string, name: string, kind: WorkflowExecution["kind"]) => {
      const executionArn = executionArnOf(machineArn, name);
      let described: DescribeExecutionCommandOutput;
      try {
        described = await client.send(new DescribeExecutionCommand({ executionArn }));
      } catch (error) {
        if ((error as Error).name === "ExecutionDoesNotExist") return undefined;
        throw error;
      }
      return {
        name,
        kind,
        status: described.status ?? "UNKNOWN",
        startedAt: described.startDate?.toISOString(),
        stoppedAt: described.stopDate?.toISOString(),
        events: await executionEvents(client, executionArn),
      };
    };
    const review = await execution(machines.review(), proposalId, "review");
    if (!review) throw notFound(`The workflow of proposal ${proposalId}`);
    const executions: WorkflowExecution[] = [review];
    // The award part exists only once the review ended in an offer.
    const award = await execution(machines.award(), proposalId, "award");
    if (award) executions.unshift(award);
    // Rounds are consecutive, so the first one missing ends the list.
    for (let round = 1; ; round++) {
      const redrive = await execution(machines.award(), redriveName(proposalId, round), "redrive");
      if (!redrive) break;
      executions.unshift(redrive);
    }
    const [current] = executions as [WorkflowExecution];
    return { status: current.status, current: current.name, executions };
  },
});
