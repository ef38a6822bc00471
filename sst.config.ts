/// <reference path="./.sst/platform/config.d.ts" />

// The AWS realization of stacks/ (see "Deploy to AWS" in README.md). `app()` cannot import modules,
// so the production switches are inline here and mirrored by infra/stage.ts (a test checks).
export default $config({
  app(input) {
    const production = input?.stage === "production";
    return {
      name: "allot",
      home: "aws",
      version: "4.17.1",
      removal: production ? "retain" : "remove",
      protect: production,
      providers: {
        aws: {
          version: "7.20.0",
          region: process.env.ALLOT_AWS_REGION ?? "us-east-1",
          defaultTags: { tags: { app: "allot", stage: input?.stage ?? "unknown" } },
        },
      },
    };
  },
  async run() {
    const { deploy } = await import("./infra/index.js");
    return deploy();
  },
});
