// End to end: the example services of examples/stack send their logs through tracelink's
// transports and their spans through the OpenTelemetry SDK to the collector, which forwards them
// to VictoriaLogs and Jaeger; the spans also go to Zipkin. Everything is then read back through
// the stores' own HTTP query APIs, and once through Zipkin's and VictoriaLogs' web UIs in a
// headless Chromium.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { startServices } from '../../examples/stack/services';
import type { ServiceLine } from '../../examples/stack/services';
import { startStores } from '../../examples/stack/stores';
import type { RunningStores } from '../../examples/stack/stores';
import { sendOrders } from '../../examples/stack/traffic';
import type { OrderResult } from '../../examples/stack/traffic';
import { followLogsButton } from './browser';
import { jaegerTrace, jaegerTraceIds, queryLogs, zipkinTrace } from './store-queries';
import type { StoredRecord, StoredSpan } from './store-queries';

const ORDERS = 300;
const FAIL_EVERY = 5; // 60 failing orders
const ARTIFACTS = resolve(__dirname, '../../.cache/e2e-artifacts');
// Bounded waits, generous for a loaded 2-core machine.
const SETUP_TIMEOUT_MS = 20 * 60_000; // a cold build of the stores is part of it
const DELIVERY_TIMEOUT_MS = 90_000;

/** Polls `probe` every 500 ms until it returns true or `timeoutMs` passes; resolves which. */
async function pollUntil(
  probe: () => boolean | Promise<boolean>,
  timeoutMs: number,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe()) return true;
    if (Date.now() > deadline) return false;
    await delay(500);
  }
}

const textOf = (line: ServiceLine): string => String(line.msg ?? line.message);
/** One written or stored record, as the comparison sees it. */
const keyOfLine = (line: ServiceLine): string =>
  `${line.service} | ${textOf(line)} | ${String(line.trace_id)} | ${String(line.span_id)}`;
const keyOfRecord = (record: StoredRecord): string =>
  `${record['service.name']} | ${record._msg} | ${record.trace_id} | ${record.span_id}`;
const sorted = (keys: string[]): string[] => [...keys].sort();

// Each check reads hundreds of records and traces over HTTP from processes sharing a loaded
// machine: allow more than Jest's 5 s.
jest.setTimeout(120_000);

