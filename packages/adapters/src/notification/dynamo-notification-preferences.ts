import type { NotificationPreferenceRepository, NotificationPreferences } from "@allot/core/notification";
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { entityOf, notificationKeys } from "../dynamo/keys.js";

// One item per user, replaced whole: the user is its only writer, so the last write wins.

export const dynamoNotificationPreferences = (
  doc: DynamoDBDocumentClient,
  tableName: string,
): NotificationPreferenceRepository => ({
  async get(userId) {
    const { Item } = await doc.send(
      new GetCommand({
        TableName: tableName,
        Key: notificationKeys.preferences(userId),
        ConsistentRead: true,
      }),
    );
    return Item ? entityOf<NotificationPreferences>(Item) : undefined;
  },
  async put(preferences) {
    await doc.send(
      new PutCommand({
        TableName: tableName,
        Item: {
          ...notificationKeys.preferences(preferences.userId),
          type: "notification-preferences",
          ...preferences,
        },
      }),
    );
  },
});
