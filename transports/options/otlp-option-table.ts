import type { AttributeValue } from '@opentelemetry/api';
import { InvalidOptionError } from '../../src/core/invalid-option-error.js';
import type { CustomFieldNames, FieldProfileName } from '../../src/fields/field-profile.js';
import { resolveFieldLayouts } from '../../src/fields/resolve-field-profile.js';
import type {
  OtlpExportOptions,
  OtlpProtocol,
  QueueFullPolicy,
  SpoolOptions,
} from './otlp-options.js';

/**
 * Environment variables that stand in for an option the user did not give.
 *
 * @example
 * ```ts
 * const fallback: EnvFallback<number> = { names: ['OTEL_BLRP_SCHEDULE_DELAY'], read: Number };
 * ```
 */
export interface EnvFallback<T> {
  /** The variables, most specific first: the first one set (not blank) decides. */
  readonly names: readonly string[];
  /** A set variable's (trimmed) value, or `undefined` when it is invalid: the default applies. */
  readonly read: (value: string) => T | undefined;
}

/**
 * One option of {@link OtlpExportOptions}: how a given value is checked, what stands in for
 * it when it is not given, and its default.
 *
 * @typeParam T - What the option takes.
 * @example
 * ```ts
 * const spec: OptionSpec<number> = { check: positiveNumber, default: 5000 };
 * ```
 */
export interface OptionSpec<T> {
  /**
   * A given value, checked: returned as it is, or an {@link InvalidOptionError} naming the
   * option, what it takes and what was given. A given value always wins over the environment.
   */
  readonly check: (value: unknown, option: string) => T;
  /**
   * Variables the resolver reads when the option is not given. An invalid value falls back
   * to the default, as the OpenTelemetry SDKs treat environment variables.
   */
  readonly env?: EnvFallback<T>;
  /**
   * Variables that the official exporter or the SDK's resource read themselves when the
   * option is not given — it then stays `undefined` (its `default`) for them to apply.
   */
  readonly exporterEnv?: readonly string[];
  /** The value when neither the option nor a variable gives one. */
  readonly default: T | undefined;
}

const PROTOCOLS: readonly OtlpProtocol[] = ['http/protobuf', 'http/json', 'grpc'];
const EXPORTERS = ['otlp', 'console', 'none'] as const;

/**
 * Every OTLP transport option, once: the resolver (resolve-otlp-options.ts) and the list of
 * options that cross to the winston transport's worker ({@link workerOptionsOf}) are derived
 * from it. The compiler holds it to {@link OtlpExportOptions}, both ways: an option of the
 * interface without a row here, or a row for no option there, does not compile. The
 * interface stays what users read (TSDoc, `@default`); a unit test checks that its TSDoc
 * names every variable of the row.
 *
 * @example
 * ```ts
 * OTLP_OPTIONS.scheduledDelayMillis.env?.names; // ['OTEL_BLRP_SCHEDULE_DELAY']
 * ```
 */
