/**
 * The instrumentation scope every record is sent under, whichever thread made the sdk-logs
 * logger: the worker's pipeline, or the winston transport encoding on the logging thread.
 */
export const SCOPE_NAME = 'tracelink';
