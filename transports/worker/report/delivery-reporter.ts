import { diag } from '@opentelemetry/api';
import type { OtlpProtocol } from '../../options/otlp-options.js';
import { writeStderrLine } from '../../stderr.js';
import type { DeliveryStats } from './delivery-stats.js';
import { describeExportFailure, httpStatusOf, logsPathSuggestion } from './export-failure.js';

/**
 * How often a summary is printed while exports fail: often enough that an operator sees the
 * failure go on, seldom enough that a day-long outage costs some 1,440 lines.
 */
export const SUMMARY_INTERVAL_MILLIS = 60_000;

/** How a line is written: stderr and `diag` (tests take them). */
export type ReportWriter = (line: string, level: 'error' | 'warn' | 'info') => void;

const toStderrAndDiag: ReportWriter = (line, level) => {
  writeStderrLine(line);
  diag[level](line);
};

/** Options of {@link DeliveryReporter}. */
export interface DeliveryReporterOptions {
  /** Where records go, credentials redacted. */
  readonly destination: string;
  readonly protocol: OtlpProtocol;
  readonly stats: DeliveryStats;
  /** @default SUMMARY_INTERVAL_MILLIS */
  readonly intervalMillis?: number;
  /** @default stderr and diag */
  readonly write?: ReportWriter;
}

/**
 * Says on stderr (and through `diag`), while the app runs, when delivery fails and when it
 * works again: the first failed export at once — what failed, why, where, what happens to
 * its records —, then a summary every {@link SUMMARY_INTERVAL_MILLIS} while exports keep
 * failing, and a line when one succeeds again. Records a collector's answer rejected (partial
 * success) are reported at once too, then at most once an interval. A failure that comes
 * back within an interval of the last line does not start a new series of lines: the next
 * summary counts it. The summary's timer never keeps the process alive.
 *
 * @example
 * ```ts
 * const reporter = new DeliveryReporter({ destination, protocol: 'http/protobuf', stats });
 * reporter.exportFailed(new OTLPExporterError('Unauthorized', 401), 512, false);
 * // tracelink: exporting logs to http://collector:4318/v1/logs failed: HTTP 401 Unauthorized; …
 * ```
 */
export class DeliveryReporter {
  private readonly intervalMillis: number;
  private readonly write: ReportWriter;
  private timer: NodeJS.Timeout | undefined;
  private failingSince = 0;
  /** Whether this failure's first line was printed: then its recovery is too. */
  private announced = false;
  /** Failed exports not yet in a printed line. */
  private unreportedFailures = 0;
  private lastFailure = '';
  private reportedRejections = 0;
  private lastRejectionLineAt = -Infinity;
  private stopped = false;

  constructor(private readonly options: DeliveryReporterOptions) {
    this.intervalMillis = options.intervalMillis ?? SUMMARY_INTERVAL_MILLIS;
    this.write = options.write ?? toStderrAndDiag;
  }

  /**
   * An export failed (after the exporter's own retries): its `records` are retried later
   * (`retried`) or were dropped and counted as rejected.
   */
  exportFailed(error: unknown, records: number, retried: boolean): void {
    if (this.stopped) return;
    const { stats, destination, protocol } = this.options;
    this.lastFailure = describeExportFailure(error, protocol);
    this.unreportedFailures++;
    if (stats.failing) return;
    stats.failing = true;
    this.failingSince = Date.now();
    // Within an interval of the last line (a collector that fails now and then): the next
    // summary says it.
    this.announced = this.timer === undefined;
    if (!this.announced) return;
    this.unreportedFailures = 0;
    const fate = retried
      ? `its ${count(records, 'record')} kept and sent again`
      : `its ${count(records, 'record')} dropped (counted as rejected: sending again cannot help)`;
    let hint = '';
    if (httpStatusOf(error, protocol) === 404) {
      const suggestion = logsPathSuggestion(destination);
      if (suggestion !== undefined) hint = ` — did you mean ${suggestion}?`;
    }
    this.write(
      `tracelink: exporting logs to ${destination} failed: ${this.lastFailure}${hint}; ${fate}. ` +
        `While exports fail, a summary follows every ${seconds(this.intervalMillis)}.`,
      'error',
    );
    this.startTimer();
  }

  /** An export succeeded. */
  exportSucceeded(): void {
    const { stats, destination } = this.options;
    if (this.stopped || !stats.failing) return;
    stats.failing = false;
    if (!this.announced) return;
    const failed = this.unreportedFailures;
    this.unreportedFailures = 0;
    const also =
      failed === 0 ? '' : ` (${count(failed, 'more failed request')} since the last line)`;
    this.write(
      `tracelink: exporting logs to ${destination} works again, after ` +
        `${seconds(Date.now() - this.failingSince)}${also}; ${this.holding()}`,
      'info',
    );
  }

  /** A collector's answer said it rejected `count` records of a request (partial success). */
  recordsRejected(rejected: number, message: string | undefined): void {
    if (this.stopped) return;
    const now = Date.now();
    if (now - this.lastRejectionLineAt < this.intervalMillis) return;
    const { stats, destination } = this.options;
    const total = stats.dropped.rejected;
    const first = this.reportedRejections === 0;
    this.reportedRejections = total;
    this.lastRejectionLineAt = now;
    const why = message === undefined || message === '' ? '' : ` (${message})`;
    this.write(
      first
        ? `tracelink: the collector at ${destination} rejected ${count(rejected, 'record')} of a ` +
            `request${why}; they are dropped and counted as rejected`
        : `tracelink: the collector at ${destination} has rejected ${count(total, 'record')} in ` +
            `all, the last ${rejected} of a request${why}; they are dropped and counted as rejected`,
      'warn',
    );
  }

  /** Stops the summaries: the transport is closing, and its exit report says the rest. */
  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private startTimer(): void {
    this.timer = setInterval(() => this.summarize(), this.intervalMillis);
    // The summaries must not keep an app (or pino's worker) alive.
    this.timer.unref();
  }

  private summarize(): void {
    const { stats, destination } = this.options;
    const failed = this.unreportedFailures;
    this.unreportedFailures = 0;
    if (stats.failing) {
      this.announced = true; // its recovery is reported
      this.write(
        `tracelink: exporting logs to ${destination} still fails, for ` +
          `${seconds(Date.now() - this.failingSince)}: ${count(failed, 'failed request')} in the last ` +
          `${seconds(this.intervalMillis)}, the last: ${this.lastFailure}; ${this.holding()}`,
        'error',
      );
    } else if (failed > 0) {
      this.write(
        `tracelink: exporting logs to ${destination} failed ${count(failed, 'time')} in the last ` +
          `${seconds(this.intervalMillis)}, the last: ${this.lastFailure}; it works now; ` +
          this.holding(),
        'warn',
      );
    } else {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  /** What the transport holds and has dropped, for the summary and recovery lines. */
  private holding(): string {
    const { stats } = this.options;
    const snapshot = stats.counters.snapshot();
    const dropped = stats.droppedTotal;
    return (
      `${count(snapshot.buffered, 'record')} buffered, ${snapshot.inFlight} in flight, ` +
      `${stats.delivered} delivered and ${dropped} dropped so far` +
      (dropped === 0 ? '' : ` (${stats.droppedByReason()})`)
    );
  }
}

/** `1 record`, `2 records`. */
function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function seconds(millis: number): string {
  return `${Math.round(millis / 1000)} s`;
}
