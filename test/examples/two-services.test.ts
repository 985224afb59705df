import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');

interface Line {
  readonly service: string;
  readonly trace_id: string;
  readonly span_id: string;
  readonly msg?: string;
  readonly message?: string;
}

describe('examples/two-services', () => {
  let lines: Line[];
  beforeAll(() => {
    const out = execFileSync(
      process.execPath,
      ['--import', 'tsx', 'examples/two-services/main.ts'],
      { cwd: ROOT, encoding: 'utf8', timeout: 60_000 },
    );
    lines = out
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Line);
  }, 70_000);

  const textOf = (line: Line) => line.msg ?? line.message;
  const byTrace = () => {
    const traces = new Map<string, Line[]>();
    for (const line of lines)
      traces.set(line.trace_id, [...(traces.get(line.trace_id) ?? []), line]);
    return traces;
  };

  it('logs each order in both services and across the message hop under one trace id', () => {
    const traces = byTrace();
    expect(traces.size).toBe(3);
    for (const [traceId, inTrace] of traces) {
      expect(traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(inTrace.map(textOf).sort()).toEqual([
        'billing answered',
        'creating invoice',
        'invoice event consumed',
        'order received',
        'publishing invoice event',
      ]);
      expect(new Set(inTrace.map((l) => l.service))).toEqual(new Set(['orders', 'billing']));
    }
  });

  it("continues the incoming caller's trace for the first order", () => {
    expect(byTrace().has('4bf92f3577b34da6a3ce929d0e0e4736')).toBe(true);
  });

  it('gives every hop a span id of its own: request, downstream request, producer, consumer', () => {
    for (const inTrace of byTrace().values()) {
      const spanOf = (text: string) => inTrace.find((l) => textOf(l) === text)?.span_id;
      expect(spanOf('order received')).toBe(spanOf('billing answered'));
      const hops = ['order received', 'creating invoice', 'publishing invoice event'];
      const ids = [...hops, 'invoice event consumed'].map(spanOf);
      for (const id of ids) expect(id).toMatch(/^[0-9a-f]{16}$/);
      expect(new Set(ids).size).toBe(4);
      expect(spanOf('order received')).not.toBe('00f067aa0ba902b7');
    }
  });
});
