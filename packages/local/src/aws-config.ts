// The only thing that differs between local and AWS for an SDK client: where it points.
// Dummy credentials keep the SDK from searching the machine for real ones.
export const LOCAL_REGION = "us-east-1";
export const LOCAL_ACCOUNT = "000000000000";

// DynamoDB Local started without sharedDb keeps one database per access key: the test suite
// runs each file's runtime on a shared DynamoDB Local under a key of its own.
export const localAccessKey = () => process.env.ALLOT_DYNAMODB_ACCESS_KEY || "local";

export const localClientConfig = (endpoint: string, accessKeyId = localAccessKey()) => ({
  endpoint,
  region: LOCAL_REGION,
  credentials: { accessKeyId, secretAccessKey: "local" },
});
