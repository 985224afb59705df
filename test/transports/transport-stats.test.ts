import { EventEmitter } from 'node:events';
import {
  STATS_EVENT,
  STATS_LAYOUT,
  STATS_REQUEST,
  StatsCounters,
  WorkerStatsView,
  emptyStats,
} from '../../transports/transport-stats.js';
import { DeliveryStats } from '../../transports/worker/report/delivery-stats.js';
import { pinoTransportStats } from '../../transports/pino/index.js';

/** A thread-stream as the view sees it: the worker's events come as emits on it. */
class FakeWorkerStream extends EventEmitter {
  readonly posted: unknown[] = [];
  constructor() {
    super();
    // thread-stream posts a stream's 'message' events to its worker.
    this.on('message', (message) => this.posted.push(message));
  }
  /** What the worker's shareStats posts, as thread-stream emits it on the app's thread. */
  share(stats: DeliveryStats, id: string): void {
    this.emit(STATS_EVENT, stats.counters.buffer, id, STATS_LAYOUT);
  }
}

describe('the delivery counts the worker shares', () => {
  it('reads zeros before any', () => {
    expect(emptyStats()).toEqual({
      received: 0,
      delivered: 0,
      inFlight: 0,
      buffered: 0,
      spooled: 0,
      dropped: {
        'queue-full': 0,
        'buffer-full': 0,
        rejected: 0,
        'after-shutdown': 0,
        'undelivered-at-exit': 0,
        'in-flight-at-exit': 0,
        'invalid-options': 0,
        'spool-full': 0,
        'spool-corrupt': 0,
      },
      failedExports: 0,
      failing: false,
      lastError: undefined,
    });
  });

  it('reads what DeliveryStats writes, through the shared buffer, as it changes', () => {
    const stats = new DeliveryStats();
    const reader = new StatsCounters(stats.counters.buffer);
    stats.received = 100;
    stats.delivered = 60;
    stats.inFlight = 10;
    stats.drop('rejected', 5);
    stats.drop('buffer-full', 5);
    stats.failedExports = 2;
    stats.failing = true;
    stats.lastError = '401 Unauthorized';
    expect(reader.snapshot()).toMatchObject({
      received: 100,
      delivered: 60,
      inFlight: 10,
      buffered: 20, // the rest
      spooled: 0,
      dropped: { rejected: 5, 'buffer-full': 5, 'queue-full': 0 },
      failedExports: 2,
      failing: true,
      lastError: '401 Unauthorized',
    });
    stats.received++;
    stats.lastError = 'connect ECONNREFUSED 127.0.0.1:4318 — ünïcode';
    expect(reader.snapshot()).toMatchObject({
      received: 101,
      buffered: 21,
      lastError: 'connect ECONNREFUSED 127.0.0.1:4318 — ünïcode',
    });
  });

  it('cuts a long last error to fit, on a character boundary', () => {
    const stats = new DeliveryStats();
    stats.lastError = 'é'.repeat(1000);
    const read = new StatsCounters(stats.counters.buffer).lastError() ?? '';
    expect(read.length).toBe(256);
    expect(read).toBe('é'.repeat(256));
  });

  it('holds nothing buffered when the SDK is disabled', () => {
    const stats = new DeliveryStats();
    stats.disabled = true;
    stats.received = 5;
    expect(stats.counters.snapshot().buffered).toBe(0);
  });
});

describe('WorkerStatsView', () => {
  it('asks the worker for its counters, and reads them once they come', () => {
    const stream = new FakeWorkerStream();
    const view = new WorkerStatsView(stream);
    expect(stream.posted).toEqual([{ code: STATS_REQUEST }]);
    expect(view.read()).toEqual(emptyStats());
    const stats = new DeliveryStats();
    stream.share(stats, '1:0');
    stats.received = 3;
    stats.delivered = 3;
    expect(view.read()).toMatchObject({ received: 3, delivered: 3, buffered: 0 });
  });

  it('sums several pipelines of one worker, once each however often they are shared', () => {
    const stream = new FakeWorkerStream();
    const view = new WorkerStatsView(stream, false);
    expect(stream.posted).toEqual([]);
    const [a, b] = [new DeliveryStats(), new DeliveryStats()];
    stream.share(a, '1:0');
    stream.share(b, '1:1');
    stream.share(a, '1:0'); // shared again, on a later request
    a.received = 4;
    a.delivered = 4;
    b.received = 6;
    b.drop('queue-full', 1);
    b.failing = true;
    b.lastError = 'HTTP 503';
    expect(view.read()).toMatchObject({
      received: 10,
      delivered: 4,
      buffered: 5,
      dropped: { 'queue-full': 1 },
      failing: true,
      lastError: 'HTTP 503',
    });
  });

  it('counts records the app handed over and the worker has not read yet as buffered', () => {
    const stream = new FakeWorkerStream();
    const view = new WorkerStatsView(stream, false);
    const stats = new DeliveryStats();
    stream.share(stats, '1:0');
    stats.received = 2;
    stats.delivered = 2;
    expect(view.read(5)).toMatchObject({ received: 5, delivered: 2, buffered: 3 });
  });

  it('ignores counters of a layout it cannot read', () => {
    const stream = new FakeWorkerStream();
    const view = new WorkerStatsView(stream, false);
    const stats = new DeliveryStats();
    stats.received = 1;
    stream.emit(STATS_EVENT, stats.counters.buffer, '1:0', STATS_LAYOUT + 1);
    expect(view.read().received).toBe(0);
  });
});

describe('pinoTransportStats', () => {
  it('watches a transport from the first call, and reads it at every call', () => {
    const transport = new FakeWorkerStream();
    expect(pinoTransportStats(transport).received).toBe(0);
    expect(transport.posted).toEqual([{ code: STATS_REQUEST }]);
    const stats = new DeliveryStats();
    transport.share(stats, '7:0');
    stats.received = 9;
    expect(pinoTransportStats(transport).received).toBe(9);
    expect(transport.posted).toHaveLength(1); // asked once
  });

  it('reads zeros for something that is not a transport, and does not throw', () => {
    expect(pinoTransportStats({})).toEqual(emptyStats());
  });
});
