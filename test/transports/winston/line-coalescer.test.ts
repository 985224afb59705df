import fs from 'node:fs';
import { LineCoalescer } from '../../../transports/winston/line-coalescer.js';
import { captureDiag } from '../../helpers/http-server.js';

const warnings = captureDiag();
const microtasksRun = () => new Promise<void>((resolve) => setImmediate(resolve));

function setUp(maxPendingChars?: number) {
  const chunks: string[] = [];
  const lines = new LineCoalescer((chunk) => void chunks.push(chunk), maxPendingChars);
  return { chunks, lines };
}

describe('LineCoalescer', () => {
  it('writes the lines logged in one turn as one chunk, in order, once that code returns', async () => {
    const { chunks, lines } = setUp();
    lines.push('a');
    lines.push('b');
    lines.push('c');
    expect(chunks).toEqual([]); // still the logging code's turn
    await Promise.resolve(); // the microtask it queued
    expect(chunks).toEqual(['a\nb\nc\n']);
    lines.push('d');
    await microtasksRun();
    expect(chunks).toEqual(['a\nb\nc\n', 'd\n']);
  });

  it('writes at once when maxPendingChars have gathered, so a burst never piles up', async () => {
    const { chunks, lines } = setUp(10);
    for (const line of ['1234', '5678', '90ab', 'cdef']) lines.push(line);
    // '1234\n5678\n' reached 10 characters; then '90ab\ncdef\n' reached 10 again.
    expect(chunks).toEqual(['1234\n5678\n', '90ab\ncdef\n']);
    lines.push('tail');
    await microtasksRun();
    expect(chunks).toEqual(['1234\n5678\n', '90ab\ncdef\n', 'tail\n']);
  });

  it('flush() writes what is pending now (the exit hook), and nothing twice', async () => {
    const { chunks, lines } = setUp();
    lines.push('last words');
    lines.flush();
    expect(chunks).toEqual(['last words\n']);
    lines.flush(); // nothing pending: no empty write
    await microtasksRun(); // the queued microtask finds nothing either
    expect(chunks).toEqual(['last words\n']);
  });

  it('never throws into the logging code when the write fails: says how many were lost', async () => {
    const stderr = jest.spyOn(fs, 'writeSync').mockImplementation(() => 0);
    try {
      const lines = new LineCoalescer(() => {
        throw new Error('the worker has exited');
      });
      lines.push('one');
      lines.push('two');
      expect(() => lines.flush()).not.toThrow();
      lines.push('three');
      await microtasksRun(); // a throw here would be an uncaught exception
      expect(stderr).toHaveBeenCalledWith(
        2,
        'tracelink: 2 log records could not be handed to the OTLP worker\n',
      );
      expect(stderr).toHaveBeenCalledWith(
        2,
        'tracelink: 1 log records could not be handed to the OTLP worker\n',
      );
      expect(warnings.some((w) => w.includes('handing log lines to the OTLP worker'))).toBe(true);
    } finally {
      stderr.mockRestore();
    }
  });
});
