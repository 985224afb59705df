import type { SeverityNumber } from '@opentelemetry/api-logs';
import { InvalidOptionError } from '../../src/core/invalid-option-error.js';
import type { ValueLimits } from './values.js';

/**
 * Validates an optional integer option within `[min, max]`, falling back to `fallback`.
 *
 * @throws {InvalidOptionError} when the value is not such an integer.
 * @example
 * ```ts
 * resolveInteger('maxDepth', undefined, 32, 1, 1000); // 32
 * ```
 */
export function resolveInteger(
  option: string,
  value: unknown,
  fallback: number,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (value === undefined) return fallback;
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) {
    return value;
  }
  throw new InvalidOptionError(option, `an integer from ${min} to ${max}`, value);
}

/**
 * Whether `value` is a non-null, non-array object (an options record).
 *
 * @example
 * ```ts
 * isRecord({}); // true
 * isRecord([]); // false
 * ```
 */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Options shared by `resolvePinoMapping` and `resolveWinstonMapping`.
 *
 * @example
 * ```ts
 * const options: CommonMappingOptions = { flattenAttributes: true, maxStringLength: 65_536 };
 * ```
 */
export interface CommonMappingOptions {
  /**
   * Level name → SeverityNumber (0–24), winning over the built-in mapping. For a pino level
   * without a name, the key is the number as a string (`"35"`).
   * @default {}
   */
  readonly severityOverrides?: Readonly<Record<string, SeverityNumber>>;
  /**
   * Write nested objects as dotted keys (`{ a: { b: 1 } }` → `a.b: 1`) instead of maps, for
   * backends that index only flat attributes. Arrays stay arrays.
   * @default false
   */
  readonly flattenAttributes?: boolean;
  /**
   * Give each record a `log.record.uid` attribute (semantic conventions): a ULID made when the
   * record is mapped, so every retry of its batch carries the same one and a backend can drop
   * the copies a retry made (a collector slower than `timeoutMillis` answers a request that
   * was already sent again). A record read back from a disk spool by a later process is
   * mapped anew and gets a new one.
   * @default false
   */
  readonly recordUid?: boolean;
  /**
   * Longest string (UTF-16 code units) or byte array kept; longer ones are cut and suffixed
   * `…[truncated N chars]`.
   * @default 1_048_576
   */
  readonly maxStringLength?: number;
  /**
   * Deepest nesting of objects and arrays kept (an attribute's value is level 1); deeper
   * ones become `"[Truncated: depth]"`. At most 1000, to stay far from the stack limit.
   * @default 32
   */
  readonly maxDepth?: number;
}

/**
 * {@link CommonMappingOptions}, validated, with the defaults filled in.
 *
 * @example
 * ```ts
 * const { limits, flattenAttributes } = resolveCommonMapping({});
 * ```
 */
export interface ResolvedCommonMapping {
  readonly severityOverrides: ReadonlyMap<string, SeverityNumber>;
  readonly flattenAttributes: boolean;
  readonly recordUid: boolean;
  readonly limits: ValueLimits;
}

/**
 * Upper bound of `maxDepth`: the mapping recurses once per level, and 1000 levels stay far
 * from V8's stack limit.
 *
 * @example
 * ```ts
 * resolveCommonMapping({ maxDepth: MAX_DEPTH_LIMIT }); // the deepest allowed
 * ```
 */
export const MAX_DEPTH_LIMIT = 1000;

/**
 * Validates the shared options once, at construction.
 *
 * @throws {InvalidOptionError} when an option is invalid.
 * @example
 * ```ts
 * const common = resolveCommonMapping({ maxDepth: 8 });
 * common.limits; // { maxStringLength: 1048576, maxDepth: 8 }
 * ```
 */
export function resolveCommonMapping(options: CommonMappingOptions): ResolvedCommonMapping {
  const flatten = options.flattenAttributes ?? false;
  if (typeof flatten !== 'boolean') {
    throw new InvalidOptionError('flattenAttributes', 'a boolean', flatten);
  }
  const recordUid = options.recordUid ?? false;
  if (typeof recordUid !== 'boolean') {
    throw new InvalidOptionError('recordUid', 'a boolean', recordUid);
  }
  return {
    severityOverrides: resolveOverrides(options.severityOverrides),
    flattenAttributes: flatten,
    recordUid,
    limits: {
      maxStringLength: resolveInteger('maxStringLength', options.maxStringLength, 1_048_576, 1),
      maxDepth: resolveInteger('maxDepth', options.maxDepth, 32, 1, MAX_DEPTH_LIMIT),
    },
  };
}

// SeverityNumber.UNSPECIFIED and FATAL4, as numbers: the pino transport's options are also
// checked on the app's thread (validatePinoOtlpOptions), which need not load api-logs for them.
const LOWEST_SEVERITY = 0;
const HIGHEST_SEVERITY = 24;

function resolveOverrides(value: unknown): ReadonlyMap<string, SeverityNumber> {
  if (value === undefined) return new Map();
  if (!isRecord(value)) {
    throw new InvalidOptionError('severityOverrides', 'an object of level name → 0–24', value);
  }
  const overrides = new Map<string, SeverityNumber>();
  for (const [name, severity] of Object.entries(value)) {
    if (
      typeof severity !== 'number' ||
      !Number.isInteger(severity) ||
      severity < LOWEST_SEVERITY ||
      severity > HIGHEST_SEVERITY
    ) {
      throw new InvalidOptionError(
        `severityOverrides.${name}`,
        'an integer from 0 to 24',
        severity,
      );
    }
    overrides.set(name, severity);
  }
  return overrides;
}
