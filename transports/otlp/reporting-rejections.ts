import type { ISerializer } from '@opentelemetry/otlp-transformer';

/** Told how many records a collector's answer says it rejected, and its message if any. */
export type RejectionListener = (rejected: number, message: string | undefined) => void;

/** A listener for exporters nobody counts for (tests, the reference exporter). */
export const ignoreRejections: RejectionListener = () => undefined;

interface PartialSuccessAnswer {
  readonly partialSuccess?: {
    readonly rejectedLogRecords?: unknown;
    readonly errorMessage?: unknown;
  };
}

/**
 * `serializer`, telling `onRejected` what each answer's `partial_success` says: a collector (or
 * a backend's OTLP endpoint) that accepts a request may still reject some of its records, and
 * says how many there. The official export delegate only logs that through `diag` and reports
 * the export a success; with this, the transport counts those records as rejected, so none is
 * lost without a count. Requests are serialized by `serializer` unchanged.
 *
 * @example
 * ```ts
 * const serializer = reportingRejections(JsonLogsSerializer, (n) => stats.drop('rejected', n));
 * ```
 */
export function reportingRejections<Request, Answer>(
  serializer: ISerializer<Request, Answer>,
  onRejected: RejectionListener,
): ISerializer<Request, Answer> {
  return {
    serializeRequest: (request) => serializer.serializeRequest(request),
    deserializeResponse(data) {
      const answer = serializer.deserializeResponse(data);
      const partial = (answer as PartialSuccessAnswer | undefined)?.partialSuccess;
      // int64 on the wire: a number from protobuf, a decimal string from OTLP/JSON.
      const rejected = Number(partial?.rejectedLogRecords ?? 0);
      if (Number.isSafeInteger(rejected) && rejected > 0) {
        const message = partial?.errorMessage;
        onRejected(rejected, typeof message === 'string' && message !== '' ? message : undefined);
      }
      return answer;
    },
  };
}
