import { context } from '@opentelemetry/api';
import type { DestinationStream } from 'pino';
import { InvalidOptionError } from '../core/invalid-option-error.js';
import { traceIdOf } from './active-trace.js';
import { TraceBuffer } from './trace-buffer.js';
import type { TraceBufferStats } from './trace-buffer.js';
import { resolveTraceBufferOptions } from './trace-buffer-options.js';
import type { TraceBufferOptions } from './trace-buffer-options.js';
import { PINO_SCALE } from './trace-aware-options.js';

// pino sets lastLevel, lastObj, lastMsg, lastTime and lastLogger on a stream marked with this
// before each write (lib/proto.js `write`), as for its own multistream.
const METADATA = Symbol.for('pino.metadata');

/** Options of {@link pinoTraceBuffer}: levels by pino name (`'debug'`) or number. */
export type PinoTraceBufferOptions = TraceBufferOptions<string | number>;

/** A pino destination that holds a request's debug lines until it knows how it ended. */
export interface PinoTraceBuffer extends DestinationStream {
  /** What it holds now and every line it did not write, counted. */
  stats(): TraceBufferStats;
  /** pino's `logger.flush()`: passed on to the destination (held lines stay held). */
  flush(callback?: (error?: Error | null) => void): void;
  /** Passed on to the destination, when it has one. */
  flushSync(): void;
  /** Discards what is held (counted), stops listening and ends the destination. */
  end(): void;
}

interface HeldLine {
  readonly line: string;
  readonly level: number;
}

type Destination = DestinationStream & {
  [METADATA]?: boolean;
  lastLevel?: unknown;
  lastObj?: unknown;
  lastMsg?: unknown;
  lastTime?: unknown;
  lastLogger?: unknown;
  flush?: (callback: (error?: Error | null) => void) => void;
  flushSync?: () => void;
  end?: () => void;
  emit?: (event: string | symbol, ...args: unknown[]) => boolean;
};

/**
 * Wraps a pino destination — `pino.destination()`, `process.stdout`, a `pino.transport(…)`
 * stream such as tracelink's OTLP transport, a multistream — so that inside a request that
 * tracelink traces (`traceRequests`, `traceMiddleware`, `fastifyTracePlugin`,
 * `withConsumerSpan`), lines at `holdLevel` and below are held in memory instead of written.
 * When a line at `flushLevel` or above is logged in that trace, or the request ends failed (a
 * thrown or rejected handler, an HTTP 5xx, a response cut off), the held lines are written
 * first, in order, as pino serialised them — with their own `time`; the trace's later lines
 * are written at once. When the request ends cleanly they are discarded and counted. Lines
 * outside such a request, and lines between the two levels, are written at once. The
 * logger's own `level` must let the held levels through (`level: 'debug'`).
 *
 * Held lines are bounded per trace (`maxTraceBytes`) and in total (`maxBytes`), oldest
 * dropped first, and by age (`maxAgeMs`); every line not written is counted in `stats()`.
 *
 * @throws {InvalidOptionError} when `destination` has no `write` or an option is invalid.
 * @example
 * ```ts
 * import pino from 'pino';
 * import { pinoMixin, pinoTraceBuffer } from 'tracelink/pino';
 *
 * const logger = pino({ level: 'debug', mixin: pinoMixin() }, pinoTraceBuffer(pino.destination(1)));
 * ```
 */
export function pinoTraceBuffer(
  destination: DestinationStream,
  options: PinoTraceBufferOptions = {},
): PinoTraceBuffer {
  if (typeof (destination as { write?: unknown } | null)?.write !== 'function') {
    throw new InvalidOptionError('destination', 'a stream with a write method', destination);
  }
  const resolved = resolveTraceBufferOptions(options, PINO_SCALE);
  return new TraceBufferDestination(
    destination,
    resolved.holdRank,
    resolved.flushRank,
    (held) => new TraceBuffer<HeldLine>(resolved.limits, held),
  );
}

class TraceBufferDestination implements PinoTraceBuffer {
  readonly [METADATA] = true;
  lastLevel: unknown = 0;
  lastObj: unknown = undefined;
  lastMsg: unknown = undefined;
  lastTime: unknown = undefined;
  lastLogger: unknown = undefined;
  readonly #destination: Destination;
  readonly #holdRank: number;
  readonly #flushRank: number;
  readonly #buffer: TraceBuffer<HeldLine>;
  readonly #passMetadata: boolean;

  constructor(
    destination: Destination,
    holdRank: number,
    flushRank: number,
    makeBuffer: (write: (held: HeldLine) => void) => TraceBuffer<HeldLine>,
  ) {
    this.#destination = destination;
    this.#holdRank = holdRank;
    this.#flushRank = flushRank;
    this.#passMetadata = destination[METADATA] === true;
    this.#buffer = makeBuffer((held) => this.#writeHeld(held));
  }

  write(line: string): boolean {
    const level = this.lastLevel;
    // Only lines at the two ends look up their trace, and only while a request is open.
    if (
      typeof level === 'number' &&
      (level <= this.#holdRank || level >= this.#flushRank) &&
      this.#buffer.watching
    ) {
      const traceId = traceIdOf(context.active());
      if (traceId !== undefined) {
        if (level >= this.#flushRank) this.#buffer.fail(traceId);
        else if (this.#buffer.hold(traceId, { line, level }, line.length)) return true;
      }
    }
    const destination = this.#destination;
    if (this.#passMetadata) {
      destination.lastLevel = level;
      destination.lastObj = this.lastObj;
      destination.lastMsg = this.lastMsg;
      destination.lastTime = this.lastTime;
      destination.lastLogger = this.lastLogger;
    }
    return destination.write(line) as unknown as boolean;
  }

  stats(): TraceBufferStats {
    return this.#buffer.stats();
  }

  flush(callback: (error?: Error | null) => void = noop): void {
    if (typeof this.#destination.flush === 'function') this.#destination.flush(callback);
    else callback();
  }

  flushSync(): void {
    this.#destination.flushSync?.();
  }

  end(): void {
    this.#buffer.close();
    this.#destination.end?.();
  }

  /** pino tells its stream its levels and keys (`PINO_CONFIG`): the destination needs them. */
  emit(event: string | symbol, ...args: unknown[]): boolean {
    return this.#destination.emit?.(event, ...args) ?? false;
  }

  #writeHeld(held: HeldLine): void {
    if (this.#passMetadata) this.#destination.lastLevel = held.level;
    this.#destination.write(held.line);
  }
}

function noop(): void {}
