import { SpanStatusCode, trace } from '@opentelemetry/api';
import type { Context, Exception } from '@opentelemetry/api';
import { reportProblem } from './report-problem.js';

/** What error-level lines did to their spans since the process started (`markSpanOnError`). */
export interface ErrorSpanStats {
  /** Error-level lines that set their span's status to ERROR (and recorded its exception). */
  readonly marked: number;
  /**
   * Error-level lines whose span was not recording — none active, lightweight mode (no SDK),
   * not sampled, or already ended — so nothing was marked.
   */
  readonly notRecording: number;
  /** Error-level lines whose span threw when marked (reported through `diag`). */
  readonly failed: number;
}

type Counts = { -readonly [K in keyof ErrorSpanStats]: number };

// On globalThis under a Symbol.for key: the ESM and CommonJS builds count into one place.
const SLOT = Symbol.for('tracelink.error-span-counts');
const holder = globalThis as { [SLOT]?: Counts };
const counts: Counts = (holder[SLOT] ??= { marked: 0, notRecording: 0, failed: 0 });

/**
 * The counts of `markSpanOnError` since the process started: spans marked, lines whose span
 * was not recording, failures. A snapshot; never throws.
 *
 * @example
 * ```ts
 * import { errorSpanStats } from 'tracelink';
 *
 * console.log(errorSpanStats()); // { marked: 3, notRecording: 0, failed: 0 }
 * ```
 */
export function errorSpanStats(): ErrorSpanStats {
  return { marked: counts.marked, notRecording: counts.notRecording, failed: counts.failed };
}

/**
 * Whether `value` is a live `Error` — also one from another realm (a `vm` context or a
 * worker), which `instanceof` misses but whose brand `Object.prototype.toString` still shows.
 * Never throws. Shared by `markSpanOnError` and the OTLP record mapping.
 *
 * @example
 * ```ts
 * isLiveError(new TypeError('x')); // true
 * isLiveError({ message: 'x' }); // false
 * ```
 */
export function isLiveError(value: unknown): value is Error {
  if (typeof value !== 'object' || value === null) return false;
  try {
    return value instanceof Error || Object.prototype.toString.call(value) === '[object Error]';
  } catch {
    return false; // a Proxy whose getPrototypeOf trap throws is not an error we can read
  }
}

/**
 * Marks the span of `ctx` as failed for an error-level line: records `error` (when the line
 * logged one) as an `exception` event — `exception.type`, `exception.message`,
 * `exception.stacktrace`, as the SDK's `recordException` writes them — and sets the span's
 * status to ERROR with the error's message. A span that is not recording (no SDK, not
 * sampled, ended) is left alone, counted. Never throws.
 *
 * @example
 * ```ts
 * if (level >= 50) markErrorSpan(context.active(), mergeObject.err);
 * ```
 */
export function markErrorSpan(ctx: Context, error: Exception | undefined): void {
  try {
    const span = trace.getSpan(ctx);
    if (span === undefined || !span.isRecording()) {
      counts.notRecording++;
      return;
    }
    if (error !== undefined) span.recordException(error);
    const message = typeof error === 'string' ? error : error?.message;
    span.setStatus(
      message === undefined
        ? { code: SpanStatusCode.ERROR }
        : { code: SpanStatusCode.ERROR, message: String(message) },
    );
    counts.marked++;
  } catch (problem) {
    counts.failed++;
    reportProblem('marking the span of an error line', 'the span is left as it was', problem);
  }
}
