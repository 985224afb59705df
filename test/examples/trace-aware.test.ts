import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');

interface Line {
  logger?: string;
  path?: string;
  msg?: string;
  message?: string;
  level?: number | string;
  time?: number;
  trace_id?: string;
  summary?: boolean;
  pinoBuffer?: { flushed: number; discarded: number };
  winstonBuffer?: { flushed: number; discarded: number };
  pinoSampling?: { dropped: number };
  winstonSampling?: { dropped: number };
}

describe('examples/trace-aware', () => {
  it('brings the debug lines of the failed request only, and only the warnings of the unsampled trace', () => {
    const out = execFileSync(
      process.execPath,
      ['--import', 'tsx', 'examples/trace-aware/main.ts'],
      { cwd: ROOT, encoding: 'utf8', timeout: 30_000 },
    );
    const lines = out
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Line);
    const summary = lines.find((l) => l.summary === true);
    const text = (l: Line) => `${l.logger} ${l.path} ${l.msg ?? l.message}`;
    expect(lines.filter((l) => l.summary !== true).map(text)).toEqual([
      'pino /checkout/ok checkout',
      'pino /checkout/broken checkout',
      'pino /checkout/broken loading the cart',
      'pino /checkout/broken charging the card',
      'winston /checkout/broken cart loaded',
      'pino /checkout/declined card declined',
    ]);
    // The flushed lines carry the time of their own log call, before the info line's.
    const broken = lines.filter((l) => l.path === '/checkout/broken' && l.logger === 'pino');
    expect(broken[1].time).toBeLessThan(broken[0].time!);
    expect(summary).toMatchObject({
      pinoBuffer: { flushed: 2, discarded: 2 },
      winstonBuffer: { flushed: 1, discarded: 1 },
      pinoSampling: { dropped: 6 },
      winstonSampling: { dropped: 2 },
    });
  });
});
