import { ProviderError } from "@allot/core/award";
import { TaskError } from "./task.js";

/** The provider's failures reach the ASL under their names: transient ones are retried, permanent ones compensated. */
export const providerErrors = async <T>(work: () => Promise<T>): Promise<T> => {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ProviderError) throw new TaskError(error.name, error.message);
    throw error;
  }
};
