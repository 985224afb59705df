import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { typedValueOfJson } from '../transports/encode/any-values.js';
import type { TypedValue } from '../transports/encode/any-values.js';
import type { OtlpAnyValue } from './collector/read-file-exporter.js';
import { startCollector } from './collector/start-collector.js';
import type { RunningCollector } from './collector/start-collector.js';
import { pollUntil } from './poll-until.js';
import { runFixture } from './run-fixture.js';
import type { FixtureRun } from './run-fixture.js';

let collector: RunningCollector;
beforeAll(async () => {
  collector = await startCollector();
});
afterAll(() => collector.stop());

interface KeyValue {
  key: string;
  value?: OtlpAnyValue;
}
interface LogsLine {
  resourceLogs?: {
    resource?: { attributes?: KeyValue[] };
    scopeLogs?: { logRecords?: { body?: OtlpAnyValue; attributes?: KeyValue[] }[] }[];
  }[];
}

const typed = (keyValues: KeyValue[] = []) =>
  Object.fromEntries(keyValues.map(({ key, value }) => [key, typedValueOfJson(value)]));

/**
 * The attributes of each record of `serviceName`, by body, as the collector's file exporter
 * wrote them, every value with its kind: an int64 a BigInt, a double a number. The parsed
 * records of read-file-exporter.ts make both numbers; here an `intValue` 2^63 − 1024 and a
 * `doubleValue` 2^63 − 1024 must be told apart.
 */
async function receivedBy(
  serviceName: string,
): Promise<Map<TypedValue, Record<string, TypedValue>>> {
  const text = await readFile(join(collector.dir, 'logs.jsonl'), 'utf8').catch(() => '');
  const received = new Map<TypedValue, Record<string, TypedValue>>();
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let parsed: LogsLine;
    try {
      parsed = JSON.parse(line) as LogsLine;
    } catch {
      continue; // a last line still being written
    }
    for (const resourceLogs of parsed.resourceLogs ?? []) {
      if (typed(resourceLogs.resource?.attributes)['service.name'] !== serviceName) continue;
      for (const scopeLogs of resourceLogs.scopeLogs ?? []) {
        for (const record of scopeLogs.logRecords ?? []) {
          received.set(typedValueOfJson(record.body), typed(record.attributes));
        }
      }
    }
  }
  return received;
}

// What the collector must hold for the app's numbers, whatever the protocol: integers within
// int64 exactly, integer-valued numbers outside it as doubles.
const NUMBERS = {
  beyondSafe: 9007199254740994n,
  belowInt64Max: 9223372036854774784n,
  int64Min: -9223372036854775808n,
  pastInt64: 2 ** 63,
  huge: 1e22,
  max: Number.MAX_VALUE,
  negativeMax: -Number.MAX_VALUE,
  safe: 42n,
  fraction: 1.5,
  nested: { list: [1e22, 9007199254740994n] },
};

// Object.fromEntries makes an own `__proto__` key, as the app's JSON.parse did.
const KEYS = {
  user: { constructor: 'x', name: 'alice' },
  p: Object.fromEntries([
    ['__proto__', { admin: true }],
    ['b', 2n],
  ]) as TypedValue,
  list: [{ constructor: 1n }],
};

describe.each(['pino', 'winston'])(
  'tracelink/%s-transport against the real collector',
  (logger) => {
    describe.each(['http/protobuf', 'http/json', 'grpc'] as const)('over %s', (protocol) => {
      // One app run, one batch: the tests below read what it delivered.
      let run: FixtureRun;
      let received = new Map<TypedValue, Record<string, TypedValue>>();
      beforeAll(async () => {
        const serviceName = `values-${logger}-${protocol}`;
        const endpoint = protocol === 'grpc' ? collector.grpcEndpoint : collector.logsUrl;
        run = await runFixture('values-app.cjs', {
          FIXTURE_LOGGER: logger,
          FIXTURE_OPTIONS: JSON.stringify({ endpoint, protocol, serviceName }),
        });
        await pollUntil(async () => {
          received = await receivedBy(serviceName);
          return received.size >= 5;
        }, 10_000);
      });

      it('delivers every record of the batch, reporting no loss', () => {
        expect(run.stderr).toBe('');
        expect(run.code).toBe(0);
        expect([...received.keys()].sort()).toEqual([
          'after',
          'before',
          'bigint',
          'keys',
          'numbers',
        ]);
        expect(received.get('before')).toEqual({ i: 1n });
        expect(received.get('after')).toEqual({ i: 2n });
      });

      it('delivers integers within int64 exactly, and integer-valued numbers outside it as doubles', () => {
        expect(received.get('numbers')).toEqual(NUMBERS);
      });

      it('keeps nested constructor and __proto__ keys as data', () => {
        expect(received.get('keys')).toEqual(KEYS);
        // toEqual reads `__proto__` as a key; the JSON text shows it is one, in its place.
        expect(
          JSON.stringify(received.get('keys'), (_k, v: unknown) =>
            typeof v === 'bigint' ? `${v}` : v,
          ),
        ).toBe(
          '{"user":{"constructor":"x","name":"alice"},"p":{"__proto__":{"admin":true},"b":"2"},"list":[{"constructor":"1"}]}',
        );
      });

      it('delivers a BigInt beyond 2^53 as its exact decimal string', () => {
        // pino writes 5n as the JSON number 5, which no parser can tell from the number 5;
        // winston hands tracelink the BigInt itself.
        expect(received.get('bigint')).toEqual({
          id: '12345678901234567890123',
          small: logger === 'pino' ? 5n : '5',
        });
      });
    });
  },
);
