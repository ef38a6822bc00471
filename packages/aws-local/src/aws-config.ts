// The only thing that differs between local and AWS for an SDK client: where it points.
// Dummy credentials keep the SDK from searching the machine for real ones.
export const LOCAL_REGION = "us-east-1";
export const LOCAL_ACCOUNT = "000000000000";

// DynamoDB Local started without sharedDb keeps one database per access key, so the key names
// the database a client (and every function) works in.
export const localClientConfig = (endpoint: string, accessKeyId = "local") => ({
  endpoint,
  region: LOCAL_REGION,
  credentials: { accessKeyId, secretAccessKey: "local" },
});
