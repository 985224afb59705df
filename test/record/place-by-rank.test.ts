import { SeverityNumber as S } from '@opentelemetry/api-logs';
import { placeByRank } from '../../transports/mapping/winston-severity.js';

describe('placeByRank', () => {
  describe('with well-known names as anchors', () => {
    it.each([
      [
        'one level between warn and info',
        { error: 0, warn: 1, audit: 2, info: 3 },
        { error: S.ERROR, warn: S.WARN, audit: S.INFO2, info: S.INFO },
      ],
      [
        'two levels between warn and info',
        { warn: 0, high: 1, low: 2, info: 3 },
        { warn: S.WARN, high: S.INFO3, low: S.INFO2, info: S.INFO },
      ],
      [
        'more levels than free numbers (the most severe share the highest)',
        { warn: 0, a: 1, b: 2, c: 3, d: 4, e: 5, info: 6 },
        { warn: S.WARN, a: S.INFO4, b: S.INFO4, c: S.INFO4, d: S.INFO3, e: S.INFO2, info: S.INFO },
      ],
      [
        'a level above the most severe anchor',
        { panic: 0, error: 1, info: 2 },
        { panic: S.ERROR2, error: S.ERROR, info: S.INFO },
      ],
      [
        'levels below the least severe anchor',
        { info: 0, chatty: 1, noisy: 2 },
        { info: S.INFO, chatty: S.TRACE2, noisy: S.TRACE },
      ],
      [
        'levels of equal rank',
        { error: 0, warn: 1, warning: 1, info: 2 },
        { error: S.ERROR, warn: S.WARN, warning: S.WARN, info: S.INFO },
      ],
      [
        'an anchor out of order (debug ranked above error)',
        { debug: 0, error: 1, info: 2 },
        { debug: S.DEBUG, error: S.TRACE2, info: S.TRACE },
      ],
      [
        'ranks that are not consecutive',
        { error: 10, notice: 50, info: 70 },
        { error: S.ERROR, notice: S.INFO2, info: S.INFO },
      ],
    ])('places %s', (_case, levels, expected) => {
      expect(Object.fromEntries(placeByRank(levels))).toEqual(expected);
    });
  });

  describe('with no well-known name at all', () => {
    it('leaves every level UNSPECIFIED', () => {
      expect(Object.fromEntries(placeByRank({ high: 0, mid: 1, low: 2 }))).toEqual({
        high: S.UNSPECIFIED,
        mid: S.UNSPECIFIED,
        low: S.UNSPECIFIED,
      });
    });
  });
});
