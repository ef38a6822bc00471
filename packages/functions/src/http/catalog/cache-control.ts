/** The catalog changes only with a deployment: caches may keep it for an hour, and revalidate after. */
export const catalogCacheControl = "public, max-age=3600, must-revalidate";
