import { SeverityNumber } from '@opentelemetry/api-logs';
import { pinoSeverityNumber } from '../../../transports/mapping/severity.js';

describe('pinoSeverityNumber', () => {
  describe('with pino’s standard levels', () => {
    it.each([
      [10, SeverityNumber.TRACE],
      [20, SeverityNumber.DEBUG],
      [30, SeverityNumber.INFO],
      [40, SeverityNumber.WARN],
      [50, SeverityNumber.ERROR],
      [60, SeverityNumber.FATAL],
    ])('maps %d to %d, the start of its range', (level, expected) => {
      expect(pinoSeverityNumber(level)).toBe(expected);
    });
  });

  describe('with custom levels, placed by rank', () => {
    it.each([
      [11, SeverityNumber.TRACE2],
      [13, SeverityNumber.TRACE2],
      [14, SeverityNumber.TRACE3],
      [19, SeverityNumber.TRACE4],
      [25, SeverityNumber.DEBUG3],
      [31, SeverityNumber.INFO2],
      [35, SeverityNumber.INFO3],
      [39, SeverityNumber.INFO4],
      [45, SeverityNumber.WARN3],
      [55, SeverityNumber.ERROR3],
      [59, SeverityNumber.ERROR4],
      [61, SeverityNumber.FATAL2],
      [65, SeverityNumber.FATAL3],
      [70, SeverityNumber.FATAL4],
      [1000, SeverityNumber.FATAL4],
      [30.5, SeverityNumber.INFO2],
      [9, SeverityNumber.TRACE],
      [1, SeverityNumber.TRACE],
      [0, SeverityNumber.TRACE],
      [-5, SeverityNumber.TRACE],
    ])('maps %d to %d', (level, expected) => {
      expect(pinoSeverityNumber(level)).toBe(expected);
    });

    it('keeps pino’s order for every level from 1 to 100', () => {
      const numbers = Array.from({ length: 100 }, (_, i) => pinoSeverityNumber(i + 1));
      expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
      expect(new Set(numbers)).toEqual(new Set(Array.from({ length: 24 }, (_, i) => i + 1)));
    });
  });

  describe('with a level that is not a finite number', () => {
    it.each([[Infinity], [-Infinity], [NaN]])('maps %d to UNSPECIFIED', (level) => {
      expect(pinoSeverityNumber(level)).toBe(SeverityNumber.UNSPECIFIED);
    });
  });
});
