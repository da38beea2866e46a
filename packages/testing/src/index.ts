export { createTestDatabase, type TestDatabase } from './database';
export { createTestRedis } from './redis';
export { startEchoServer } from './echo-server';
export type { EchoServer, EchoRequest } from './echo-server';
