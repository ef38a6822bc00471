import { runtimeTableSpec } from "aws-local";

// aws-local's own state (events, deliveries, executions, checkpoints) in the data folder's
// DynamoDB; the name is kept from before the split so that existing data folders carry on.
export const runtimeTable = runtimeTableSpec("allot-local-runtime");
