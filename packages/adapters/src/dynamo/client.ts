import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { traced } from "../tracing.js";

// Endpoint and region come from the standard AWS_* variables, so the same code runs on AWS
// and against DynamoDB Local. The document client shares the base client's middleware, so
// capturing the base client traces both.
export const createDocumentClient = (client = traced(new DynamoDBClient({}))) =>
  DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
