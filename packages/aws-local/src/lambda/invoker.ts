/** The outcome of one function invocation, as Lambda reports it (a function error is not a throw). */
export type InvokeResult =
  | { ok: true; payload: unknown }
  | { ok: false; errorType: string; errorMessage: string; trace?: string[] };

/** Invokes a configured function by name or ARN; used by the edge, rules and workflows. */
export interface LambdaInvoker {
  invoke(functionNameOrArn: string, payload: unknown): Promise<InvokeResult>;
  has(functionNameOrArn: string): boolean;
}

/** `arn:aws:lambda:region:account:function:name[:qualifier]` or a bare name, to the bare name. */
export const functionNameOf = (nameOrArn: string): string => {
  const match = /^arn:aws:lambda:[^:]*:[^:]*:function:([^:]+)(?::.+)?$/.exec(nameOrArn);
  return match?.[1] ?? nameOrArn;
};
