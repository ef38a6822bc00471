export * from "./dynamo/client.js";
export * from "./dynamo/errors.js";
export * from "./dynamo/outbox.js";
export * from "./dynamo/proposal-repository.js";
export * from "./env.js";
export * from "./eventbridge/publisher.js";
export * from "./stepfunctions/review-workflow.js";