describe('the stack: logs in VictoriaLogs, traces in Jaeger and Zipkin', () => {
  let stores: RunningStores | undefined;
  let results: OrderResult[];
  let lines: ServiceLine[];
  let records: StoredRecord[];
  let startedAt: Date;
  const jaegerTraces = new Map<string, StoredSpan[] | undefined>();
  const zipkinTraces = new Map<string, StoredSpan[] | undefined>();

  beforeAll(async () => {
    const setupStarted = Date.now();
    stores = await startStores();
    const { urls } = stores;
    startedAt = new Date(Date.now() - 1000);
    const services = await startServices(urls);
    try {
      results = await sendOrders(services.ordersUrl, { orders: ORDERS, failEvery: FAIL_EVERY });
      const succeeded = results.filter((result) => result.status === 201).length;
      await pollUntil(() => services.consumed() === succeeded, 30_000);
    } finally {
      // Disconnected, the services flush their spans and logs and exit.
      await services.stop();
    }
    lines = services.lines;
    const traceIds = [...new Set(lines.map((line) => String(line.trace_id)))];
    // Bounded waits for the collector's batches to reach the stores.
    await pollUntil(async () => {
      records = await queryLogs(urls.victoriaLogs, '*');
      return records.length >= lines.length;
    }, DELIVERY_TIMEOUT_MS);
    await pollUntil(async () => {
      for (const id of traceIds) {
        if (jaegerTraces.get(id) === undefined)
          jaegerTraces.set(id, await jaegerTrace(urls.jaegerQuery, id));
        if (zipkinTraces.get(id) === undefined)
          zipkinTraces.set(id, await zipkinTrace(urls.zipkin, id));
      }
      return traceIds.every((id) => jaegerTraces.get(id) && zipkinTraces.get(id));
    }, DELIVERY_TIMEOUT_MS);
    records = await queryLogs(urls.victoriaLogs, '*');
    console.log(
      `stack up, ${ORDERS} orders sent and stored in ${((Date.now() - setupStarted) / 1000).toFixed(1)} s; ` +
        `${lines.length} log lines, ${records.length} records; process logs in ${stores.dir}`,
    );
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await stores?.stop();
  }, 60_000);

  it('sends a few hundred orders, one in five failing', () => {
    expect(results).toHaveLength(ORDERS);
    expect(results.filter((r) => r.status === 502)).toHaveLength(ORDERS / FAIL_EVERY);
    expect(results.filter((r) => r.status === 201)).toHaveLength(ORDERS - ORDERS / FAIL_EVERY);
  });

  it("in Chromium, a failing trace's Logs button in Zipkin opens VictoriaLogs listing the request's lines from both services", async () => {
    const { urls } = stores!;
    mkdirSync(ARTIFACTS, { recursive: true });
    // The latest failing order: VictoriaLogs' web UI opens on the last 5 minutes.
    const failed = lines.filter((line) => textOf(line) === 'order failed').pop();
    const traceId = String(failed?.trace_id);
    const expected = lines.filter((line) => line.trace_id === traceId).map(textOf);
    const seen = await followLogsButton({
      zipkin: urls.zipkin,
      traceId,
      expectedTexts: [...expected, 'orders', 'billing'], // the Table view shows service.name
      screenshots: {
        zipkin: join(ARTIFACTS, 'zipkin-trace.jpg'),
        victoriaLogs: join(ARTIFACTS, 'victorialogs-logs.jpg'),
      },
    });
    expect(seen.logsUrl).toContain(`${urls.victoriaLogs}/select/vmui/`);
    expect(seen.logsUrl).toContain(traceId);
    expect(seen.missingTexts).toEqual([]);
  }, 180_000);

  it('stores every line the services wrote exactly once: nothing counted twice, nothing missing', () => {
    // 5 lines per successful order (3 in orders, 2 in billing), 4 per failing one (2 + 2)
    expect(lines).toHaveLength((ORDERS - ORDERS / FAIL_EVERY) * 5 + (ORDERS / FAIL_EVERY) * 4);
    expect(sorted(records.map(keyOfRecord))).toEqual(sorted(lines.map(keyOfLine)));
  });

  it('log → trace: every record has a trace_id that finds a trace in Jaeger and in Zipkin with a span of its span_id', () => {
    expect(records.length).toBeGreaterThan(0);
    for (const record of records) {
      expect(record.trace_id).toMatch(/^[0-9a-f]{32}$/);
      expect(record.span_id).toMatch(/^[0-9a-f]{16}$/);
      const inJaeger = jaegerTraces.get(record.trace_id)?.map((span) => span.spanId);
      const inZipkin = zipkinTraces.get(record.trace_id)?.map((span) => span.spanId);
      expect({ record: keyOfRecord(record), inJaeger: inJaeger?.includes(record.span_id) }).toEqual(
        {
          record: keyOfRecord(record),
          inJaeger: true,
        },
      );
      expect({ record: keyOfRecord(record), inZipkin: inZipkin?.includes(record.span_id) }).toEqual(
        {
          record: keyOfRecord(record),
          inZipkin: true,
        },
      );
    }
  });

  it("trace → logs: for every trace in Jaeger, a LogsQL query by its id returns exactly that request's lines, from both services, each on a span of the trace", async () => {
    const { urls } = stores!;
    const traceIds = await jaegerTraceIds(urls.jaegerQuery, 'orders', startedAt);
    expect(traceIds).toHaveLength(ORDERS); // one trace per order, no more
    const written = new Map<string, string[]>();
    for (const line of lines) {
      const id = String(line.trace_id);
      written.set(id, [...(written.get(id) ?? []), keyOfLine(line)]);
    }
    expect(sorted(traceIds)).toEqual(sorted([...written.keys()]));
    for (const traceId of traceIds) {
      const found = await queryLogs(urls.victoriaLogs, `trace_id:="${traceId}"`);
      expect(sorted(found.map(keyOfRecord))).toEqual(sorted(written.get(traceId) ?? []));
      expect(new Set(found.map((record) => record['service.name']))).toEqual(
        new Set(['orders', 'billing']),
      );
      const spanIds = new Set((await jaegerTrace(urls.jaegerQuery, traceId))?.map((s) => s.spanId));
      for (const record of found) expect(spanIds.has(record.span_id)).toBe(true);
    }
  });

  it('error records carry exception.* and their span is marked as an error in Jaeger and Zipkin', () => {
    const errors = records.filter((record) => record.severity_text === 'error');
    // one in each service per failing order
    expect(errors).toHaveLength((ORDERS / FAIL_EVERY) * 2);
    for (const record of errors) {
      expect(record).toEqual(
        expect.objectContaining({
          'exception.type': record['service.name'] === 'orders' ? 'BillingError' : 'InvoiceError',
          'exception.message': expect.stringMatching(/quantity must be positive/) as string,
          'exception.stacktrace': expect.stringMatching(/Error: /) as string,
        }),
      );
      const span = (store: Map<string, StoredSpan[] | undefined>): StoredSpan | undefined =>
        store.get(record.trace_id)?.find((s) => s.spanId === record.span_id);
      expect(span(jaegerTraces)?.error).toBe(true);
      expect(span(zipkinTraces)?.error).toBe(true);
    }
    // and no other record sits on an error span... only the failing orders' spans are errors
    const errorTraces = new Set(errors.map((record) => record.trace_id));
    for (const [traceId, spans] of jaegerTraces) {
      expect({ traceId, error: spans?.some((s) => s.error) }).toEqual({
        traceId,
        error: errorTraces.has(traceId),
      });
    }
  });
});
