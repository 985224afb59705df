import type { DatadogTraceIdFormat } from './datadog-profile.js';
import type { CustomFieldNames, FieldProfileName } from './field-profile.js';

/** Options shared by `pinoMixin`, `traceFormat`, `traceJson` and `createTraceFields`. */
export interface TraceFieldOptions {
  /**
   * The field names to write: a built-in profile, or your own key for each field.
   * @default 'otel'
   */
  readonly fields?: FieldProfileName | CustomFieldNames;
  /**
   * Google Cloud project id for the `gcp` profile's `logging.googleapis.com/trace`.
   * @default process.env.GOOGLE_CLOUD_PROJECT
   */
  readonly gcpProjectId?: string;
  /**
   * How the `datadog` profile writes `dd.trace_id`: the decimal low 64 bits, or all 128 bits
   * as 32 lower-hex digits.
   * @default 'decimal'
   */
  readonly datadogTraceId?: DatadogTraceIdFormat;
  /**
   * Baggage keys whose entries are written as fields of the same name, when present.
   * @default []
   */
  readonly baggage?: readonly string[];
  /**
   * Writes the request id that the incoming-HTTP middleware (`traceRequests`,
   * `traceMiddleware`, `fastifyTracePlugin`) read from a legacy header such as `x-request-id`,
   * when the context holds one. `true` uses the profile's name — `request_id` (`otel`, `gcp`,
   * `datadog`, custom names), `requestId` (`camel`), `http.request.id` (`ecs`) — and a string
   * is the field name itself.
   * @default false
   */
  readonly requestId?: boolean | string;
}
