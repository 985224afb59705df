import {
  Server,
  ServerCredentials,
  credentials,
  makeGenericClientConstructor,
} from '@grpc/grpc-js';
import type {
  Client,
  ClientDuplexStream,
  ClientReadableStream,
  ClientUnaryCall,
  ClientWritableStream,
  Interceptor,
  Metadata,
  MethodDefinition,
  ServiceError,
  UntypedServiceImplementation,
} from '@grpc/grpc-js';

// A four-method gRPC service with JSON messages: real grpc-js on both ends, no protoc needed.
export type Message = Record<string, unknown>;

const toBytes = (value: Message): Buffer => Buffer.from(JSON.stringify(value));
const fromBytes = (bytes: Buffer): Message => JSON.parse(bytes.toString()) as Message;

function method(
  name: string,
  requestStream: boolean,
  responseStream: boolean,
): MethodDefinition<Message, Message> {
  return {
    path: `/demo.Relay/${name}`,
    requestStream,
    responseStream,
    requestSerialize: toBytes,
    requestDeserialize: fromBytes,
    responseSerialize: toBytes,
    responseDeserialize: fromBytes,
  };
}

export const RelayService = {
  unary: method('Unary', false, false),
  collect: method('Collect', true, false),
  fanOut: method('FanOut', false, true),
  chat: method('Chat', true, true),
};

/** The generated-client shape of {@link RelayService}. */
export interface RelayClient extends Client {
  unary(
    request: Message,
    metadata: Metadata,
    callback: (error: ServiceError | null, reply?: Message) => void,
  ): ClientUnaryCall;
  unary(
    request: Message,
    callback: (error: ServiceError | null, reply?: Message) => void,
  ): ClientUnaryCall;
  collect(
    callback: (error: ServiceError | null, reply?: Message) => void,
  ): ClientWritableStream<Message>;
  fanOut(request: Message): ClientReadableStream<Message>;
  chat(): ClientDuplexStream<Message, Message>;
}

const RelayClientConstructor = makeGenericClientConstructor(RelayService, 'Relay');

/** Starts a grpc-js server on 127.0.0.1 (a free port) serving `implementation`. */
export async function startRelayServer(
  implementation: UntypedServiceImplementation,
): Promise<{ port: number; stop(): Promise<void> }> {
  const server = new Server();
  server.addService(RelayService, implementation);
  const port = await new Promise<number>((done, fail) =>
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) =>
      error === null ? done(bound) : fail(error),
    ),
  );
  return {
    port,
    stop: () =>
      new Promise<void>((done) => {
        server.tryShutdown(() => done());
        setTimeout(() => server.forceShutdown(), 2_000).unref();
      }),
  };
}

/** A client of {@link RelayService} at `127.0.0.1:port`. */
export function relayClient(port: number, interceptors: Interceptor[] = []): RelayClient {
  return new RelayClientConstructor(`127.0.0.1:${port}`, credentials.createInsecure(), {
    interceptors,
  }) as unknown as RelayClient;
}

/** A unary call as a promise. */
export function callUnary(client: RelayClient, request: Message): Promise<Message> {
  return new Promise((done, fail) =>
    client.unary(request, (error, reply) => (error ? fail(error) : done(reply ?? {}))),
  );
}

/** Reads a response stream to its end. */
export function readAll(stream: ClientReadableStream<Message>): Promise<Message[]> {
  const received: Message[] = [];
  return new Promise((done, fail) => {
    stream.on('data', (message: Message) => received.push(message));
    stream.on('error', fail);
    stream.on('end', () => done(received));
  });
}
