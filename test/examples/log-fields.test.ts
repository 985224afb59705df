import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');

interface Line {
  readonly msg?: string;
  readonly message?: string;
  readonly trace_id?: string;
  readonly span_id?: string;
  readonly tenant?: string;
  readonly orderId?: number;
  readonly span?: string;
  readonly spanId?: string;
  readonly status?: { code: number; message?: string };
  readonly events?: Record<string, unknown>[];
}

describe('examples/log-fields', () => {
  const out = execFileSync(process.execPath, ['--import', 'tsx', 'examples/log-fields/main.ts'], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 30_000,
  });
  const lines = out
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Line);
  const logLines = lines.filter((line) => line.span === undefined);
  const spans = lines.filter((line) => line.span !== undefined);

  it('stamps each request’s header field and scope field on every line, in every module and logger', () => {
    for (const [tenant, orderId] of [
      ['acme', 7],
      ['globex', 13],
    ] as const) {
      const ofRequest = logLines.filter((line) => line.tenant === tenant);
      const last = tenant === 'acme' ? 'order paid' : 'charge failed';
      expect(ofRequest.map((line) => line.msg ?? line.message).sort()).toEqual(
        ['order received', 'charging the card', last].sort(),
      );
      for (const line of ofRequest) expect(line.orderId).toBe(orderId);
      expect(new Set(ofRequest.map((line) => line.span_id)).size).toBe(1);
    }
    const outside = logLines.find((line) => line.msg?.startsWith('outside'));
    expect(outside).toBeDefined();
    expect(outside).not.toHaveProperty('tenant');
  });

  it('marks the span of the failed request, and only that one', () => {
    const failedLine = logLines.find((line) => line.msg === 'charge failed');
    const failed = spans.find((span) => span.spanId === failedLine?.span_id);
    expect(failed?.status).toEqual({ code: 2, message: 'card declined for 130' });
    expect(failed?.events?.[0]).toMatchObject({
      name: 'exception',
      'exception.type': 'RangeError',
      'exception.message': 'card declined for 130',
    });
    const paid = spans.find((span) => span.spanId !== failedLine?.span_id);
    expect(paid?.status).toEqual({ code: 0 });
  });
});
