import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  TransactGetCommand,
  TransactWriteCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";

export interface RequestCounts {
  /** Items put, updated or deleted (a BatchWrite or TransactWrite counts each of its items). */
  itemWrites: number;
  /** Requests that write (Put, Update, Delete, BatchWrite, TransactWrite). */
  writeRequests: number;
  /** Requests that read (Get, Query, Scan, BatchGet, TransactGet). */
  readRequests: number;
  /** Anything else: a command the counter does not know, shown so that it is not missed. */
  otherRequests: number;
}

const zero = (): RequestCounts => ({ itemWrites: 0, writeRequests: 0, readRequests: 0, otherRequests: 0 });

export const difference = (after: RequestCounts, before: RequestCounts): RequestCounts => ({
  itemWrites: after.itemWrites - before.itemWrites,
  writeRequests: after.writeRequests - before.writeRequests,
  readRequests: after.readRequests - before.readRequests,
  otherRequests: after.otherRequests - before.otherRequests,
});

const tally = (counts: RequestCounts, command: unknown) => {
  if (command instanceof PutCommand || command instanceof UpdateCommand || command instanceof DeleteCommand) {
    counts.writeRequests++;
    counts.itemWrites++;
  } else if (command instanceof BatchWriteCommand) {
    counts.writeRequests++;
    for (const requests of Object.values(command.input.RequestItems ?? {}))
      counts.itemWrites += requests.length;
  } else if (command instanceof TransactWriteCommand) {
    counts.writeRequests++;
    // A ConditionCheck reads; only Put, Update and Delete write an item.
    for (const item of command.input.TransactItems ?? []) {
      if (item.Put || item.Update || item.Delete) counts.itemWrites++;
    }
  } else if (
    command instanceof GetCommand ||
    command instanceof QueryCommand ||
    command instanceof ScanCommand ||
    command instanceof BatchGetCommand ||
    command instanceof TransactGetCommand
  ) {
    counts.readRequests++;
  } else {
    counts.otherRequests++;
  }
};

/**
 * Counts what goes through `doc.send` from now on, by wrapping the method on this instance.
 * Everything the emulators write passes there, so the counts are per benchmark exact.
 */
export const countRequests = (doc: DynamoDBDocumentClient): { snapshot(): RequestCounts } => {
  const counts = zero();
  const send = doc.send.bind(doc) as (...args: unknown[]) => Promise<unknown>;
  (doc as unknown as { send: (...args: unknown[]) => Promise<unknown> }).send = (...args: unknown[]) => {
    tally(counts, args[0]);
    return send(...args);
  };
  return { snapshot: () => ({ ...counts }) };
};
