export { createTestDatabase, type TestDatabase } from './database';
export { createTestRedis, keyPatterns } from './redis';
export { readBody, startEchoServer } from './echo-server';
export type { EchoServer, EchoRequest } from './echo-server';
