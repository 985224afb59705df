import { decodeAnyValue, parseFileExporterOutput } from './read-file-exporter.js';
import type { OtlpAnyValue } from './read-file-exporter.js';

// A line as the v0.159.0 file exporter wrote it for a hand-built OTLP/JSON request (field order
// included: `flags` comes before the ids, and absent fields are left out).
const LINE = JSON.stringify({
  resourceLogs: [
    {
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] },
      scopeLogs: [
        {
          scope: { name: 'sc', version: '1.0' },
          logRecords: [
            {
              timeUnixNano: '1700000000000000001',
              severityNumber: 9,
              severityText: 'INFO',
              body: { stringValue: 'hi' },
              attributes: [{ key: 'n', value: { intValue: '42' } }],
              flags: 1,
              traceId: '5b8efff798038103d269b633813fc60c',
              spanId: 'eee19b7ec3c1b174',
            },
          ],
        },
      ],
    },
  ],
});
const BARE_LINE = JSON.stringify({
  resourceLogs: [{ resource: {}, scopeLogs: [{ scope: {}, logRecords: [{}] }] }],
});

describe('decodeAnyValue', () => {
  it.each<[string, OtlpAnyValue | undefined, unknown]>([
    ['a string', { stringValue: 'x' }, 'x'],
    ['a bool', { boolValue: false }, false],
    ['an int64 string', { intValue: '-42' }, -42],
    [
      'an int64 beyond 2^53 as its exact string',
      { intValue: '9007199254740993' },
      '9007199254740993',
    ],
    ['a double', { doubleValue: 1.5 }, 1.5],
    ['NaN written as a string', { doubleValue: 'NaN' }, NaN],
    ['bytes as base64', { bytesValue: 'AQID' }, 'AQID'],
    ['an array', { arrayValue: { values: [{ intValue: '1' }, { stringValue: 'a' }] } }, [1, 'a']],
    ['an empty array', { arrayValue: {} }, []],
    [
      'a nested kvlist',
      { kvlistValue: { values: [{ key: 'a', value: { kvlistValue: { values: [] } } }] } },
      { a: {} },
    ],
    ['an empty value', {}, undefined],
    ['no value', undefined, undefined],
  ])('decodes %s', (_name, value, expected) => {
    expect(decodeAnyValue(value)).toEqual(expected);
  });
});

describe('parseFileExporterOutput', () => {
  it('flattens records with their resource and scope', () => {
    expect(parseFileExporterOutput(`${LINE}\n`)).toEqual([
      {
        timeUnixNano: '1700000000000000001',
        observedTimeUnixNano: '0',
        severityNumber: 9,
        severityText: 'INFO',
        body: 'hi',
        attributes: { n: 42 },
        eventName: '',
        traceId: '5b8efff798038103d269b633813fc60c',
        spanId: 'eee19b7ec3c1b174',
        flags: 1,
        resource: { 'service.name': 'svc' },
        scope: { name: 'sc', version: '1.0' },
      },
    ]);
  });

  it('fills absent fields with their OTLP defaults', () => {
    expect(parseFileExporterOutput(BARE_LINE)).toEqual([
      expect.objectContaining({
        traceId: '',
        spanId: '',
        flags: 0,
        severityNumber: 0,
        body: undefined,
      }),
    ]);
  });

  it('skips a partially written last line', () => {
    const text = `${LINE}\n${LINE.slice(0, 40)}`;
    expect(parseFileExporterOutput(text)).toHaveLength(1);
  });

  it('throws on a broken line that is not the last', () => {
    expect(() => parseFileExporterOutput(`${LINE.slice(0, 40)}\n${LINE}\n`)).toThrow(
      /line 1 is not OTLP JSON/,
    );
  });
});
