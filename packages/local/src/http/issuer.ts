import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { IntegrationScope } from "@allot/core";
import { exportJWK, generateKeyPair, importJWK, type JWK, type JWTPayload, jwtVerify, SignJWT } from "jose";

// Locally Allot is its own token issuer: an ES256 key kept in the data folder signs tokens
// that the local HTTP API verifies the way API Gateway's JWT authorizer does on AWS
// (signature, issuer, audience, expiry), so handlers read the same claims in both places.
export const LOCAL_ISSUER = "https://allot.local/issuer";
export const LOCAL_AUDIENCE = "allot";
const ALG = "ES256";

export interface Issuer {
  mint(claims: { sub: string; role: string; [claim: string]: unknown }, ttlSeconds?: number): Promise<string>;
  verify(token: string): Promise<JWTPayload>;
}

export const loadIssuer = async (keyFile: string): Promise<Issuer> => {
  let jwk: JWK;
  if (existsSync(keyFile)) {
    jwk = JSON.parse(readFileSync(keyFile, "utf8")) as JWK;
  } else {
    const { privateKey } = await generateKeyPair(ALG, { extractable: true });
    jwk = { ...(await exportJWK(privateKey)), alg: ALG, kid: `local-${Date.now()}` };
    mkdirSync(dirname(keyFile), { recursive: true });
    writeFileSync(keyFile, JSON.stringify(jwk), { mode: 0o600 });
  }
  const privateKey = await importJWK(jwk, ALG);
  const { d: _d, ...publicJwk } = jwk;
  const publicKey = await importJWK(publicJwk, ALG);
  return {
    async mint({ sub, role, ...rest }, ttlSeconds = 12 * 3600) {
      // An integration token minted for tests and the CLI carries every scope unless it names some.
      const scope =
        role === "integration" && rest.scope === undefined ? IntegrationScope.options.join(" ") : rest.scope;
      return new SignJWT({ ...rest, ...(scope === undefined ? {} : { scope }), "allot:role": role })
        .setProtectedHeader({ alg: ALG, kid: jwk.kid })
        .setSubject(sub)
        .setIssuer(LOCAL_ISSUER)
        .setAudience(LOCAL_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(`${ttlSeconds}s`)
        .sign(privateKey);
    },
    async verify(token) {
      const { payload } = await jwtVerify(token, publicKey, {
        issuer: LOCAL_ISSUER,
        audience: LOCAL_AUDIENCE,
      });
      return payload;
    },
  };
};
