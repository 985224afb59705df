import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import {
  OTLP_OPTION_NAMES,
  OTLP_OPTIONS,
  otlpOptionsOf,
  workerOptionsOf,
} from '../../../transports/options/otlp-option-table.js';
import type { OptionSpec } from '../../../transports/options/otlp-option-table.js';
import type { OtlpExportOptions } from '../../../transports/options/otlp-options.js';

// A value for every option: the compiler holds this to OtlpExportOptions, as it holds the table.
const EVERY_OPTION: Required<OtlpExportOptions> = {
  endpoint: 'http://collector:4318/v1/logs',
  protocol: 'grpc',
  headers: { authorization: 'Bearer x' },
  compression: 'gzip',
  timeoutMillis: 2000,
  serviceName: 'api',
  resource: { 'deployment.environment': 'test' },
  maxQueueSize: 100,
  maxExportBatchSize: 10,
  maxExportBatchBytes: 1000,
  scheduledDelayMillis: 50,
  maxConcurrentExports: 1,
  maxBufferedBytes: 4096,
  whenFull: 'drop',
  exitBudgetMillis: 1000,
  spool: { directory: '/var/spool/app', maxBytes: 1024 },
  exporter: 'none',
  disabled: true,
  fields: { traceId: 'tid', spanId: 'sid' },
};

describe('OTLP_OPTIONS', () => {
  it('has one row per option, and OTLP_OPTION_NAMES lists them', () => {
    expect([...OTLP_OPTION_NAMES].sort()).toEqual(Object.keys(EVERY_OPTION).sort());
    expect(OTLP_OPTION_NAMES).toEqual(Object.keys(OTLP_OPTIONS));
  });

  it.each(OTLP_OPTION_NAMES)('accepts a valid %s', (name) => {
    expect(OTLP_OPTIONS[name].check(EVERY_OPTION[name], name)).toBe(EVERY_OPTION[name]);
  });

  describe('as OtlpExportOptions documents it', () => {
    // The interface is what users read in their editor: its TSDoc must name what the table does.
    const docs = optionDocs();

    it.each(OTLP_OPTION_NAMES)('gives %s a @default', (name) => {
      expect(docs.get(name)).toMatch(/@default /);
    });

    const variables = OTLP_OPTION_NAMES.flatMap((name) => {
      const spec: OptionSpec<unknown> = OTLP_OPTIONS[name];
      return [...(spec.env?.names ?? []), ...(spec.exporterEnv ?? [])].map((v) => [name, v]);
    });

    it.each(variables)('names %s’s variable %s', (name, variable) => {
      // The docs write a pair of variables as OTEL_EXPORTER_OTLP_[LOGS_]HEADERS.
      const doc = docs.get(name) ?? '';
      const spelled = [doc, doc.replaceAll('[LOGS_]', 'LOGS_'), doc.replaceAll('[LOGS_]', '')];
      expect(spelled.some((text) => text.includes(variable))).toBe(true);
    });
  });
});

describe('workerOptionsOf', () => {
  it('sends the winston worker exactly the options of the table', () => {
    const winstonOptions = { ...EVERY_OPTION, level: 'info', format: { transform: () => false } };
    const sent = workerOptionsOf(winstonOptions);
    expect(Object.keys(sent)).toEqual(Object.keys(OTLP_OPTIONS));
    expect(sent).toEqual(EVERY_OPTION);
  });

  it('sends plain data only', () => {
    const sent = workerOptionsOf({ endpoint: 'http://c:4318/v1/logs', serviceName: undefined });
    expect(sent).toStrictEqual({ endpoint: 'http://c:4318/v1/logs' });
  });
});

describe('otlpOptionsOf', () => {
  it('leaves out the transport’s own options and keeps every other name', () => {
    const options = { level: 'info', endpoint: 'http://c:4318/v1/logs', endpiont: 'typo' };
    expect(otlpOptionsOf(options, { level: true })).toEqual({
      endpoint: 'http://c:4318/v1/logs',
      endpiont: 'typo',
    });
  });
});

/** Each property of OtlpExportOptions and its whole TSDoc comment, read from the source. */
function optionDocs(): Map<string, string> {
  const file = join(__dirname, '../../../transports/options/otlp-options.ts');
  const source = ts.createSourceFile(
    file,
    readFileSync(file, 'utf8'),
    ts.ScriptTarget.Latest,
    true,
  );
  const docs = new Map<string, string>();
  source.forEachChild((node) => {
    if (!ts.isInterfaceDeclaration(node) || node.name.text !== 'OtlpExportOptions') return;
    for (const member of node.members) {
      if (member.name === undefined || !ts.isIdentifier(member.name)) continue;
      const text = ts
        .getJSDocCommentsAndTags(member)
        .map((doc) => doc.getText(source))
        .join('\n');
      docs.set(member.name.text, text);
    }
  });
  return docs;
}