export const OTLP_OPTIONS = {
  endpoint: {
    check: nonEmptyString,
    exporterEnv: ['OTEL_EXPORTER_OTLP_LOGS_ENDPOINT', 'OTEL_EXPORTER_OTLP_ENDPOINT'],
    default: undefined,
  },
  protocol: {
    check: oneOf(PROTOCOLS),
    env: {
      names: ['OTEL_EXPORTER_OTLP_LOGS_PROTOCOL', 'OTEL_EXPORTER_OTLP_PROTOCOL'],
      read: (value) => PROTOCOLS.find((protocol) => protocol === value),
    },
    default: 'http/protobuf',
  },
  headers: {
    check: stringRecord,
    exporterEnv: ['OTEL_EXPORTER_OTLP_LOGS_HEADERS', 'OTEL_EXPORTER_OTLP_HEADERS'],
    default: undefined,
  },
  compression: {
    check: oneOf(['gzip', 'none'] as const),
    exporterEnv: ['OTEL_EXPORTER_OTLP_LOGS_COMPRESSION', 'OTEL_EXPORTER_OTLP_COMPRESSION'],
    default: undefined,
  },
  timeoutMillis: {
    check: positiveNumber,
    exporterEnv: ['OTEL_EXPORTER_OTLP_LOGS_TIMEOUT', 'OTEL_EXPORTER_OTLP_TIMEOUT'],
    default: undefined,
  },
  serviceName: { check: nonEmptyString, exporterEnv: ['OTEL_SERVICE_NAME'], default: undefined },
  resource: {
    check: attributeRecord,
    exporterEnv: ['OTEL_RESOURCE_ATTRIBUTES'],
    default: Object.freeze({}),
  },
  maxQueueSize: {
    check: positiveNumber,
    env: positiveNumberFrom('OTEL_BLRP_MAX_QUEUE_SIZE'),
    default: 2048,
  },
  // At most maxQueueSize: resolveOtlpOptions caps it, as the specification says.
  maxExportBatchSize: {
    check: positiveNumber,
    env: positiveNumberFrom('OTEL_BLRP_MAX_EXPORT_BATCH_SIZE'),
    default: 512,
  },
  // Below the collector's default limits, with room for the request's resource and scope: an
  // OTLP/gRPC message of 4 MiB (4,194,304 bytes), an OTLP/HTTP body of 20 MiB.
  maxExportBatchBytes: { check: positiveNumber, default: 4_000_000 },
  scheduledDelayMillis: {
    check: positiveNumber,
    env: positiveNumberFrom('OTEL_BLRP_SCHEDULE_DELAY'),
    default: 1000,
  },
  maxConcurrentExports: { check: positiveNumber, default: 2 },
  maxBufferedBytes: { check: positiveNumber, default: 32 * 1024 * 1024 },
  whenFull: { check: oneOf<QueueFullPolicy>(['wait', 'drop']), default: 'drop' },
  exitBudgetMillis: { check: positiveNumber, default: 5000 },
  // `maxBytes` is defaulted where the spool is made (DEFAULT_SPOOL_MAX_BYTES): a check returns
  // what it was given.
  spool: { check: spoolOptions, default: undefined },
  exporter: {
    check: oneOf(EXPORTERS),
    env: {
      names: ['OTEL_LOGS_EXPORTER'],
      // A list; the transports ship to one destination: the first known one.
      read: (value) => {
        const listed = value.split(',').map((name) => name.trim());
        return listed.find((name) => isOneOf(name, EXPORTERS));
      },
    },
    default: 'otlp',
  },
  disabled: {
    check: boolean,
    // Only the string `true`, in any case, is true (the specification's boolean variables).
    env: { names: ['OTEL_SDK_DISABLED'], read: (value) => value.toLowerCase() === 'true' },
    default: false,
  },
  fields: { check: traceFieldNames, default: undefined },
} as const satisfies {
  readonly [K in keyof OtlpExportOptions]-?: OptionSpec<NonNullable<OtlpExportOptions[K]>>;
};

/**
 * The name of every OTLP option, in the table's order.
 *
 * @example
 * ```ts
 * OTLP_OPTION_NAMES.includes('endpoint'); // true
 * ```
 */
export const OTLP_OPTION_NAMES = Object.keys(OTLP_OPTIONS) as readonly (keyof OtlpExportOptions)[];

/**
 * The OTLP options among a transport's options: every option but the transport's own
 * (`ownOptions`, e.g. winston's `level` and `format`). Names that are neither stay, so that
 * `resolveOtlpOptions` rejects them.
 *
 * @example
 * ```ts
 * otlpOptionsOf({ level: 'info', endpoint: 'http://c:4318/v1/logs' }, { level: true }); // { endpoint: … }
 * ```
 */
export function otlpOptionsOf(
  options: object,
  ownOptions: Readonly<Record<string, true>>,
): OtlpExportOptions {
  const otlp: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(options)) {
    if (!Object.hasOwn(ownOptions, name)) otlp[name] = value;
  }
  return otlp;
}

