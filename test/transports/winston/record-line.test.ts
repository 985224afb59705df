import { mapWinstonRecord, resolveWinstonMapping } from '../../../transports/mapping/winston.js';
import type { MappedLogRecord } from '../../../transports/mapping/mapped-log-record.js';
import { fromRecordLine, toRecordLine } from '../../../transports/winston/record-line.js';
import { captureWinston } from '../../record/record-capture.js';
import { mappedRecord } from '../../helpers/mapped-record.js';

const mapped = mappedRecord;

describe('toRecordLine / fromRecordLine', () => {
  it('round-trips a mapped record: body, severity, attributes, resource and span context', () => {
    const record = mapped({ resource: { 'host.name': 'web-1', 'process.pid': 7 } });
    expect(fromRecordLine(toRecordLine(record))).toEqual(record);
  });

  it('writes one line, whatever the strings hold', () => {
    const record = mapped({ body: 'line one\nline two\r\n', attributes: { sep: '\u2028\u2029' } });
    const line = toRecordLine(record);
    expect(line).not.toMatch(/[\n\r]/);
    expect(fromRecordLine(line)).toEqual(record);
  });

  describe('with bytes (OTLP bytesValue)', () => {
    it.each([
      ['an attribute', { attributes: { digest: new Uint8Array([0, 1, 254, 255]) } }],
      ['the body', { body: new Uint8Array([104, 105]) }],
      ['an empty attribute', { attributes: { none: new Uint8Array(0) } }],
      ['a list', { attributes: { chunks: [new Uint8Array([1]), 'text', new Uint8Array([2])] } }],
      ['a nested map', { attributes: { frame: { header: new Uint8Array([9, 9]), size: 2 } } }],
    ])('keeps Uint8Array in %s as Uint8Array', (_where, overrides: Partial<MappedLogRecord>) => {
      const record = mapped(overrides);
      // toEqual tells a Uint8Array from an array or an object with the same entries.
      expect(fromRecordLine(toRecordLine(record))).toEqual(record);
    });

    it('carries a Buffer logged through winston as the same bytes', () => {
      const { logger, infos } = captureWinston();
      logger.info('upload', { payload: Buffer.from('héllo'), parts: [Buffer.from([1, 2, 3])] });
      const record = mapWinstonRecord(infos[0] ?? {}, resolveWinstonMapping({}));
      const back = fromRecordLine(toRecordLine(record));
      expect(back.attributes.payload).toBeInstanceOf(Uint8Array);
      expect(Buffer.from(back.attributes.payload as Uint8Array).toString()).toBe('héllo');
      expect(back.attributes.parts).toEqual([new Uint8Array([1, 2, 3])]);
      expect(back).toEqual(record);
    });
  });
});
