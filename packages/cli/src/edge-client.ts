import type { DeadLetterSummary, ReplayResult } from "aws-local";
import { CliError } from "./errors.js";

// The local edge's admin operations (AwsLocalAdmin.*, eventBridgeAdminService): JSON in, JSON
// out, errors in AWS's shape.

export type { DeadLetterSummary, ReplayResult };

export interface EdgeAdmin {
  listDeadLetters(input: { all?: boolean }): Promise<{ deadLetters: DeadLetterSummary[] }>;
  redriveDeadLetters(input: { ids?: string[] }): Promise<{ redriven: number }>;
  startReplay(input: {
    bus: string;
    from: string;
    to: string;
    rules?: string[];
    name?: string;
  }): Promise<ReplayResult>;
  runSchedule(input: { name: string }): Promise<{ eventId: string; deliveries: number }>;
}

export const edgeAdmin = (url: string): EdgeAdmin => {
  const base = url.replace(/\/+$/, "");
  const call = async <T>(operation: string, input: unknown): Promise<T> => {
    let response: Response;
    try {
      response = await fetch(`${base}/`, {
        method: "POST",
        headers: {
          "content-type": "application/x-amz-json-1.1",
          "x-amz-target": `AwsLocalAdmin.${operation}`,
        },
        body: JSON.stringify(input),
      });
    } catch (error) {
      throw new CliError(
        `cannot reach the local edge at ${base} (${(error as Error & { cause?: Error }).cause?.message ?? (error as Error).message}): is \`npm start\` running, and is --edge (ALLOT_EDGE_URL) right?`,
      );
    }
    const answer = (await response.json().catch(() => ({}))) as { __type?: string; message?: string };
    if (!response.ok) {
      throw new CliError(`edge ${response.status} ${answer.__type ?? "Error"}: ${answer.message ?? ""}`);
    }
    return answer as T;
  };
  return {
    listDeadLetters: (input) => call("ListDeadLetters", input),
    redriveDeadLetters: (input) => call("RedriveDeadLetters", input),
    startReplay: (input) => call("StartReplay", input),
    runSchedule: (input) => call("RunSchedule", input),
  };
};
