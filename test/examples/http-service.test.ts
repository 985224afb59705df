import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');

describe('examples/http-service', () => {
  it('prints lines where each request’s pino and winston lines share one trace id', () => {
    const out = execFileSync(
      process.execPath,
      ['--import', 'tsx', 'examples/http-service/main.ts'],
      {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 30_000,
      },
    );
    const lines = out
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, string>);
    const traceOf = (path: string) => lines.find((l) => l.path === path)?.trace_id;
    for (const path of ['/orders', '/users', '/health']) {
      const forPath = lines.filter((l) => l.url === path || l.path === path);
      expect(forPath.map((l) => l.logger).sort()).toEqual(['pino', 'pino', 'winston']);
      for (const line of forPath) expect(line.trace_id).toBe(traceOf(path));
      // The server's lines carry the server span, a child of the caller's span.
      const served = forPath.filter((l) => l.url === path);
      expect(new Set(served.map((l) => l.span_id)).size).toBe(1);
      expect(served[0]?.span_id).not.toBe(forPath.find((l) => l.path === path)?.span_id);
    }
    expect(new Set(lines.map((l) => l.trace_id).filter(Boolean)).size).toBe(3);
  });
});
