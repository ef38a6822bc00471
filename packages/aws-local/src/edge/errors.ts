/** An error the edge returns in AWS's JSON protocol shape, so SDK clients raise the named exception. */
export class AwsServiceError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly statusCode = 400,
  ) {
    super(message);
    this.name = type;
  }
}

export const validationException = (message: string) => new AwsServiceError("ValidationException", message);
export const resourceNotFound = (message: string) =>
  new AwsServiceError("ResourceNotFoundException", message);
