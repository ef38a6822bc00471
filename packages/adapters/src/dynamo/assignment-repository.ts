import { ConcurrentModification, conflict } from "@allot/core";
import type { Assignment, AssignmentRepository } from "@allot/core/review";
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { failedConditions } from "./errors.js";
import { outboxPut } from "./outbox.js";
import { queryAll } from "./query.js";

// Assignments live in their proposal's partition, so the workflow's tasks list them with a
// strongly consistent query (a GSI could miss one just written and assign a slot twice). A
// pointer item finds one by id alone, for the reviewer's commands. The reviewer's load counter
// sits on the profile item and moves in the same transaction as the assignment it counts.
const key = (a: Pick<Assignment, "proposalId" | "assignmentId">) => ({
  pk: `PROPOSAL#${a.proposalId}`,
  sk: `ASSIGNMENT#${a.assignmentId}`,
});
const pointerKey = (assignmentId: string) => ({ pk: `ASSIGNMENT#${assignmentId}`, sk: "POINTER" });
const reviewerKey = (reviewerId: string) => ({ pk: `REVIEWER#${reviewerId}`, sk: "PROFILE" });

const toItem = (a: Assignment) => ({
  ...key(a),
  gsi1pk: `REVIEWER#${a.reviewerId}`,
  gsi1sk: `ASSIGNMENT#${a.assignedAt}#${a.assignmentId}`,
  type: "assignment",
  ...a,
});
const fromItem = (item: Record<string, unknown>): Assignment => {
  const { pk: _p, sk: _s, gsi1pk: _a, gsi1sk: _b, type: _t, ...a } = item;
  return a as unknown as Assignment;
};

export const dynamoAssignmentRepository = (
  doc: DynamoDBDocumentClient,
  tableName: string,
): AssignmentRepository => ({
  async get(assignmentId) {
    const pointer = await doc.send(
      new GetCommand({ TableName: tableName, Key: pointerKey(assignmentId), ConsistentRead: true }),
    );
    if (!pointer.Item) return undefined;
    const { Item } = await doc.send(
      new GetCommand({
        TableName: tableName,
        Key: key({ proposalId: String(pointer.Item.proposalId), assignmentId }),
        ConsistentRead: true,
      }),
    );
    return Item ? fromItem(Item) : undefined;
  },

  async listForProposal(proposalId) {
    const items = await queryAll(doc, {
      TableName: tableName,
      KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
      ExpressionAttributeValues: { ":pk": `PROPOSAL#${proposalId}`, ":prefix": "ASSIGNMENT#" },
      ConsistentRead: true,
    });
    return items.map(fromItem);
  },

  async listForReviewer(reviewerId) {
    const items = await queryAll(doc, {
      TableName: tableName,
      IndexName: "gsi1",
      KeyConditionExpression: "gsi1pk = :pk AND begins_with(gsi1sk, :prefix)",
      ExpressionAttributeValues: { ":pk": `REVIEWER#${reviewerId}`, ":prefix": "ASSIGNMENT#" },
    });
    return items.map(fromItem);
  },

  async create(assignments, events) {
    const now = new Date(assignments[0]?.assignedAt ?? Date.now());
    try {
      await doc.send(
        new TransactWriteCommand({
          TransactItems: [
            ...assignments.flatMap((a) => [
              {
                Put: {
                  TableName: tableName,
                  Item: toItem(a),
                  ConditionExpression: "attribute_not_exists(pk)",
                },
              },
              {
                Put: {
                  TableName: tableName,
                  Item: { ...pointerKey(a.assignmentId), proposalId: a.proposalId },
                  ConditionExpression: "attribute_not_exists(pk)",
                },
              },
              {
                Update: {
                  TableName: tableName,
                  Key: reviewerKey(a.reviewerId),
                  UpdateExpression: "SET openAssignments = openAssignments + :one",
                  // Condition expressions cannot add, but they can compare two attributes.
                  ConditionExpression: "attribute_exists(pk) AND openAssignments < maxLoad",
                  ExpressionAttributeValues: { ":one": 1 },
                },
              },
            ]),
            ...events.map((e) => outboxPut(tableName, e, now)),
          ],
        }),
      );
    } catch (error) {
      if (failedConditions(error))
        throw conflict("A reviewer is at full load or the assignment exists; plan again");
      throw error;
    }
  },

  async update(assignment, events, options = {}) {
    const now = new Date();
    try {
      await doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: tableName,
                Item: toItem(assignment),
                ConditionExpression: "revision = :expected",
                ExpressionAttributeValues: { ":expected": assignment.revision - 1 },
              },
            },
            ...(options.releaseLoad
              ? [
                  {
                    Update: {
                      TableName: tableName,
                      Key: reviewerKey(assignment.reviewerId),
                      UpdateExpression: "SET openAssignments = openAssignments - :one",
                      ConditionExpression: "openAssignments > :zero",
                      ExpressionAttributeValues: { ":one": 1, ":zero": 0 },
                    },
                  },
                ]
              : []),
            ...events.map((e) => outboxPut(tableName, e, now)),
          ],
        }),
      );
    } catch (error) {
      if (failedConditions(error)?.includes(0)) {
        throw new ConcurrentModification(`Assignment ${assignment.assignmentId}`);
      }
      throw error;
    }
  },
});
