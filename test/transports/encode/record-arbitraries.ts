import fc from 'fast-check';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';

// Arbitrary sdk-logs records for the serializers' property tests: any text (lone surrogates
// included), any number (NaN, the infinities, integers beyond 2^53 and int64), nested lists
// and maps, bytes, ids and times.

const RESOURCES = [
  resourceFromAttributes({ 'service.name': 'a' }),
  resourceFromAttributes({ 'service.name': 'b', n: 1 }, { schemaUrl: 'https://x/1.0' }),
];
const SCOPES: ReadableLogRecord['instrumentationScope'][] = [
  { name: 'tracelink' },
  { name: 'http', version: '1.2.3', schemaUrl: 'https://x/2.0' },
  { name: '', attributes: { k: 'v' }, droppedAttributesCount: 1 },
];

// Any UTF-16 unit, lone surrogates included, plus the characters worth over-sampling.
const unit = fc.oneof(
  fc.constantFrom('a', 'Z', ' ', 'é', '日', '😀', '\ud83d', '\ude00'),
  fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
);
/** Any string, short or long, over any UTF-16 unit. */
export const text = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit, maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit, maxLength: 400 }) },
);
/** Any number: integers, doubles, NaN and ±Infinity, integers beyond 2^53 and int64. */
export const number = fc.oneof(
  fc.integer(),
  fc.double(), // NaN, ±Infinity, -0 and subnormals included
  fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n }).map(Number),
  fc.constantFrom(2 ** 53, 2 ** 63, -(2 ** 63), 2 ** 64, Number.MAX_VALUE),
);
/** Any AnyValue: text, numbers, booleans, null, undefined, bytes, nested lists and maps. */
export const { value } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    text,
    number,
    fc.boolean(),
    fc.constantFrom(null, undefined),
    fc.uint8Array({ maxLength: 40 }),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(text, tie('value'), { maxKeys: 5 }),
  ),
}));
const hexId = (bytes: number) =>
  fc.uint8Array({ minLength: bytes, maxLength: bytes }).map((b) => Buffer.from(b).toString('hex'));
const hrTime = fc.tuple(
  fc.integer({ min: 0, max: 2 ** 34 }),
  fc.integer({ min: 0, max: 999_999_999 }),
);

/** Any sdk-logs record, over two resources and three scopes. */
export const record: fc.Arbitrary<ReadableLogRecord> = fc.record(
  {
    hrTime,
    hrTimeObserved: hrTime,
    resource: fc.constantFrom(...RESOURCES),
    instrumentationScope: fc.constantFrom(...SCOPES),
    severityNumber: fc.integer({ min: 0, max: 24 }),
    severityText: text,
    body: value,
    attributes: fc.dictionary(text, value, { maxKeys: 8 }),
    droppedAttributesCount: fc.nat(1000),
    spanContext: fc.record({ traceId: hexId(16), spanId: hexId(8), traceFlags: fc.nat(255) }),
    eventName: text,
  },
  {
    requiredKeys: [
      'hrTime',
      'hrTimeObserved',
      'resource',
      'instrumentationScope',
      'attributes',
      'droppedAttributesCount',
    ],
  },
) as fc.Arbitrary<ReadableLogRecord>;
