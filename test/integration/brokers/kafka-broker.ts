import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { findFreePorts } from '../free-ports';
import { pollUntil } from '../poll-until';
import { startBrokerProcess } from './broker-process';

const SETUP = resolve(__dirname, 'setup-kafka.sh');
const READY_TIMEOUT_MS = 90_000;
const JAVA_OPTS = ['-Xmx512m', '-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC'];

/** A single-node Kafka (KRaft: broker and controller in one process) on 127.0.0.1. */
export interface KafkaBroker {
  readonly brokers: string[];
  /** Milliseconds from spawning to answering metadata requests. */
  readonly startupMs: number;
  stop(): Promise<void>;
}

/** The folder with the broker's jars (copied from Maven Central on the first call, then cached). */
export function kafkaJars(): string {
  const out = execFileSync('bash', [SETUP], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 10 * 60_000,
  });
  return join(out.trim().split('\n').pop() ?? '', 'jars');
}

export async function startKafka(): Promise<KafkaBroker> {
  const classpath = `${kafkaJars()}/*`;
  const dir = mkdtempSync(join(tmpdir(), 'tracelink-kafka-'));
  const [port, controllerPort] = (await findFreePorts(2)) as [number, number];
  const config = join(dir, 'server.properties');
  writeFileSync(
    config,
    [
      'process.roles=broker,controller',
      'node.id=1',
      `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
      `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
      `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
      'controller.listener.names=CONTROLLER',
      'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
      'inter.broker.listener.name=PLAINTEXT',
      `log.dirs=${join(dir, 'data')}`,
      'offsets.topic.replication.factor=1',
      'offsets.topic.num.partitions=1',
      'transaction.state.log.replication.factor=1',
      'transaction.state.log.min.isr=1',
      'group.initial.rebalance.delay.ms=0',
      'num.partitions=1',
      '',
    ].join('\n'),
  );
  // A cluster id is 16 random bytes in URL-safe base64 without padding (Kafka's Uuid).
  const clusterId = randomBytes(16).toString('base64url');
  execFileSync(
    'java',
    [
      ...JAVA_OPTS,
      '-cp',
      classpath,
      'kafka.tools.StorageTool',
      'format',
      '-t',
      clusterId,
      '-c',
      config,
    ],
    { stdio: 'pipe', timeout: 60_000 },
  );
  const started = Date.now();
  const broker = startBrokerProcess(
    'java',
    [...JAVA_OPTS, '-cp', classpath, 'kafka.Kafka', config],
    {},
    dir,
  );
  const stop = async () => {
    await broker.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  const brokers = [`127.0.0.1:${port}`];
  const ready = await pollUntil(() => answersMetadata(brokers), READY_TIMEOUT_MS, 500);
  if (!ready) {
    const output = broker.output();
    await stop();
    throw new Error(`Kafka did not answer within ${READY_TIMEOUT_MS} ms:\n${output}`);
  }
  return { brokers, startupMs: Date.now() - started, stop };
}

async function answersMetadata(brokers: string[]): Promise<boolean> {
  const admin = new Kafka({
    brokers,
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
    connectionTimeout: 1_000,
  }).admin();
  try {
    await admin.connect();
    await admin.listTopics();
    return true;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
