/** What a log line says about a failure: the stack when there is one, so a local failure can be traced. */
export const errorText = (error: unknown): string =>
  error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);

/** The one-line form, for logs and records that repeat per attempt (a stack each time would drown them). */
export const errorMessage = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

/** The error's name (the SDK's exception name), or '' for something that is not an Error. */
export const errorName = (error: unknown): string => (error instanceof Error ? error.name : '');
