import { describe, expect, it } from "vitest";
import { linkedSecret } from "../src/linked-secret.js";

describe("linkedSecret (the same accessor on AWS and locally)", () => {
  it("reads the SST-linked secret first (what `sst deploy` links), never needing an environment variable", () => {
    const env = {
      SST_RESOURCE_ProviderSecret: JSON.stringify({ type: "sst.sst.Secret", value: "from-the-link" }),
    };
    expect(linkedSecret("ProviderSecret", "ALLOT_PROVIDER_SECRET", env)).toBe("from-the-link");
  });

  it("falls back to the local runtime's environment variable", () => {
    expect(linkedSecret("ProviderSecret", "ALLOT_PROVIDER_SECRET", { ALLOT_PROVIDER_SECRET: "local" })).toBe(
      "local",
    );
  });

  it("is undefined when neither is set, or the value is empty", () => {
    expect(linkedSecret("ProviderSecret", "ALLOT_PROVIDER_SECRET", {})).toBeUndefined();
    expect(
      linkedSecret("ProviderSecret", "ALLOT_PROVIDER_SECRET", { ALLOT_PROVIDER_SECRET: "" }),
    ).toBeUndefined();
  });
});
