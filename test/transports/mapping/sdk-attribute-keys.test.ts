import fc from 'fast-check';
import { ROOT_CONTEXT } from '@opentelemetry/api';
import type { AnyValue, AnyValueMap } from '@opentelemetry/api-logs';
import { LoggerProvider } from '@opentelemetry/sdk-logs';
import type { LogRecordLimits, ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { toEmitInput } from '../../../transports/mapping/mapped-log-record.js';
import {
  prefixUnsafeKeys,
  restorePrefixedKeys,
} from '../../../transports/mapping/sdk-attribute-keys.js';
import { mapPinoRecord, resolvePinoMapping } from '../../../transports/mapping/pino.js';
import { mappedRecord } from '../../helpers/mapped-record.js';

/** Emits `attributes` as the pipelines do: toEmitInput, sdk-logs, then the restoring processor. */
function throughSdkLogs(attributes: AnyValueMap, logRecordLimits?: LogRecordLimits) {
  const emitted: ReadableLogRecord[] = [];
  const provider = new LoggerProvider({
    logRecordLimits,
    processors: [
      {
        onEmit(record, context) {
          restorePrefixedKeys(record, context);
          emitted.push(record);
        },
        forceFlush: () => Promise.resolve(),
        shutdown: () => Promise.resolve(),
      },
    ],
  });
  provider.getLogger('tracelink').emit(toEmitInput(mappedRecord({ attributes })));
  return emitted[0];
}

const parse = (json: string) => JSON.parse(json) as AnyValueMap;
const own = (map: unknown, key: string): unknown =>
  Object.getOwnPropertyDescriptor(map, key)?.value;

describe('attribute keys sdk-logs cannot hold', () => {
  describe('through sdk-logs, prefixed by toEmitInput and restored by the processor', () => {
    it('keeps a nested constructor key as data, with the rest of its map', () => {
      const record = throughSdkLogs({ user: { constructor: 'x', name: 'alice' }, n: 1 });
      expect(record?.attributes).toEqual({ user: { constructor: 'x', name: 'alice' }, n: 1 });
      expect(record?.droppedAttributesCount).toBe(0);
    });

    it('keeps __proto__ keys, nested and at the top, as own keys, touching no prototype', () => {
      const record = throughSdkLogs(
        parse('{"__proto__":"top","p":{"__proto__":{"admin":true},"b":2},"l":[{"__proto__":1}]}'),
      );
      const attributes = record?.attributes ?? {};
      expect(Object.keys(attributes)).toEqual(['__proto__', 'p', 'l']);
      expect(own(attributes, '__proto__')).toBe('top');
      expect(own(attributes.p, '__proto__')).toEqual({ admin: true });
      expect(Object.getPrototypeOf(attributes.p)).toBe(Object.prototype);
      expect(own((attributes.l as AnyValue[])[0], '__proto__')).toBe(1);
    });

    it('keeps constructor keys inside lists, and keys that begin with the prefix itself', () => {
      const attributes = { list: [{ constructor: { prototype: 1 } }], '\u0000a': { '\u0000b': 2 } };
      expect(throughSdkLogs(attributes)?.attributes).toEqual(attributes);
    });

    it('keeps each key in its place', () => {
      const record = throughSdkLogs(
        parse('{"a":1,"__proto__":2,"constructor":3,"z":{"y":1,"constructor":2,"x":3}}'),
      );
      expect(Object.keys(record?.attributes ?? {})).toEqual(['a', '__proto__', 'constructor', 'z']);
      expect(Object.keys(record?.attributes.z ?? {})).toEqual(['y', 'constructor', 'x']);
    });

    it('still applies sdk-logs’ limits to them: count and value length', () => {
      const many = Object.fromEntries(Array.from({ length: 130 }, (_, i) => [`k${i}`, i]));
      const record = throughSdkLogs(
        { user: { constructor: 'abcdef' }, ...many },
        { attributeCountLimit: 3, attributeValueLengthLimit: 2 },
      );
      expect(record?.attributes).toEqual({ user: { constructor: 'ab' }, k0: 0, k1: 1 });
      expect(record?.droppedAttributesCount).toBe(128);
    });

    it('keeps a record mapped from a pino line whole', () => {
      const line = parse('{"level":30,"msg":"hi","user":{"constructor":"x","name":"alice"}}');
      const mapped = mapPinoRecord(line, resolvePinoMapping(), 0, true);
      expect(throughSdkLogs(mapped.attributes)?.attributes).toEqual({
        user: { constructor: 'x', name: 'alice' },
      });
    });

    // Keys drawn to collide with what sdk-logs reads or sets, and with the prefix.
    const key = fc.oneof(
      fc.constantFrom('constructor', '__proto__', '\u0000', '\u0000constructor', 'toString', 'a'),
      fc.string({ maxLength: 4 }),
    );
    const { value } = fc.letrec<{ value: AnyValue }>((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.string({ maxLength: 3 }),
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie('value'), { maxLength: 3 }),
        fc.dictionary(key, tie('value'), { maxKeys: 4 }),
      ),
    }));
    // Object.fromEntries makes own keys, `__proto__` included, as JSON.parse and the mapping do.
    const attributes = fc
      .array(
        fc.tuple(
          key.filter((k) => k !== ''),
          value,
        ),
        { maxLength: 6 },
      )
      .map((entries) => Object.fromEntries<AnyValue>(entries));

    it('gives back, for any attributes, exactly the attributes it was given', () => {
      fc.assert(
        fc.property(attributes, (given) => {
          const received = throughSdkLogs(given);
          expect(received?.attributes).toEqual(given);
          expect(JSON.stringify(received?.attributes)).toBe(JSON.stringify(given));
        }),
        { numRuns: 500 },
      );
    });
  });

  describe('prefixUnsafeKeys', () => {
    it('hands attributes without such keys on as they are, and leaves the context unmarked', () => {
      const attributes = { user: { id: 1, tags: ['a'] }, n: 2 };
      const [safe, context] = prefixUnsafeKeys(attributes, ROOT_CONTEXT);
      expect(safe).toBe(attributes);
      expect(context).toBe(ROOT_CONTEXT);
    });

    it('copies only what it changes: the given attributes stay as they were', () => {
      const shared = { id: 1 };
      const attributes = { user: { constructor: 'x' }, other: shared };
      const [safe] = prefixUnsafeKeys(attributes, ROOT_CONTEXT);
      expect(safe).toEqual({ user: { '\u0000constructor': 'x' }, other: shared });
      expect(safe.other).toBe(shared);
      expect(attributes).toEqual({ user: { constructor: 'x' }, other: { id: 1 } });
    });
  });

  describe('restorePrefixedKeys', () => {
    it('leaves a record alone when its context is not marked', () => {
      const record = { attributes: { '\u0000constructor': 1 } };
      restorePrefixedKeys(record, ROOT_CONTEXT);
      expect(record.attributes).toEqual({ '\u0000constructor': 1 });
    });
  });
});
