/**
 * Why the in-process mode did not hand a record to the app's logs SDK. `hold-full`: logged
 * while no `LoggerProvider` was registered, past `maxHeldRecords`; `no-provider-at-exit`: still
 * held when the process exited (or the transport closed) without one; `emit-failed`: the
 * SDK's `Logger.emit` threw; `sdk-disabled`: logged while no provider was registered and
 * `OTEL_SDK_DISABLED` is `true` (the SDK will not start: nothing is held for it).
 */
export const OTEL_LOGS_DROP_REASONS = [
  'hold-full',
  'no-provider-at-exit',
  'emit-failed',
  'sdk-disabled',
] as const;

/** One of {@link OTEL_LOGS_DROP_REASONS}. */
export type OtelLogsDropReason = (typeof OTEL_LOGS_DROP_REASONS)[number];

/**
 * The counts of a `WinstonOtelLogsTransport` or `pinoOtelLogsDestination`. Every record it
 * received is, at any moment, emitted, held, left to the instrumentation or dropped:
 * `received = emitted + held + leftToInstrumentation + Σ dropped`. What happens to an emitted
 * record next is the SDK's: its processors count that (`QueuedLogRecordProcessor#stats()`).
 *
 * @example
 * ```ts
 * const { received, emitted, held, dropped } = transport.stats();
 * ```
 */
export interface OtelLogsStats {
  /** Records the logger handed over. */
  readonly received: number;
  /** Records handed to the registered `LoggerProvider`'s logger. */
  readonly emitted: number;
  /** Records waiting for a `LoggerProvider` to be registered. */
  readonly held: number;
  /**
   * Records not emitted because `@opentelemetry/instrumentation-pino` or `-winston` sends the
   * same logger's records itself (reported once through `diag`): emitting them too would
   * send each twice.
   */
  readonly leftToInstrumentation: number;
  /** Records not emitted, by reason. */
  readonly dropped: Readonly<Record<OtelLogsDropReason, number>>;
}

/** The mutable counters behind {@link OtelLogsStats}. */
export class OtelLogsCounters {
  received = 0;
  emitted = 0;
  held = 0;
  leftToInstrumentation = 0;
  readonly dropped: Record<OtelLogsDropReason, number> = {
    'hold-full': 0,
    'no-provider-at-exit': 0,
    'emit-failed': 0,
    'sdk-disabled': 0,
  };

  /** The counts now, as a copy. */
  snapshot(): OtelLogsStats {
    const { received, emitted, held, leftToInstrumentation } = this;
    return { received, emitted, held, leftToInstrumentation, dropped: { ...this.dropped } };
  }
}
