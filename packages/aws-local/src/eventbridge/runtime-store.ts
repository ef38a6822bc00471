import { DeleteCommand, type DynamoDBDocumentClient, PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";

// Rules, connections and API destinations created through the API live in the runtime table,
// one item each, so that they survive a restart (or a kill -9) like the events and deliveries:
//   rule            pk EB#RULE             sk <bus>#<rule name>
//   connection      pk EB#CONNECTION       sk <name>
//   api destination pk EB#API-DESTINATION  sk <name>
// Each is stored as JSON text: event patterns may hold what DynamoDB maps would reshape.
// The emulator holds them in memory and writes each change here before it answers.

export const RULE_PARTITION = "EB#RULE";
export const CONNECTION_PARTITION = "EB#CONNECTION";
export const API_DESTINATION_PARTITION = "EB#API-DESTINATION";

export class RuntimeStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async put(pk: string, sk: string, value: object) {
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { pk, sk, kind: "eb-resource", value: JSON.stringify(value) },
      }),
    );
  }

  async delete(pk: string, sk: string) {
    await this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: { pk, sk } }));
  }

  async list<T>(pk: string): Promise<T[]> {
    const values: T[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: "pk = :pk",
          ExpressionAttributeValues: { ":pk": pk },
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) values.push(JSON.parse(item.value as string) as T);
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return values;
  }
}
