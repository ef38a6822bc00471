import type { ProjectState } from "@allot/adapters/provider/protocol";
import type { ProjectRequest, ProviderAnswer } from "@allot/core/award";
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";

export type CallbackStatus = "pending" | "sending" | "delivered" | "expired" | "cancelled";

/**
 * Everything the stand-in knows about one award. Without projectId the item is a tombstone: a
 * request_project_inactivate that came before any project, kept so that a request received
 * earlier but processed later cannot create the project compensation meant to remove.
 * Project fields are guarded by `version`; the answer's fields (cb*, lease*) by their status and
 * lease, so that sending an answer never conflicts with a staff action on the project.
 */
export interface ProjectItem {
  pk: string;
  sk: typeof PROJECT_SK;
  kind: typeof KIND;
  awardId: string;
  version: number;
  state: ProjectState;
  projectId?: string;
  transactionId?: string;
  request?: ProjectRequest;
  access?: ProviderAnswer["access"];
  createdAt?: number;
  notifiedAt?: number;
  completedAt?: number;
  suspendedAt?: number;
  modifiedAt?: number;
  inactivatedAt?: number;
  inactiveReason?: string;
  /** Inactivated for used-up credits (request_project_inactivate, reversible): reactivation lifts it. */
  inactiveReversible?: boolean;
  cbStatus?: CallbackStatus;
  cbUrl?: string;
  cbDueAt?: number;
  cbFirstAt?: number;
  cbAttempts?: number;
  cbLastError?: string;
  cbDeliveredAt?: number;
  leaseOwner?: string;
  leaseUntil?: number;
  gsi1pk?: string;
  gsi1sk?: string;
}

const KIND = "provider-project";
const PROJECT_SK = "PROJECT";
const DUE = "DUE";

export const projectPk = (awardId: string) => `AWARD#${awardId}`;
const keyOf = (awardId: string) => ({ pk: projectPk(awardId), sk: PROJECT_SK }) as const;
const dueSk = (at: number, awardId: string) =>
  `${String(Math.max(0, Math.floor(at))).padStart(15, "0")}#${awardId}`;
const awardOfDueSk = (sk: string) => sk.slice(sk.indexOf("#") + 1);

export const isConditionFailure = (error: unknown) =>
  (error as { name?: string } | null)?.name === "ConditionalCheckFailedException";

/** The answer's fields for an answer owed from `dueAt` on, to be sent to `url`. */
export const armedCallback = (awardId: string, url: string, dueAt: number, now: number) => ({
  cbStatus: "pending" as const,
  cbUrl: url,
  cbDueAt: dueAt,
  cbFirstAt: now,
  cbAttempts: 0,
  gsi1pk: DUE,
  gsi1sk: dueSk(dueAt, awardId),
});

export const newProjectItem = (params: {
  request: ProjectRequest;
  projectId: string;
  transactionId: string;
  access: ProviderAnswer["access"];
  now: number;
  callbackDueAt: number;
}): ProjectItem => ({
  ...keyOf(params.request.awardId),
  kind: KIND,
  awardId: params.request.awardId,
  version: 1,
  state: "provisioned",
  projectId: params.projectId,
  transactionId: params.transactionId,
  request: params.request,
  access: params.access,
  createdAt: params.now,
  ...armedCallback(params.request.awardId, params.request.callbackUrl, params.callbackDueAt, params.now),
});

export interface Change {
  set?: Record<string, unknown>;
  remove?: string[];
}

