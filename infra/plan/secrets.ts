// Checks on the values of per-stage SST secrets, applied when the deploy reads them (a wrong
// value stops the deploy with a message instead of reaching a function). Pure, so tests run it.

/**
 * A base URL (`ProviderUrl`, `PublicUrl`): absolute https, without query or fragment, and
 * without a trailing slash (handlers append paths to it, e.g. the provider callback path).
 */
export const httpsBaseUrl = (secret: string, value: string): string => {
  const text = value.trim();
  const url = parseUrl(text);
  if (!url) throw new Error(`infra: ${secret} "${value}" is not a URL (set it to https://…)`);
  if (url.protocol !== "https:") throw new Error(`infra: ${secret} "${value}" must be an https:// URL`);
  if (url.search || url.hash)
    throw new Error(`infra: ${secret} "${value}" must not have a query or fragment`);
  return text.replace(/\/+$/, "");
};

/** A shared signing secret (`ProviderSecret`): used as given, but never empty or padded. */
export const sharedSecret = (secret: string, value: string): string => {
  if (!value.trim()) throw new Error(`infra: ${secret} is empty`);
  if (value !== value.trim())
    throw new Error(
      `infra: ${secret} starts or ends with whitespace (both sides must sign with the same bytes)`,
    );
  return value;
};

const parseUrl = (text: string) => {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
};
