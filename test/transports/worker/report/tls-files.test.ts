import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tlsFileProblems } from '../../../../transports/worker/report/tls-files.js';

// A self-signed CA (EC P-256, CN=tracelink-test-ca, valid until 2126) and its key, made with
// `openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 36500`.
const CA = `-----BEGIN CERTIFICATE-----
MIIBjzCCATWgAwIBAgIUQ/15+vdMVl0SiIYHm5OgbaUWAxYwCgYIKoZIzj0EAwIw
HDEaMBgGA1UEAwwRdHJhY2VsaW5rLXRlc3QtY2EwIBcNMjYxMjAyMDU0NDUxWhgP
MjEyNjExMDgwNTQ0NTFaMBwxGjAYBgNVBAMMEXRyYWNlbGluay10ZXN0LWNhMFkw
EwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEYBe1DE4EDf9td0tK1zWNpLivMzdGdCZ4
kHUyXEXfRd1nbl37LedzeqCtadTqRqA6K9a/r34lIWuIIjCU9UX5LaNTMFEwHQYD
VR0OBBYEFEvk5XGtKkq1Q02bV9bQ72JELe/4MB8GA1UdIwQYMBaAFEvk5XGtKkq1
Q02bV9bQ72JELe/4MA8GA1UdEwEB/wQFMAMBAf8wCgYIKoZIzj0EAwIDSAAwRQIg
PYiddq7dAXIni3xBJFxTuxQ05TjruwynKvShWx3pg7sCIQDVmwR9Kt/1Y/Gd0CNg
jAgIhG4Ww2VxDgSEsL4EE9+tWA==
-----END CERTIFICATE-----
`;
const KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgTE9TKeLSkGRPbGhH
r/Xyrudytg62v5Q96dNSidX7xqChRANCAARgF7UMTgQN/213S0rXNY2kuK8zN0Z0
JniQdTJcRd9F3WduXfst53N6oK1p1OpGoDor1r+vfiUha4giMJT1Rfkt
-----END PRIVATE KEY-----
`;
const CORRUPT = CA.replace('MIIBjzCCATWg', 'MIIBjzCCATWX');

const CA_CONSEQUENCE =
  "the collector's certificate is checked against Node's default CAs only, so a collector " +
  'with a self-signed or private-CA certificate is refused';

describe('tlsFileProblems', () => {
  let dir: string;
  const file = (name: string, content: string) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tracelink-tls-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finds nothing wrong when no file is named, or the files are good', () => {
    expect(tlsFileProblems({})).toEqual([]);
    expect(
      tlsFileProblems({
        OTEL_EXPORTER_OTLP_CERTIFICATE: file('ca.pem', CA),
        OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE: file('client.pem', CA),
        OTEL_EXPORTER_OTLP_CLIENT_KEY: file('client.key', KEY),
      }),
    ).toEqual([]);
  });

  it('reports a CA file that does not exist, and what that does', () => {
    const path = join(dir, 'missing.pem');
    const [problem, ...more] = tlsFileProblems({ OTEL_EXPORTER_OTLP_CERTIFICATE: path });
    expect(more).toEqual([]);
    expect(problem).toMatch(
      `tracelink: OTEL_EXPORTER_OTLP_CERTIFICATE names ${path}, which cannot be read (ENOENT`,
    );
    expect(problem).toContain(CA_CONSEQUENCE);
  });

  it.each([
    ['garbage', 'not a certificate\n', 'holds no PEM certificate'],
    ['DER bytes', '\u0030\u0082\u0001\u008f', 'holds no PEM certificate'],
    ['a corrupt certificate', CORRUPT, 'holds a certificate that cannot be read (block 1:'],
    ['a key', KEY, 'holds no PEM certificate'],
  ])('reports a CA file that holds %s', (_case, content, problem) => {
    const path = file('bad-ca.pem', content);
    expect(tlsFileProblems({ OTEL_EXPORTER_OTLP_CERTIFICATE: path })).toEqual([
      expect.stringContaining(`OTEL_EXPORTER_OTLP_CERTIFICATE names ${path}, which ${problem}`),
    ]);
  });

  it('reports a CA file whose certificates have all expired', () => {
    const path = file('old-ca.pem', CA);
    const in2200 = Date.parse('2200-01-01T00:00:00Z');
    expect(tlsFileProblems({ OTEL_EXPORTER_OTLP_CERTIFICATE: path }, in2200)).toEqual([
      expect.stringContaining(
        'holds only expired certificates (CN=tracelink-test-ca: expired on Nov  8 05:44:51 2126 GMT)',
      ),
    ]);
  });

  it('reads the logs-specific variable first, as the exporters do', () => {
    const bad = file('logs-ca.pem', 'garbage');
    expect(
      tlsFileProblems({
        OTEL_EXPORTER_OTLP_LOGS_CERTIFICATE: bad,
        OTEL_EXPORTER_OTLP_CERTIFICATE: file('good-ca.pem', CA),
      }),
    ).toEqual([expect.stringContaining(`OTEL_EXPORTER_OTLP_LOGS_CERTIFICATE names ${bad}`)]);
  });

  it('reports a client key that is not one', () => {
    const path = file('bad.key', CA);
    expect(tlsFileProblems({ OTEL_EXPORTER_OTLP_LOGS_CLIENT_KEY: path })).toEqual([
      expect.stringContaining(
        `OTEL_EXPORTER_OTLP_LOGS_CLIENT_KEY names ${path}, which holds no private key`,
      ),
    ]);
  });
});
