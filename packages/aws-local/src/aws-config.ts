// The only thing that differs between local and AWS for an SDK client: where it points.
// Dummy credentials keep the SDK from searching the machine for real ones.
export const LOCAL_REGION = "us-east-1";
export const LOCAL_ACCOUNT = "000000000000";

export const localClientConfig = (endpoint: string) => ({
  endpoint,
  region: LOCAL_REGION,
  credentials: { accessKeyId: "local", secretAccessKey: "local" },
});
