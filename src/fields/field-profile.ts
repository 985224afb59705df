import type { SpanContext } from '@opentelemetry/api';
import type { DatadogTraceIdFormat } from './builtin-profiles.js';

/** A value a profile writes: ids and flags are strings, GCP's `trace_sampled` is a boolean. */
export type FieldValue = string | boolean;

/**
 * How one backend names the trace context in a log line. `keys` is fixed when the profile is
 * resolved; `values` returns one value per key, in the same order.
 */
export interface FieldProfile {
  /** The profile's name, for diagnostics: `otel`, `camel`, `ecs`, `datadog`, `gcp` or `custom`. */
  readonly name: string;
  /** The field names written, in order. */
  readonly keys: readonly string[];
  /**
   * The values for a valid span context whose ids are already lower-case hex. Called once per
   * span context, not once per line: the result is cached.
   */
  values(spanContext: SpanContext): FieldValue[];
  /**
   * A fresh copy of the fields, written as an object literal with the profile's keys. pino
   * extends the copy with the line's own fields and serialises it; a literal measured faster
   * there than a generic copy (`npm run bench -- correlation`). Without it, `Object.assign` copies.
   */
  readonly copy?: (fields: Readonly<Record<string, FieldValue>>) => Record<string, FieldValue>;
}

/** The built-in profile names accepted by the `fields` option. */
export type FieldProfileName = 'otel' | 'camel' | 'ecs' | 'datadog' | 'gcp';

/** The user's own field names; a name left out is not written. */
export interface CustomFieldNames {
  /** Key for the 32-hex-digit trace id. */
  readonly traceId?: string;
  /** Key for the 16-hex-digit span id. */
  readonly spanId?: string;
  /** Key for the two-hex-digit trace flags (`"01"` when sampled). */
  readonly traceFlags?: string;
}

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
