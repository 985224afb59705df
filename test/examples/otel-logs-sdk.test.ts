import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');

describe('examples/otel-logs-sdk', () => {
  let out: string;
  beforeAll(() => {
    out = execFileSync(process.execPath, ['--import', 'tsx', 'examples/otel-logs-sdk/main.ts'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
    });
  }, 70_000);

  it("emits pino's and winston's records through NodeSDK's processor, in the span of their call", () => {
    const traceId = /^trace ([0-9a-f]{32})$/m.exec(out)?.[1];
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(traceId).not.toBe('0'.repeat(32));
    for (const body of ['order placed', 'stock low', 'payment failed']) {
      const record = out
        .split('instrumentationScope')
        .find((part) => part.includes(`body: '${body}'`));
      expect(record).toContain(`traceId: '${traceId}'`);
    }
    expect(out).toContain("'exception.message': 'card declined'");
  });

  it('emits the record logged before sdk.start(), and delivers all four', () => {
    expect(out).toContain("body: 'configuring'");
    expect(out).toMatch(/^delivered 4 records$/m);
  });
});
