import { TraceFlags } from '@opentelemetry/api';
import type { SpanContext } from '@opentelemetry/api';
import type { DatadogTraceIdFormat } from './builtin-profiles.js';

/** A value a profile writes: ids and flags are strings, GCP's `trace_sampled` is a boolean. */
export type FieldValue = string | boolean;

/**
 * One field of a profile: its key, how it is written, and how what it writes reads back.
 * `T` is what it reads back as: an id (lower-case hex) or the trace flags.
 *
 * @example
 * ```ts
 * const spanIdField: TraceField<string> = { key: 'span_id', write: (sc) => sc.spanId, read: parseSpanId };
 * ```
 */
export interface TraceField<T extends string | number> {
  /** The field's name in a log line. */
  readonly key: string;
  /** The value written for a valid span context whose ids are already lower-case hex. */
  readonly write: (spanContext: SpanContext) => FieldValue;
  /**
   * What a value of this field means — a lower-case id, or the trace flags — or `undefined`
   * for a value the field never holds. Left out when what is written cannot be read back.
   */
  readonly read?: (value: unknown) => T | undefined;
}

/** A profile's fields, by the part of the span context each holds; a part left out is not written. */
export interface ProfileFields {
  readonly traceId?: TraceField<string>;
  readonly spanId?: TraceField<string>;
  readonly traceFlags?: TraceField<number>;
}

/**
 * Reads a record's own field without throwing: the caller's, which decides what a field that
 * cannot be read (a throwing getter) becomes.
 */
export type OwnFieldReader = (record: object, key: string) => unknown;

/** A profile's fields, read back from a record by one of its {@link FieldLayout}s. */
export interface ReadTraceFields {
  /** 32 lower-case hex digits, not all zero. */
  readonly traceId: string;
  /** 16 lower-case hex digits, not all zero. */
  readonly spanId: string;
  /** 0 when the layout has no flags field or its value was unreadable. */
  readonly traceFlags: number;
  /**
   * The layout's `keys` that were read into the span context, as bits (bit i: `keys[i]`):
   * the fields that are no longer attributes. Unreadable flags are not among them.
   */
  readonly consumed: number;
}

/**
 * One way a profile's fields stand in a record, and how they read back into a span context:
 * flat keys as the profile writes them, or, for ECS, nested objects (`{ trace: { id } }`).
 *
 * @example
 * ```ts
 * const read = OTEL_PROFILE.layouts[0]?.read({ trace_id: '4bf9…4736', span_id: '00f0…02b7' }, readOwn);
 * ```
 */
export interface FieldLayout {
  /** The top-level keys read: a record with none of them holds nothing of this layout. */
  readonly keys: readonly string[];
  /**
   * Whether the ids are the `id` members of the objects under `keys` (ECS's nested form):
   * those objects stay attributes, less their ids.
   */
  readonly nested: boolean;
  /** The fields read back, when both ids are valid; else `undefined`. Never throws. */
  read(record: object, readOwn: OwnFieldReader): ReadTraceFields | undefined;
}

/**
 * How one backend names the trace context in a log line, both ways: `keys` and `values` are
 * what is written (one value per key, in the same order), `layouts` how it reads back.
 * Built with {@link fieldProfile} from the profile's fields.
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
  /**
   * The layouts the fields read back from, in order of preference; empty when what the
   * profile writes cannot be read back into a span context.
   */
  readonly layouts: readonly FieldLayout[];
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

/** The names of {@link TraceFieldOptions}, checked against the interface by the compiler. */
export const TRACE_FIELD_OPTION_NAMES: readonly string[] = Object.keys({
  fields: true,
  gcpProjectId: true,
  datadogTraceId: true,
  baggage: true,
  requestId: true,
} satisfies Record<keyof TraceFieldOptions, true>);

/**
 * Builds a profile from its fields: the keys and values it writes in the order trace id, span
 * id, flags, and — when both ids can be read back — the flat layout that reads them.
 *
 * @example
 * ```ts
 * const profile = fieldProfile('custom', { traceId: traceIdField('tid'), spanId: spanIdField('sid') });
 * profile.keys; // ['tid', 'sid']
 * ```
 */
export function fieldProfile(
  name: string,
  fields: ProfileFields,
  more: Pick<FieldProfile, 'copy'> & { readonly alsoReads?: readonly FieldLayout[] } = {},
): FieldProfile {
  const { traceId, spanId, traceFlags } = fields;
  const written = [traceId, spanId, traceFlags].filter((field) => field !== undefined);
  const flat = flatLayout(fields);
  return {
    name,
    keys: written.map((field) => field.key),
    values: (sc) => written.map((field) => field.write(sc)),
    ...(more.copy === undefined ? {} : { copy: more.copy }),
    layouts: [...(flat === undefined ? [] : [flat]), ...(more.alsoReads ?? [])],
  };
}

// Ids and flags as top-level keys, as every profile writes them. The ids are read first and
// the flags only when both ids are valid, in the order the fields were always read (a getter
// runs at most once, in a fixed order). Missing or unreadable flags do not drop the ids: the
// flags are then 0 (W3C: no sampling decision known), and the flags field stays an attribute.
function flatLayout(fields: ProfileFields): FieldLayout | undefined {
  const traceId = readable(fields.traceId);
  const spanId = readable(fields.spanId);
  if (traceId === undefined || spanId === undefined) return undefined;
  const flags = readable(fields.traceFlags);
  const ids = 0b011;
  return {
    keys: flags === undefined ? [traceId.key, spanId.key] : [traceId.key, spanId.key, flags.key],
    nested: false,
    read(record, readOwn) {
      const traceIdRead = traceId.read(readOwn(record, traceId.key));
      const spanIdRead = spanId.read(readOwn(record, spanId.key));
      if (traceIdRead === undefined || spanIdRead === undefined) return undefined;
      const flagsRead = flags?.read(readOwn(record, flags.key));
      return {
        traceId: traceIdRead,
        spanId: spanIdRead,
        traceFlags: flagsRead ?? TraceFlags.NONE,
        consumed: flagsRead === undefined ? ids : ids | 0b100,
      };
    },
  };
}

type Readable<T extends string | number> = TraceField<T> & Required<Pick<TraceField<T>, 'read'>>;

function readable<T extends string | number>(
  field: TraceField<T> | undefined,
): Readable<T> | undefined {
  return field?.read === undefined ? undefined : (field as Readable<T>);
}
