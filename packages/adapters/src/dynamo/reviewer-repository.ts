import type { ReviewerProfileWrite, ReviewerRecord, ReviewerRepository } from "@allot/core/review";
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { batchGetAll } from "./batch-get.js";
import { entityOf, reviewerKeys } from "./keys.js";
import { queryPartition } from "./query.js";

// A profile write is an UpdateItem that sets the profile's own fields only: openAssignments
// belongs to reviewer assignment, which moves it with conditional increments, so a staff edit
// racing an assignment must never reset it. Profiles carry no domain events (personal data
// stays off the bus), hence no outbox here.
const key = reviewerKeys.key;

type ProfileField = Exclude<keyof ReviewerProfileWrite, "reviewerId">;
// A record, not a list, so a field added to the profile schema fails to compile until it is written.
const written: Record<ProfileField, true> = {
  name: true,
  email: true,
  institution: true,
  keywords: true,
  coAuthors: true,
  declaredConflicts: true,
  maxLoad: true,
  updatedAt: true,
  updatedBy: true,
};
const profileFields = Object.keys(written) as ProfileField[];

const fromItem = (item: Record<string, unknown>) => entityOf<ReviewerRecord>(item);

export const dynamoReviewerRepository = (
  doc: DynamoDBDocumentClient,
  tableName: string,
): ReviewerRepository => ({
  async get(reviewerId) {
    const { Item } = await doc.send(
      new GetCommand({ TableName: tableName, Key: key(reviewerId), ConsistentRead: true }),
    );
    return Item ? fromItem(Item) : undefined;
  },

  async getMany(reviewerIds) {
    const items = await batchGetAll(doc, tableName, [...new Set(reviewerIds)].map(key));
    return items.map(fromItem);
  },

  async put(profile) {
    const { gsi2pk, gsi2sk } = reviewerKeys.indexes(profile.reviewerId);
    const values: Record<string, unknown> = {
      ":reviewerId": profile.reviewerId,
      ":type": "reviewer",
      ":gsi2pk": gsi2pk,
      ":gsi2sk": gsi2sk,
      ":zero": 0,
    };
    const names: Record<string, string> = {};
    const sets = [
      "reviewerId = :reviewerId",
      "#type = :type",
      "gsi2pk = :gsi2pk",
      "gsi2sk = :gsi2sk",
      "openAssignments = if_not_exists(openAssignments, :zero)",
    ];
    names["#type"] = "type";
    for (const field of profileFields) {
      names[`#${field}`] = field;
      values[`:${field}`] = profile[field];
      sets.push(`#${field} = :${field}`);
    }
    const { Attributes } = await doc.send(
      new UpdateCommand({
        TableName: tableName,
        Key: key(profile.reviewerId),
        UpdateExpression: `SET ${sets.join(", ")}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        // The old image tells a create from a replace, and the load the profile kept.
        ReturnValues: "ALL_OLD",
      }),
    );
    const openAssignments = typeof Attributes?.openAssignments === "number" ? Attributes.openAssignments : 0;
    return { record: { ...profile, openAssignments }, created: !Attributes };
  },

  async list() {
    const items = await queryPartition(doc, tableName, reviewerKeys.all());
    return items.map(fromItem);
  },
});