export class ProjectStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(awardId: string): Promise<ProjectItem | undefined> {
    const output = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: keyOf(awardId), ConsistentRead: true }),
    );
    return output.Item as ProjectItem | undefined;
  }

  /**
   * Writes a new project unless the award has one, or was inactivated at or after the request
   * reached us. The condition is what keeps concurrent duplicates to one project.
   */
  async create(item: ProjectItem, receivedAt: number): Promise<boolean> {
    return this.conditional(
      new PutCommand({
        TableName: this.tableName,
        Item: item,
        ConditionExpression:
          "attribute_not_exists(projectId) AND (attribute_not_exists(inactivatedAt) OR inactivatedAt < :received)",
        ExpressionAttributeValues: { ":received": receivedAt },
      }),
    );
  }

  /** A tombstone for an award without a project; false if the award has an item already. */
  async createTombstone(awardId: string, reason: string, at: number): Promise<boolean> {
    const item: ProjectItem = {
      ...keyOf(awardId),
      kind: KIND,
      awardId,
      version: 1,
      state: "inactive",
      inactivatedAt: at,
      inactiveReason: reason,
    };
    return this.conditional(
      new PutCommand({
        TableName: this.tableName,
        Item: item,
        ConditionExpression: "attribute_not_exists(pk)",
      }),
    );
  }

  /**
   * Applies a change to the project if nobody changed it since `version` was read (and, when
   * given, while its answer is still in `callbackStatus`); false if someone did.
   */
  async update(
    awardId: string,
    version: number,
    change: Change,
    callbackStatus?: CallbackStatus,
  ): Promise<boolean> {
    const names: Record<string, string> = { "#version": "version" };
    const values: Record<string, unknown> = { ":version": version, ":one": 1 };
    const sets = ["#version = #version + :one"];
    for (const [field, value] of Object.entries(change.set ?? {})) {
      names[`#${field}`] = field;
      values[`:${field}`] = value;
      sets.push(`#${field} = :${field}`);
    }
    const removes = (change.remove ?? []).map((field) => {
      names[`#${field}`] = field;
      return `#${field}`;
    });
    let condition = "#version = :version";
    if (callbackStatus) {
      names["#cbStatus"] = "cbStatus";
      values[":expectedCb"] = callbackStatus;
      condition += " AND #cbStatus = :expectedCb";
    }
    return this.conditional(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keyOf(awardId),
        UpdateExpression: `SET ${sets.join(", ")}${removes.length ? ` REMOVE ${removes.join(", ")}` : ""}`,
        ConditionExpression: condition,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
  }

  /**
   * Owes the answer again, from `dueAt`, unless an attempt is being made right now (that
   * attempt carries the same answer). False if the project is gone or an attempt is under way.
   */
  async rearm(awardId: string, url: string, dueAt: number, now: number): Promise<boolean> {
    return this.conditional(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keyOf(awardId),
        UpdateExpression:
          "SET cbStatus = :pending, cbUrl = :url, cbDueAt = :due, cbFirstAt = :now, cbAttempts = :zero, gsi1pk = :duePk, gsi1sk = :dueSk REMOVE cbLastError, leaseOwner, leaseUntil",
        ConditionExpression:
          "attribute_exists(projectId) AND #state <> :inactive AND (cbStatus <> :sending OR leaseUntil < :now)",
        ExpressionAttributeNames: { "#state": "state" },
        ExpressionAttributeValues: {
          ":pending": "pending",
          ":sending": "sending",
          ":inactive": "inactive",
          ":url": url,
          ":due": dueAt,
          ":now": now,
          ":zero": 0,
          ":duePk": DUE,
          ":dueSk": dueSk(dueAt, awardId),
        },
      }),
    );
  }

  /**
   * Takes the answer for one attempt if it is due, or if the lease of the instance that took
   * it ran out (that instance died); undefined if it is not ours to send.
   */
  async claim(
    awardId: string,
    owner: string,
    now: number,
    leaseMs: number,
  ): Promise<ProjectItem | undefined> {
    const leaseUntil = now + leaseMs;
    try {
      const output = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keyOf(awardId),
          UpdateExpression:
            "SET cbStatus = :sending, leaseOwner = :owner, leaseUntil = :until, cbAttempts = cbAttempts + :one, gsi1sk = :dueSk",
          ConditionExpression:
            "(cbStatus = :pending AND cbDueAt <= :now) OR (cbStatus = :sending AND leaseUntil < :now)",
          ExpressionAttributeValues: {
            ":sending": "sending",
            ":pending": "pending",
            ":owner": owner,
            ":until": leaseUntil,
            ":one": 1,
            ":now": now,
            ":dueSk": dueSk(leaseUntil, awardId),
          },
          ReturnValues: "ALL_NEW",
        }),
      );
      return output.Attributes as ProjectItem;
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }

  async delivered(awardId: string, owner: string, now: number): Promise<boolean> {
    return this.settle(awardId, owner, {
      UpdateExpression:
        "SET cbStatus = :delivered, cbDeliveredAt = :now, notifiedAt = if_not_exists(notifiedAt, :now) REMOVE cbLastError, leaseOwner, leaseUntil, gsi1pk, gsi1sk",
      ExpressionAttributeValues: { ":delivered": "delivered", ":now": now },
    });
  }

  async retryLater(awardId: string, owner: string, dueAt: number, error: string): Promise<boolean> {
    return this.settle(awardId, owner, {
      UpdateExpression:
        "SET cbStatus = :pending, cbDueAt = :due, cbLastError = :error, gsi1sk = :dueSk REMOVE leaseOwner, leaseUntil",
      ExpressionAttributeValues: {
        ":pending": "pending",
        ":due": dueAt,
        ":error": error,
        ":dueSk": dueSk(dueAt, awardId),
      },
    });
  }

  /** Stops owing the answer: given up on (kept, a repeated request re-arms it), or no longer wanted. */
  async abandon(
    awardId: string,
    owner: string,
    status: "expired" | "cancelled",
    error?: string,
  ): Promise<boolean> {
    return this.settle(awardId, owner, {
      UpdateExpression: `SET cbStatus = :status${error ? ", cbLastError = :error" : ""} REMOVE leaseOwner, leaseUntil, gsi1pk, gsi1sk`,
      ExpressionAttributeValues: { ":status": status, ...(error ? { ":error": error } : {}) },
    });
  }

  /** Awards whose answer is owed at `now` (due, or under a lease that ran out), oldest first. */
  async due(now: number, limit: number): Promise<string[]> {
    const output = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: "gsi1",
        KeyConditionExpression: "gsi1pk = :due AND gsi1sk <= :bound",
        ExpressionAttributeValues: { ":due": DUE, ":bound": `${dueSk(now, "")}\uffff` },
        ProjectionExpression: "gsi1sk",
        Limit: limit,
      }),
    );
    return (output.Items ?? []).map((item) => awardOfDueSk(item.gsi1sk as string));
  }

  /** When the earliest owed answer is next due (epoch ms), or undefined if none is owed. */
  async earliestDue(): Promise<number | undefined> {
    const output = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: "gsi1",
        KeyConditionExpression: "gsi1pk = :due",
        ExpressionAttributeValues: { ":due": DUE },
        ProjectionExpression: "gsi1sk",
        Limit: 1,
      }),
    );
    const sk = output.Items?.[0]?.gsi1sk as string | undefined;
    return sk === undefined ? undefined : Number(sk.slice(0, sk.indexOf("#")));
  }

  /** Every project (tombstones left out), oldest first. */
  async list(): Promise<ProjectItem[]> {
    const items: ProjectItem[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const output = await this.doc.send(
        new ScanCommand({
          TableName: this.tableName,
          ConsistentRead: true,
          FilterExpression: "kind = :kind AND attribute_exists(projectId)",
          ExpressionAttributeValues: { ":kind": KIND },
          ExclusiveStartKey: startKey,
        }),
      );
      items.push(...((output.Items ?? []) as ProjectItem[]));
      startKey = output.LastEvaluatedKey;
    } while (startKey);
    return items.sort(
      (a, b) => (a.createdAt ?? 0) - (b.createdAt ?? 0) || a.awardId.localeCompare(b.awardId),
    );
  }

  private async settle(
    awardId: string,
    owner: string,
    update: { UpdateExpression: string; ExpressionAttributeValues: Record<string, unknown> },
  ): Promise<boolean> {
    return this.conditional(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keyOf(awardId),
        UpdateExpression: update.UpdateExpression,
        ConditionExpression: "cbStatus = :isSending AND leaseOwner = :owner",
        ExpressionAttributeValues: {
          ...update.ExpressionAttributeValues,
          ":isSending": "sending",
          ":owner": owner,
        },
      }),
    );
  }

  private async conditional(command: PutCommand | UpdateCommand): Promise<boolean> {
    try {
      if (command instanceof PutCommand) await this.doc.send(command);
      else await this.doc.send(command);
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}
