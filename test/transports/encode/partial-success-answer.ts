/** The collector's message in {@link PARTIAL_SUCCESS_ANSWER}. */
export const PARTIAL_SUCCESS_MESSAGE = '3 bad records';

/**
 * An ExportLogsServiceResponse saying 3 records were rejected, as protobuf bytes:
 * `partial_success (1) { rejected_log_records (1): 3, error_message (2) }`.
 */
export const PARTIAL_SUCCESS_ANSWER = Buffer.from([
  0x0a,
  4 + PARTIAL_SUCCESS_MESSAGE.length,
  0x08,
  3,
  0x12,
  PARTIAL_SUCCESS_MESSAGE.length,
  ...Buffer.from(PARTIAL_SUCCESS_MESSAGE),
]);