/**
 * The OTLP options as they cross to a worker thread: every option of the table, and only
 * those (a transport's own options may hold functions), as plain data — through JSON, since
 * only that can be posted to a worker.
 *
 * @example
 * ```ts
 * workerOptionsOf({ level: 'info', format, endpoint: 'http://c:4318/v1/logs' }); // { endpoint: … }
 * ```
 */
export function workerOptionsOf(options: OtlpExportOptions): OtlpExportOptions {
  const picked: Record<string, unknown> = {};
  for (const name of OTLP_OPTION_NAMES) picked[name] = options[name];
  return JSON.parse(JSON.stringify(picked)) as OtlpExportOptions;
}

// The checks the rows share. Each throws InvalidOptionError(option, what it takes, what came).

function positiveNumber(value: unknown, option: string): number {
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return value;
  throw new InvalidOptionError(option, 'a positive number', value);
}

function positiveNumberFrom(name: string): EnvFallback<number> {
  return {
    names: [name],
    read: (value) => {
      const parsed = Number(value);
      return Number.isFinite(parsed) && parsed > 0 ? parsed : undefined;
    },
  };
}

function nonEmptyString(value: unknown, option: string): string {
  if (typeof value === 'string' && value.trim() !== '') return value;
  throw new InvalidOptionError(option, 'a non-empty string', value);
}

function boolean(value: unknown, option: string): boolean {
  if (typeof value === 'boolean') return value;
  throw new InvalidOptionError(option, 'true or false', value);
}

function isOneOf<T extends string>(value: unknown, allowed: readonly T[]): value is T {
  return (allowed as readonly unknown[]).includes(value);
}

function oneOf<T extends string>(allowed: readonly T[]): (value: unknown, option: string) => T {
  const expected = allowed.map((a) => `'${a}'`).join(' or ');
  return (value, option) => {
    if (isOneOf(value, allowed)) return value;
    throw new InvalidOptionError(option, expected, value);
  };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Headers (gRPC metadata) are copied entry by entry: a string would become one header per
// character, a number an invalid header value.
function stringRecord(value: unknown, option: string): Readonly<Record<string, string>> {
  if (isPlainObject(value)) {
    const entry = Object.entries(value).find(([, v]) => typeof v !== 'string');
    if (entry === undefined) return value as Record<string, string>;
    throw new InvalidOptionError(`${option}.${entry[0]}`, 'a string', entry[1]);
  }
  throw new InvalidOptionError(option, 'an object of name → string', value);
}

// The attribute values themselves are the SDK's to check (it drops invalid ones, with a diag
// warning); a string or an array would be spread into one attribute per character or index.
function attributeRecord(value: unknown, option: string): Readonly<Record<string, AttributeValue>> {
  if (isPlainObject(value)) return value as Record<string, AttributeValue>;
  throw new InvalidOptionError(option, 'an object of attribute name → value', value);
}

/** The spool's `maxBytes` when not given: 256 MiB. */
export const DEFAULT_SPOOL_MAX_BYTES = 256 * 1024 * 1024;

function spoolOptions(value: unknown, option: string): SpoolOptions {
  if (!isPlainObject(value)) {
    throw new InvalidOptionError(option, 'an object { directory, maxBytes? }', value);
  }
  for (const [name, given] of Object.entries(value)) {
    if (name !== 'directory' && name !== 'maxBytes') {
      throw new InvalidOptionError(`${option}.${name}`, "'directory' or 'maxBytes'", given);
    }
  }
  nonEmptyString(value.directory, `${option}.directory`);
  if (value.maxBytes !== undefined) positiveNumber(value.maxBytes, `${option}.maxBytes`);
  return value as unknown as SpoolOptions;
}

function traceFieldNames(value: unknown): FieldProfileName | CustomFieldNames {
  resolveFieldLayouts(value); // throws InvalidOptionError naming `fields` or `fields.<part>`
  return value as FieldProfileName | CustomFieldNames;
}
