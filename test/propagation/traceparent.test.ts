import { parseTraceParent as parseWithOpenTelemetry } from '@opentelemetry/core';
import fc from 'fast-check';
import { parseTraceParent } from '../../src/propagation/trace-context-propagator';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';

describe('parseTraceParent', () => {
  it('reads a version-00 value into a remote span context', () => {
    expect(parseTraceParent(`00-${TRACE_ID}-${SPAN_ID}-01`)).toEqual({
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      traceFlags: 1,
      isRemote: true,
    });
  });

  it.each([
    ['00', 0],
    ['01', 1],
    ['02', 2],
    ['03', 3],
    ['09', 1],
    ['ff', 3],
    ['a0', 0],
  ])('keeps only the known bits of flags %s (§3.2.2.5)', (flags, traceFlags) => {
    expect(parseTraceParent(`00-${TRACE_ID}-${SPAN_ID}-${flags}`)?.traceFlags).toBe(traceFlags);
  });

  // The accept/reject table of the W3C rules is in trace-context-propagator.test.ts; here the
  // parser is held to OpenTelemetry's on values built from near-valid pieces.
  describe('agrees with OpenTelemetry parseTraceParent', () => {
    const hex = (length: number): fc.Arbitrary<string> =>
      fc.string({
        unit: fc.constantFrom(...'0123456789abcdef'),
        minLength: length,
        maxLength: length,
      });
    const noise = fc.string({ unit: fc.constantFrom(...'0aAfF9gz-. \t'), maxLength: 40 });
    const piece = (valid: fc.Arbitrary<string>, ...others: string[]): fc.Arbitrary<string> =>
      fc.oneof(
        { weight: 6, arbitrary: valid },
        { weight: 1, arbitrary: fc.constantFrom(...others) },
        { weight: 1, arbitrary: noise },
      );
    const traceParent = fc
      .tuple(
        piece(hex(2), 'ff', 'FF', '0', '000', '0A'),
        piece(hex(32), '0'.repeat(32), TRACE_ID.toUpperCase(), TRACE_ID.slice(1)),
        piece(hex(16), '0'.repeat(16), SPAN_ID.toUpperCase(), `${SPAN_ID}0`),
        piece(hex(2), 'FF', '1', '001', '.0'),
        fc.oneof(
          fc.constant(''),
          fc.constant('-'),
          noise,
          noise.map((tail) => `-${tail}`),
        ),
      )
      .map(([version, traceId, spanId, flags, tail]) =>
        [version, traceId, spanId, flags].join('-').concat(tail),
      );

    it('accepts and rejects the same values, with the same ids', () => {
      fc.assert(
        fc.property(traceParent, (value) => {
          // Both parsers get values with surrounding whitespace trimmed (OpenTelemetry allows
          // one character of any kind, Level 2 only SP and HTAB, trimmed before parsing).
          fc.pre(value.trim() === value);
          const ours = parseTraceParent(value);
          const theirs = parseWithOpenTelemetry(value);
          if (theirs === null) return ours === undefined;
          return (
            ours !== undefined &&
            ours.traceId === theirs.traceId &&
            ours.spanId === theirs.spanId &&
            ours.traceFlags === (theirs.traceFlags & 0x03)
          );
        }),
        { numRuns: 5_000 },
      );
    });
  });

  it('never throws on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (value) => {
        const result = parseTraceParent(value);
        return result === undefined || result.isRemote === true;
      }),
      { numRuns: 2_000 },
    );
  });
});
