import { isValidSpanId, isValidTraceId } from '@opentelemetry/api';
import fc from 'fast-check';
import { isValidHexId } from '../../src/core/span-context';

describe('isValidHexId', () => {
  it.each([
    ['4bf92f3577b34da6a3ce929d0e0e4736', 32, true],
    ['4BF92F3577B34DA6A3CE929D0E0E4736', 32, true],
    ['00000000000000000000000000000001', 32, true],
    ['00000000000000000000000000000000', 32, false],
    ['4bf92f3577b34da6a3ce929d0e0e473', 32, false],
    ['4bf92f3577b34da6a3ce929d0e0e4736a', 32, false],
    ['4bf92f3577b34da6a3ce929d0e0e473g', 32, false],
    ['00f067aa0ba902b7', 16, true],
    ['0000000000000000', 16, false],
    ['00f067aa0ba902b ', 16, false],
  ] as const)('%s (length %d) is valid: %s', (id, length, valid) => {
    expect(isValidHexId(id, length)).toBe(valid);
  });

  it.each([undefined, null, 42, {}, ['4bf92f3577b34da6a3ce929d0e0e4736']])(
    'finds %p invalid',
    (id) => {
      expect(isValidHexId(id, 32)).toBe(false);
    },
  );

  it('decides as the API does on strings', () => {
    const id = (length: number): fc.Arbitrary<string> =>
      fc.oneof(
        fc.string({
          unit: fc.constantFrom(...'0000aF9gG:/`@'),
          minLength: length - 1,
          maxLength: length + 1,
        }),
        fc.string({
          unit: fc.constantFrom(...'0123456789abcdefABCDEF'),
          minLength: length,
          maxLength: length,
        }),
      );
    fc.assert(
      fc.property(id(32), id(16), (traceId, spanId) => {
        expect(isValidHexId(traceId, 32)).toBe(isValidTraceId(traceId));
        expect(isValidHexId(spanId, 16)).toBe(isValidSpanId(spanId));
      }),
      { numRuns: 5_000 },
    );
  });
});
