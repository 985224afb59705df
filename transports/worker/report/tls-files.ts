import { X509Certificate, createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { envString } from '../../options/resolve-otlp-options.js';
import { describeError } from '../../stderr.js';

/** A TLS file the exporters read from the environment, and what its absence costs. */
interface TlsFile {
  /** The variables naming it, the logs-specific one first (it wins). */
  readonly variables: readonly [string, string];
  readonly holds: 'certificates' | 'a private key';
  readonly consequence: string;
}

const TLS_FILES: readonly TlsFile[] = [
  {
    variables: ['OTEL_EXPORTER_OTLP_LOGS_CERTIFICATE', 'OTEL_EXPORTER_OTLP_CERTIFICATE'],
    holds: 'certificates',
    consequence:
      "the collector's certificate is checked against Node's default CAs only, so a " +
      'collector with a self-signed or private-CA certificate is refused ' +
      '("self-signed certificate", "unable to verify the first certificate")',
  },
  {
    variables: [
      'OTEL_EXPORTER_OTLP_LOGS_CLIENT_CERTIFICATE',
      'OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE',
    ],
    holds: 'certificates',
    consequence: 'no client certificate is sent: a collector that requires mutual TLS refuses us',
  },
  {
    variables: ['OTEL_EXPORTER_OTLP_LOGS_CLIENT_KEY', 'OTEL_EXPORTER_OTLP_CLIENT_KEY'],
    holds: 'a private key',
    consequence: 'no client certificate is sent: a collector that requires mutual TLS refuses us',
  },
];

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/**
 * What is wrong with the TLS files the environment names for the OTLP exporters (CA
 * certificate, client certificate and key), one line each; none when all is well. The
 * exporters read these files themselves and, when one cannot be read, only say so through
 * `diag` ("Failed to read root certificate file"); a file that holds no certificate Node
 * ignores without a word. Either way the user would see only the TLS error of every export.
 * Paths are resolved from the working directory, as the exporters resolve them.
 *
 * @example
 * ```ts
 * tlsFileProblems({ OTEL_EXPORTER_OTLP_CERTIFICATE: 'missing.pem' });
 * // ['tracelink: OTEL_EXPORTER_OTLP_CERTIFICATE names missing.pem, which cannot be read (…): …']
 * ```
 */
export function tlsFileProblems(
  env: NodeJS.ProcessEnv = process.env,
  now: number = Date.now(),
): string[] {
  const problems: string[] = [];
  for (const file of TLS_FILES) {
    const variable = file.variables.find((name) => envString(env, name) !== undefined);
    if (variable === undefined) continue;
    const path = envString(env, variable) as string;
    const problem = problemOf(file, path, now);
    if (problem !== undefined) {
      problems.push(`tracelink: ${variable} names ${path}, which ${problem}: ${file.consequence}`);
    }
  }
  return problems;
}

function problemOf(file: TlsFile, path: string, now: number): string | undefined {
  let content: string;
  try {
    content = readFileSync(resolve(process.cwd(), path), 'utf8');
  } catch (error) {
    // Node's message, without the path it repeats: `ENOENT: no such file or directory`.
    const message = String((error as { message?: unknown } | null)?.message ?? error);
    return `cannot be read (${message.replace(/, \w+ '.*'$/, '')})`;
  }
  if (file.holds === 'a private key') {
    try {
      createPrivateKey(content);
      return undefined;
    } catch (error) {
      return `holds no private key tracelink can read (${describeError(error)})`;
    }
  }
  const blocks = content.match(PEM_CERTIFICATE) ?? [];
  if (blocks.length === 0) {
    return 'holds no PEM certificate (no "-----BEGIN CERTIFICATE-----" block)';
  }
  const expired: X509Certificate[] = [];
  for (const [index, block] of blocks.entries()) {
    let certificate: X509Certificate;
    try {
      certificate = new X509Certificate(block);
    } catch (error) {
      return `holds a certificate that cannot be read (block ${index + 1}: ${describeError(error)})`;
    }
    if (Date.parse(certificate.validTo) < now) expired.push(certificate);
  }
  // A bundle may hold an expired CA among good ones; only a file of expired ones is a problem.
  const [last] = expired.slice(-1);
  if (last !== undefined && expired.length === blocks.length) {
    const subject = last.subject.replace(/\n/g, ', ');
    return `holds only expired certificates (${subject}: expired on ${last.validTo})`;
  }
  return undefined;
}
