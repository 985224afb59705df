import { TraceFlags, trace } from '@opentelemetry/api';
import type { Context, TextMapGetter, TextMapPropagator, TextMapSetter } from '@opentelemetry/api';
import { InvalidOptionError } from '../core/invalid-option-error.js';
import { readHexId, readSpanContext } from '../core/span-context.js';
import { reportProblem } from '../core/report-problem.js';
import { newSpanId } from './child-span.js';

/** Options of {@link customHeaderPropagator}. */
export interface CustomHeaderPropagatorOptions {
  /** The header that carries the trace id, e.g. `x-trace-id`. */
  readonly traceIdHeader: string;
  /**
   * The header that carries the caller's span id, e.g. `x-span-id`. Without it, or when a
   * request lacks it, a fresh span id stands for the caller's span.
   * @default undefined (no span id header)
   */
  readonly spanIdHeader?: string;
  /**
   * The header that carries the sampling decision: `1` or `true` (sampled), `0` or `false`.
   * @default undefined (no sampling header)
   */
  readonly sampledHeader?: string;
  /**
   * The sampled flag when the request carries no decision.
   * @default true
   */
  readonly sampled?: boolean;
}

const OPTION_NAMES = new Set(['traceIdHeader', 'spanIdHeader', 'sampledHeader', 'sampled']);

// RFC 9110 §5.1: a field name is a token.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * A propagator for a legacy system's own headers, such as `X-Trace-ID` and `X-Span-ID`.
 * Extraction accepts a trace id of 32 hex digits, a UUID (`8-4-4-4-12`, dashes dropped) or 16
 * hex digits (left-padded to 32, as B3 does), and a span id of 16 hex digits, in either case;
 * anything else is ignored with a `diag` message and the context is left as it was. Injection
 * writes the active span's ids as lower-case hex (32 and 16 digits) and the decision as `1` or
 * `0`. Register it by name with `registerPropagator` to use it from `OTEL_PROPAGATORS`.
 *
 * @throws {InvalidOptionError} when an option is missing, misspelt or not a header name.
 * @example
 * ```ts
 * registerPropagator('legacy', customHeaderPropagator({ traceIdHeader: 'X-Trace-ID', spanIdHeader: 'X-Span-ID' }));
 * ```
 */
export function customHeaderPropagator(options: CustomHeaderPropagatorOptions): TextMapPropagator {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidOptionError('options', 'an options object', options);
  }
  for (const key of Object.keys(options)) {
    if (!OPTION_NAMES.has(key)) {
      throw new InvalidOptionError(
        key,
        'one of traceIdHeader, spanIdHeader, sampledHeader, sampled',
        key,
      );
    }
  }
  const traceIdHeader = readHeaderName('traceIdHeader', options.traceIdHeader, true);
  const spanIdHeader = readHeaderName('spanIdHeader', options.spanIdHeader, false);
  const sampledHeader = readHeaderName('sampledHeader', options.sampledHeader, false);
  const names = [traceIdHeader, spanIdHeader, sampledHeader].filter((name) => name !== undefined);
  if (new Set(names).size !== names.length) {
    throw new InvalidOptionError('spanIdHeader', 'header names different from each other', names);
  }
  const sampled: unknown = options.sampled ?? true;
  if (typeof sampled !== 'boolean') throw new InvalidOptionError('sampled', 'a boolean', sampled);
  return new CustomHeaderPropagator(traceIdHeader, spanIdHeader, sampledHeader, sampled);
}

function readHeaderName(option: string, value: unknown, required: true): string;
function readHeaderName(option: string, value: unknown, required: false): string | undefined;
function readHeaderName(option: string, value: unknown, required: boolean): string | undefined {
  if (value === undefined && !required) return undefined;
  if (typeof value === 'string' && TOKEN.test(value)) return value.toLowerCase();
  throw new InvalidOptionError(option, 'an HTTP header name', value);
}

const WHERE = 'extracting ids from custom headers';

class CustomHeaderPropagator implements TextMapPropagator {
  constructor(
    private readonly traceIdHeader: string,
    private readonly spanIdHeader: string | undefined,
    private readonly sampledHeader: string | undefined,
    private readonly sampled: boolean,
  ) {}

  inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
    const spanContext = readSpanContext(context);
    if (spanContext === undefined) return;
    setter.set(carrier, this.traceIdHeader, spanContext.traceId.toLowerCase());
    if (this.spanIdHeader !== undefined) {
      setter.set(carrier, this.spanIdHeader, spanContext.spanId.toLowerCase());
    }
    if (this.sampledHeader !== undefined) {
      const sampled = (spanContext.traceFlags & 1) === 1; // W3C sampled bit
      setter.set(carrier, this.sampledHeader, sampled ? '1' : '0');
    }
  }

  extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    const rawTraceId = readOne(getter.get(carrier, this.traceIdHeader));
    if (rawTraceId === undefined) return context;
    const traceId = readTraceId(rawTraceId);
    if (traceId === undefined) {
      reportProblem(WHERE, 'ignored a trace id that is not 32 hex digits, a UUID or 16 hex digits');
      return context;
    }
    let spanId: string | undefined;
    if (this.spanIdHeader !== undefined) {
      const raw = readOne(getter.get(carrier, this.spanIdHeader));
      spanId = raw === undefined ? undefined : readHexId(raw, 16);
      if (raw !== undefined && spanId === undefined) {
        reportProblem(WHERE, 'ignored the ids: the span id is not 16 hex digits');
        return context;
      }
    }
    const decision = this.readSampled(carrier, getter);
    return trace.setSpanContext(context, {
      traceId,
      spanId: spanId ?? newSpanId(),
      traceFlags: (decision ?? this.sampled) ? TraceFlags.SAMPLED : TraceFlags.NONE,
      isRemote: true,
    });
  }

  fields(): string[] {
    return [this.traceIdHeader, this.spanIdHeader, this.sampledHeader].filter(
      (name): name is string => name !== undefined,
    );
  }

  private readSampled(carrier: unknown, getter: TextMapGetter): boolean | undefined {
    if (this.sampledHeader === undefined) return undefined;
    const value = readOne(getter.get(carrier, this.sampledHeader))?.toLowerCase();
    if (value === '1' || value === 'true') return true;
    if (value === '0' || value === 'false') return false;
    return undefined;
  }
}

// A repeated header is ambiguous unless every copy says the same.
function readOne(value: string | string[] | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value.trim();
  const distinct = new Set(value.map((item) => item.trim()));
  return distinct.size === 1 ? [...distinct][0] : undefined;
}

function readTraceId(raw: string): string | undefined {
  if (raw.length === 36 && isUuidShape(raw)) return readHexId(raw.replaceAll('-', ''), 32);
  if (raw.length === 16) {
    const low = readHexId(raw, 16);
    return low === undefined ? undefined : `0000000000000000${low}`;
  }
  return readHexId(raw, 32);
}

function isUuidShape(raw: string): boolean {
  return raw[8] === '-' && raw[13] === '-' && raw[18] === '-' && raw[23] === '-';
}
