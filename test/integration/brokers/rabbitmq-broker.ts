import { existsSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { connect as connectTcp } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePorts } from '../free-ports';
import { pollUntil } from '../poll-until';
import { startBrokerProcess } from './broker-process';

// Debian's rabbitmq-server (apt-get install -y rabbitmq-server; .ci/run does it). The real
// start script, not the /usr/sbin wrapper that switches to the rabbitmq user.
const SERVER_SCRIPT = '/usr/lib/rabbitmq/bin/rabbitmq-server';
const READY_TIMEOUT_MS = 90_000;

/** A RabbitMQ node on 127.0.0.1 with its own epmd, data and config, stopped by `stop()`. */
export interface RabbitMq {
  readonly url: string;
  /** Milliseconds from spawning to the AMQP port accepting connections. */
  readonly startupMs: number;
  stop(): Promise<void>;
}

export async function startRabbitMq(): Promise<RabbitMq> {
  if (!existsSync(SERVER_SCRIPT)) {
    throw new Error(`${SERVER_SCRIPT} is missing: apt-get install -y rabbitmq-server`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'tracelink-rabbitmq-'));
  for (const sub of ['mnesia', 'log', 'home']) mkdirSync(join(dir, sub));
  writeFileSync(join(dir, 'rabbitmq.conf'), 'loopback_users = none\n');
  writeFileSync(join(dir, 'enabled_plugins'), '[].\n');
  writeFileSync(join(dir, 'rabbitmq-env.conf'), '');
  const [amqpPort, distPort, epmdPort] = (await findFreePorts(3)) as [number, number, number];
  // An epmd of our own on a free loopback port (the default 4369 may be taken or shared),
  // started first so the node does not start a daemonised one that would outlive the test.
  const epmd = startBrokerProcess(
    'epmd',
    ['-port', String(epmdPort), '-address', '127.0.0.1'],
    {},
    dir,
  );
  const started = Date.now();
  const node = startBrokerProcess(
    SERVER_SCRIPT,
    [],
    {
      HOME: join(dir, 'home'), // the Erlang cookie goes here
      ERL_EPMD_PORT: String(epmdPort),
      ERL_EPMD_ADDRESS: '127.0.0.1',
      RABBITMQ_NODENAME: `tracelink${process.pid}${amqpPort}@localhost`,
      RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
      RABBITMQ_NODE_PORT: String(amqpPort),
      RABBITMQ_DIST_PORT: String(distPort),
      RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS: '-kernel inet_dist_use_interface {127,0,0,1}',
      RABBITMQ_MNESIA_BASE: join(dir, 'mnesia'),
      RABBITMQ_LOG_BASE: join(dir, 'log'),
      RABBITMQ_LOGS: '-',
      RABBITMQ_CONFIG_FILE: join(dir, 'rabbitmq.conf'),
      RABBITMQ_ADVANCED_CONFIG_FILE: join(dir, 'advanced.config'),
      RABBITMQ_ENABLED_PLUGINS_FILE: join(dir, 'enabled_plugins'),
      RABBITMQ_CONF_ENV_FILE: join(dir, 'rabbitmq-env.conf'),
    },
    dir,
  );
  const stop = async () => {
    await node.stop();
    await epmd.stop(5_000);
    rmSync(dir, { recursive: true, force: true });
  };
  const ready = await pollUntil(() => accepts(amqpPort), READY_TIMEOUT_MS, 200);
  if (!ready) {
    const output = node.output();
    await stop();
    throw new Error(`RabbitMQ did not listen within ${READY_TIMEOUT_MS} ms:\n${output}`);
  }
  return { url: `amqp://guest:guest@127.0.0.1:${amqpPort}`, startupMs: Date.now() - started, stop };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connectTcp({ host: '127.0.0.1', port });
    socket.once('connect', () => (socket.destroy(), done(true)));
    socket.once('error', () => done(false));
  });
}
