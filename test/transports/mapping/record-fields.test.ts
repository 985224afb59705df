import { readTimestamp } from '../../../transports/mapping/record-fields.js';

const MS = 1_700_000_000_123;

describe('readTimestamp', () => {
  describe('with a time it can read', () => {
    it.each([
      ['epoch milliseconds (pino epochTime, Date.now())', MS, MS],
      ['epoch seconds (pino unixTime)', 1_700_000_000, 1_700_000_000_000],
      ['fractional epoch seconds', 1_700_000_000.5, 1_700_000_000_500],
      ['epoch milliseconds as a string', '1700000000123', MS],
      ['epoch seconds as a string', '1700000000', 1_700_000_000_000],
      ['ISO 8601 (pino isoTime, winston timestamp())', '2023-11-14T22:13:20.123Z', MS],
      ['ISO 8601 with an offset', '2023-11-15T00:13:20.123+02:00', MS],
      [
        'ISO 8601 with nanoseconds (pino isoTimeNano)',
        '2023-11-14T22:13:20.123456789Z',
        MS + 0.456789,
      ],
      ['ISO 8601 without milliseconds', '2023-11-14T22:13:20Z', 1_700_000_000_000],
      ['the epoch itself', 0, 0],
      ['a time before 1970 with sub-milliseconds', '1969-12-31T23:59:59.999500Z', -0.5],
      ['padding around the text', '  2023-11-14T22:13:20.123Z ', MS],
      ['a Date (set by a custom winston format)', new Date(MS), MS],
      ['{ seconds, nanos } (Google Cloud)', { seconds: 1_700_000_000, nanos: 123_000_000 }, MS],
      [
        '{ seconds, nanos } with nanoseconds',
        { seconds: 1_700_000_000, nanos: 123_456_789 },
        MS + 0.456789,
      ],
      ['{ seconds } without nanos', { seconds: 1_700_000_000 }, 1_700_000_000_000],
    ])('reads %s', (_case, value, expected) => {
      expect(readTimestamp(value)).toBeCloseTo(expected, 6);
    });
  });

  describe('with a time it cannot read', () => {
    it.each([
      ['NaN', NaN],
      ['Infinity', Infinity],
      ['-Infinity', -Infinity],
      ['an unparseable string', 'yesterday-ish'],
      ['an empty string', ''],
      ['a number beyond what a Date holds', 9e15],
      ['a boolean', true],
      ['null', null],
      ['undefined', undefined],
      ['an object of other fields', { when: 1_700_000_000 }],
      ['{ seconds } as a string', { seconds: '1700000000' }],
      ['{ seconds, nanos } with nanos as a string', { seconds: 1_700_000_000, nanos: '5' }],
      ['{ seconds } beyond what a Date holds', { seconds: 9e12 }],
      ['{ seconds } NaN', { seconds: NaN }],
      [
        '{ seconds } behind a throwing getter',
        {
          get seconds(): number {
            throw new Error('hostile');
          },
        },
      ],
      ['an invalid Date', new Date(NaN)],
    ])('gives undefined for %s', (_case, value) => {
      expect(readTimestamp(value)).toBeUndefined();
    });
  });
});
