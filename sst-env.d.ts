/* Hand-kept: the `Resource` types of what sst.config.ts declares by a fixed name. */
/* `sst dev` and `sst deploy` rewrite this file with every linkable component of the stage */
/* (one entry per function too); Allot's handlers do not use `Resource` (they read the */
/* environment variables stacks/src/env.ts names), so restore this version before committing. */
/* deno-fmt-ignore-file */
import "sst";

declare module "sst" {
  export interface Resource {
    Api: {
      type: "sst.aws.ApiGatewayV2";
      url: string;
    };
    JwtAudiences: {
      type: "sst.sst.Secret";
      value: string;
    };
    JwtIssuer: {
      type: "sst.sst.Secret";
      value: string;
    };
    MailFrom: {
      type: "sst.sst.Secret";
      value: string;
    };
    ProviderSecret: {
      type: "sst.sst.Secret";
      value: string;
    };
    ProviderUrl: {
      type: "sst.sst.Secret";
      value: string;
    };
    PublicUrl: {
      type: "sst.sst.Secret";
      value: string;
    };
  }
}
