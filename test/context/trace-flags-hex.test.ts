import { formatTraceFlags } from 'tracelink';

describe('formatTraceFlags', () => {
  it.each([
    [0, '00'],
    [1, '01'],
    [2, '02'],
    [15, '0f'],
    [255, 'ff'],
    [256 + 1, '01'],
    [-1, 'ff'],
    [NaN, '00'],
  ])('formats %p as %p', (flags, expected) => {
    expect(formatTraceFlags(flags)).toBe(expected);
  });
});
