// Reading a definition back: the states it holds at any depth, and the functions its tasks name.

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => !!value && typeof value === "object";

/** Every state of a definition, nested Parallel branches and Map processors included. */
export const allStates = (definition: Json): Array<[string, Json]> => {
  const out: Array<[string, Json]> = [];
  const walk = (states: unknown) => {
    if (!isObject(states)) return;
    for (const [name, state] of Object.entries(states)) {
      if (!isObject(state)) continue;
      out.push([name, state]);
      if (state.Type === "Parallel" && Array.isArray(state.Branches)) {
        for (const branch of state.Branches) if (isObject(branch)) walk(branch.States);
      }
      if (state.Type === "Map") {
        const processor = state.ItemProcessor ?? state.Iterator;
        if (isObject(processor)) walk(processor.States);
      }
    }
  };
  walk(definition.States);
  return out;
};

const placeholder = /^\$\{function:([a-z0-9-]+)\}$/;

/** The functions a definition's Task states invoke, each once, in the order they first appear. */
export const functionsOf = (definition: Json): string[] => {
  const names = new Set<string>();
  for (const [, state] of allStates(definition)) {
    if (state.Type !== "Task") continue;
    const parameters = isObject(state.Parameters) ? state.Parameters : {};
    for (const target of [state.Resource, parameters.FunctionName]) {
      const name = typeof target === "string" ? placeholder.exec(target)?.[1] : undefined;
      if (name) names.add(name);
    }
  }
  return [...names];
};
