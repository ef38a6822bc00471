import { ConcurrentModification, conflict } from "@allot/core";
import type { Assignment, AssignmentRepository } from "@allot/core/review";
import { type DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { assignmentKeys, entityOf, reviewerKeys } from "./keys.js";
import { queryPartition } from "./query.js";
import { putIfAbsent, transactWithOutbox, versionedPut } from "./transact.js";

// Assignments live in their proposal's partition, so the workflow's tasks list them with a
// strongly consistent query (a GSI could miss one just written and assign a slot twice). The
// reviewer's load counter sits on the profile item and moves in the same transaction as the
// assignment it counts.
const toItem = (a: Assignment) => ({
  ...assignmentKeys.key(a),
  ...assignmentKeys.indexes(a),
  type: "assignment",
  ...a,
});
const fromItem = (item: Record<string, unknown>) => entityOf<Assignment>(item);

export const dynamoAssignmentRepository = (
  doc: DynamoDBDocumentClient,
  tableName: string,
): AssignmentRepository => ({
  async get(assignmentId) {
    const pointer = await doc.send(
      new GetCommand({
        TableName: tableName,
        Key: assignmentKeys.pointer(assignmentId),
        ConsistentRead: true,
      }),
    );
    if (!pointer.Item) return undefined;
    const { Item } = await doc.send(
      new GetCommand({
        TableName: tableName,
        Key: assignmentKeys.key({ proposalId: String(pointer.Item.proposalId), assignmentId }),
        ConsistentRead: true,
      }),
    );
    return Item ? fromItem(Item) : undefined;
  },

  async listForProposal(proposalId) {
    const items = await queryPartition(doc, tableName, assignmentKeys.ofProposal(proposalId), {
      consistent: true,
    });
    return items.map(fromItem);
  },

  async listForReviewer(reviewerId) {
    const items = await queryPartition(doc, tableName, assignmentKeys.ofReviewer(reviewerId));
    return items.map(fromItem);
  },

  create: (assignments, events) => {
    const refused = () => conflict("A reviewer is at full load or the assignment exists; plan again");
    return transactWithOutbox(doc, tableName, {
      items: assignments.flatMap((a) => [
        { item: versionedPut(tableName, toItem(a), null), refused },
        {
          item: putIfAbsent(tableName, {
            ...assignmentKeys.pointer(a.assignmentId),
            proposalId: a.proposalId,
          }),
          refused,
        },
        {
          item: {
            Update: {
              TableName: tableName,
              Key: reviewerKeys.key(a.reviewerId),
              UpdateExpression: "SET openAssignments = openAssignments + :one",
              // Condition expressions cannot add, but they can compare two attributes.
              ConditionExpression: "attribute_exists(pk) AND openAssignments < maxLoad",
              ExpressionAttributeValues: { ":one": 1 },
            },
          },
          refused,
        },
      ]),
      events,
      at: new Date(assignments[0]?.assignedAt ?? Date.now()),
    });
  },

  update: (assignment, events, options = {}) =>
    transactWithOutbox(doc, tableName, {
      items: [
        {
          item: versionedPut(tableName, toItem(assignment), assignment.revision - 1),
          refused: () => new ConcurrentModification(`Assignment ${assignment.assignmentId}`),
        },
        ...(options.releaseLoad
          ? [
              {
                item: {
                  Update: {
                    TableName: tableName,
                    Key: reviewerKeys.key(assignment.reviewerId),
                    UpdateExpression: "SET openAssignments = openAssignments - :one",
                    ConditionExpression: "openAssignments > :zero",
                    ExpressionAttributeValues: { ":one": 1, ":zero": 0 },
                  },
                },
              },
            ]
          : []),
      ],
      events,
      at: new Date(),
    }),
});
