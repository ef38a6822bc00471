import { createCipheriv, randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { gitHubTokenFromEnv } from "../src/verification/from-env.js";
import { readSstLinkedValue } from "../src/verification/sst-link.js";

// The GitHub token reaches a Lambda function as SST links it: JSON encrypted into the code
// package. This writes such a file as `sst deploy` does and checks that the adapter and SST's
// own Resource read the same value from it.

const linkedFile = (links: Record<string, unknown>) => {
  const key = randomBytes(32);
  const cipher = createCipheriv("aes-256-gcm", key, Buffer.alloc(12, 0));
  const sealed = Buffer.concat([
    cipher.update(JSON.stringify(links), "utf8"),
    cipher.final(),
    cipher.getAuthTag(),
  ]);
  const file = join(mkdtempSync(join(tmpdir(), "allot-sst-")), "resource.enc");
  writeFileSync(file, sealed);
  return { SST_KEY: key.toString("base64"), SST_KEY_FILE: file };
};

describe("the GitHub token linked by SST", () => {
  it("is read from the encrypted file, as SST's Resource reads it", async () => {
    const env = linkedFile({
      GitHubToken: { type: "sst.sst.Secret", value: "github_pat_123" },
      App: { name: "allot", stage: "test" },
    });
    expect(readSstLinkedValue("GitHubToken", env)).toBe("github_pat_123");
    expect(await gitHubTokenFromEnv({ ...env, ALLOT_GITHUB_TOKEN: "ignored" })()).toBe("github_pat_123");

    Object.assign(process.env, env);
    try {
      const { Resource } = await import("sst");
      expect((Resource as unknown as Record<string, { value: string }>).GitHubToken?.value).toBe(
        "github_pat_123",
      );
    } finally {
      delete process.env.SST_KEY;
      delete process.env.SST_KEY_FILE;
    }
  });

  it("an empty secret (the placeholder) means no token", async () => {
    const env = linkedFile({ GitHubToken: { type: "sst.sst.Secret", value: "" } });
    expect(await gitHubTokenFromEnv(env)()).toBeUndefined();
  });

  it("without SST, ALLOT_GITHUB_TOKEN, else no token", async () => {
    expect(await gitHubTokenFromEnv({ ALLOT_GITHUB_TOKEN: " t0k " })()).toBe("t0k");
    expect(await gitHubTokenFromEnv({})()).toBeUndefined();
  });

  it("a file that does not decrypt is an error, not a silent anonymous call", () => {
    const env = linkedFile({ GitHubToken: { value: "x" } });
    expect(() =>
      readSstLinkedValue("GitHubToken", { ...env, SST_KEY: randomBytes(32).toString("base64") }),
    ).toThrow();
  });
});
