// Serializer: otlp-transformer's ProtobufLogsSerializer (the one exporter-logs-otlp-proto uses)
// against tracelink's createProtobufLogsSerializer, on 512-record batches (the export queue's
// batch size) of records emitted through a real sdk-logs LoggerProvider. Interleaved rounds
// (harness.ts): each round serializes every batch of a pool once per variant, in a rotating
// order; reports the median µs per record and the median of the per-round speed ratios.
// Before timing, each batch's output is checked to be byte-identical between the two.
//
//   npm run bench -- serializer
//   env: BENCH_ROUNDS (41), BENCH_BATCHES (20 batches of 512 per pool)
//
// No --expose-gc, unlike the correlation suite: a full GC forced before each timing slowed the
// official serializer from 4.4 to 10.6 µs a record on this project's VM and ours far less —
// the official one allocates a fresh 87 kB buffer and two id arrays a record, which a freshly
// shrunk heap makes costly — a handicap the worker, where GC runs on its own schedule, does not
// impose. Left to itself, the comparison is the conservative one.
import type * as Api from '@opentelemetry/api';
import type * as OtlpTransformer from '@opentelemetry/otlp-transformer';
import type * as Resources from '@opentelemetry/resources';
import type * as SdkLogs from '@opentelemetry/sdk-logs';
import type { LogRecordProcessor, SdkLogRecord } from '@opentelemetry/sdk-logs';
import type { LogAttributes } from '@opentelemetry/api-logs';
import type * as Serializers from '../transports/encode/logs-serializers.js';
import { built, knob, load, runInterleaved } from './harness.js';

const { ProtobufLogsSerializer } = load<typeof OtlpTransformer>('@opentelemetry/otlp-transformer');
const { LoggerProvider } = load<typeof SdkLogs>('@opentelemetry/sdk-logs');
const { resourceFromAttributes } = load<typeof Resources>('@opentelemetry/resources');
const { trace, ROOT_CONTEXT } = load<typeof Api>('@opentelemetry/api');
const { createProtobufLogsSerializer } = built<typeof Serializers>(
  'transports/encode/logs-serializers.js',
);

const BATCH = 512;
const ROUNDS = knob('BENCH_ROUNDS', 41);
const BATCHES = knob('BENCH_BATCHES', 20);

interface Emitted {
  timestamp: number;
  observedTimestamp: number;
  severityNumber: number;
  severityText: string;
  body: string;
  attributes: LogAttributes;
  traceId: string;
  spanId: string;
}

/**
 * Emits `count` records through a real LoggerProvider, as the transport's worker does. Each
 * record's fields go through JSON first, as the worker gets them from pino's line: flat
 * strings (a template literal's cons string would cost every `charCodeAt` a flattening and
 * skew the comparison).
 */
function emit(count: number, make: (i: number) => Emitted): SdkLogRecord[] {
  const records: SdkLogRecord[] = [];
  const processor: LogRecordProcessor = {
    onEmit: (r) => void records.push(r),
    forceFlush: async () => {},
    shutdown: async () => {},
  };
  const resource = resourceFromAttributes({
    'service.name': 'checkout',
    'service.version': '1.4.2',
    'host.name': 'ip-10-0-12-34',
    'process.pid': 4242,
  });
  const provider = new LoggerProvider({ resource, processors: [processor] });
  const logger = provider.getLogger('tracelink', '0.1.0');
  for (let i = 0; i < count; i++) {
    const { traceId, spanId, ...record } = JSON.parse(JSON.stringify(make(i))) as Emitted;
    const span = { traceId, spanId, traceFlags: 1 };
    logger.emit({ ...record, context: trace.setSpanContext(ROOT_CONTEXT, span) });
  }
  return records;
}

const ids = (i: number) => {
  const hex = i.toString(16).padStart(8, '0');
  return { traceId: `${hex}4bf92f3577b34da6a3ce929d`, spanId: `${hex}0ba902b7` };
};

const workloads: Record<string, (i: number) => Emitted> = {
  // Short body, 3 attributes incl. a nested map.
  typical: (i) => ({
    timestamp: Date.now(),
    observedTimestamp: Date.now(),
    severityNumber: 9,
    severityText: 'info',
    body: 'hello world request handled',
    attributes: { i, 'http.route': '/orders/:id', user: { id: 42, name: 'x' } },
    ...ids(i),
  }),
  // A busier pino line: a longer message, 9 attributes (a float, a boolean, an array, a
  // non-ASCII string, a nested map two levels deep).
  rich: (i) => ({
    timestamp: Date.now(),
    observedTimestamp: Date.now(),
    severityNumber: i % 10 === 0 ? 17 : 9,
    severityText: i % 10 === 0 ? 'error' : 'info',
    body: `request ${i} completed: GET /api/v2/orders/${i}/items?expand=product returned 200`,
    attributes: {
      'http.request.method': 'GET',
      'http.response.status_code': 200,
      'url.path': `/api/v2/orders/${i}/items`,
      duration_ms: 12.5 + (i % 7),
      cached: i % 3 === 0,
      tags: ['orders', 'v2'],
      customer: { id: 1000 + i, tier: 'gold', address: { city: 'Zürich', zip: '8001' } },
      hostname: 'ip-10-0-12-34',
      pid: 4242,
    },
    ...ids(i),
  }),
};

interface Serializer {
  serializeRequest(records: SdkLogRecord[]): Uint8Array | undefined;
}
const official: Serializer = ProtobufLogsSerializer;
const ours: Serializer = createProtobufLogsSerializer();

console.log(
  `${ROUNDS} interleaved rounds, ${BATCHES} batches of ${BATCH} records a round per variant.\n`,
);
console.log(
  '| records | serializer | µs/record (median) | bytes/record | speed vs official (median ratio) | IQR of the ratio |',
);
console.log('|---|---|---:|---:|---:|---:|');
for (const [name, make] of Object.entries(workloads)) {
  const records = emit(BATCH * BATCHES, make);
  const batches: SdkLogRecord[][] = [];
  for (let i = 0; i < records.length; i += BATCH) batches.push(records.slice(i, i + BATCH));
  let bytes = 0;
  for (const batch of batches) {
    const a = Buffer.from(official.serializeRequest(batch)!);
    const b = Buffer.from(ours.serializeRequest(batch)!);
    if (!a.equals(b)) throw new Error(`${name}: outputs differ`);
    bytes += a.length;
  }
  const variant = (label: string, serializer: Serializer) => ({
    name: label,
    run: (calls: number) => {
      for (let c = 0; c < calls; c++) serializer.serializeRequest(batches[c % batches.length]);
    },
  });
  const results = await runInterleaved({
    baseline: 'otlp-transformer ProtobufLogsSerializer',
    variants: [
      variant('otlp-transformer ProtobufLogsSerializer', official),
      variant('tracelink createProtobufLogsSerializer', ours),
    ],
    calls: batches.length,
    rounds: ROUNDS,
  });
  for (const r of results) {
    const us = r.nsPerCall / BATCH / 1000;
    console.log(
      `| ${name} | ${r.name} | ${us.toFixed(2)} | ${(bytes / records.length).toFixed(0)} | ` +
        `**${r.ratio.toFixed(2)}×** | ${r.ratioQ1.toFixed(2)}–${r.ratioQ3.toFixed(2)} |`,
    );
  }
}
