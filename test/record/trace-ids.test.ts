import {
  parseGcpTrace,
  parseSpanId,
  parseTraceFlags,
  parseTraceId,
} from '../../transports/mapping/trace-fields.js';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';

describe('parseTraceId', () => {
  it.each<[string, unknown, string | undefined]>([
    ['lower-case hex', TRACE, TRACE],
    ['upper-case hex', TRACE.toUpperCase(), TRACE],
    ['31 digits', TRACE.slice(1), undefined],
    ['all zero', '0'.repeat(32), undefined],
    ['a non-hex digit', `${TRACE.slice(1)}x`, undefined],
    ['a number', 42, undefined],
  ])('reads %s', (_case, value, expected) => {
    expect(parseTraceId(value)).toBe(expected);
  });
});

describe('parseSpanId', () => {
  it.each<[string, unknown, string | undefined]>([
    ['lower-case hex', '00f067aa0ba902b7', '00f067aa0ba902b7'],
    ['upper-case hex', '00F067AA0BA902B7', '00f067aa0ba902b7'],
    ['a trace id', TRACE, undefined],
    ['all zero', '0'.repeat(16), undefined],
  ])('reads %s', (_case, value, expected) => {
    expect(parseSpanId(value)).toBe(expected);
  });
});

describe('parseTraceFlags', () => {
  it.each<[unknown, number | undefined]>([
    ['01', 1],
    ['00', 0],
    ['FF', 255],
    [1, 1],
    [0, 0],
    ['1', undefined],
    ['001', undefined],
    [1.5, undefined],
    [256, undefined],
    [-1, undefined],
    [true, undefined],
  ])('reads %p as %p', (value, expected) => {
    expect(parseTraceFlags(value)).toBe(expected);
  });
});

describe('parseGcpTrace', () => {
  it.each<[unknown, string | undefined]>([
    [`projects/my-proj/traces/${TRACE}`, TRACE],
    [`projects/my-proj/traces/${TRACE.toUpperCase()}`, TRACE],
    [TRACE, TRACE],
    [`projects/my-proj/traces/${TRACE}/x`, undefined],
    [`traces/${TRACE}`, undefined],
    [null, undefined],
  ])('reads %p', (value, expected) => {
    expect(parseGcpTrace(value)).toBe(expected);
  });
});
