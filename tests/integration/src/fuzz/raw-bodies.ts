import fc from 'fast-check';
import { DEEP_LEVELS } from './values';

/** Bodies that are not JSON, or JSON that a naive parser mishandles. */
export const MALFORMED_JSON = [
  '', ' ', '{', '}', '{"a":', '{"a":1,}', '[1,2', 'nul', 'tru', 'NaN', 'Infinity', '-', '01', '1.', '.5', '+1', '1e999999',
  '"\\x"', '"\\u12"', '"unterminated', "{'a':1}", '{a:1}', '/* c */ {}', '{"a":1}{"b":2}', '{"a":1} trailing', '\uFEFF{}',
  'null', '"text"', '42', '[]', 'true', '{"a":"\u0007"}', '{"a":1,"a":2}',
  // Numbers past what a double or a bigint column holds.
  '{"name":"n","limit":99999999999999999999999,"status":1e400}', '{"limit":-1e-400,"fromNodeId":123456789012345678901234567890}',
  // Valid JSON that JSON.parse turns into a prototype setter, or a string no database can store.
  '{"__proto__":{"polluted":"yes"}}', '{"constructor":{"prototype":{"polluted":"yes"}}}', '{"name":"x","a":{"__proto__":{"polluted":"yes"}}}',
  '{"name":"\\u0000"}', '{"name":"\\ud800"}', '{"name":"x","description":"\\udc00\\ud800"}', '{"\\u0000":1}',
  // Deeper than any real body, balanced and not.
  '['.repeat(DEEP_LEVELS) + ']'.repeat(DEEP_LEVELS),
  '{"a":'.repeat(DEEP_LEVELS) + '1' + '}'.repeat(DEEP_LEVELS),
  '['.repeat(100_000),
];

/** Byte sequences that are not UTF-8 (overlong, surrogate halves, stray continuation bytes), inside a JSON string. */
export const BAD_UTF8: Buffer[] = [
  [0xc0, 0xaf], [0xe0, 0x80, 0xaf], [0xed, 0xa0, 0x80], [0xff], [0xe2, 0x82], [0xf8, 0x88, 0x80, 0x80, 0x80], [0x80], [0x00],
].map((bytes) => Buffer.concat([Buffer.from('{"name":"a'), Buffer.from(bytes), Buffer.from('b","value":"v","nodeId":"a"}')]));

export const CONTENT_TYPES = [
  'application/json', 'application/json; charset=utf-8', 'application/json; charset=latin1', 'APPLICATION/JSON', 'application/json;;',
  'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/octet-stream', 'application/json-patch+json',
  'application/problem+json', 'text/json', '*/*', 'application/xml',
];

export const rawBody: fc.Arbitrary<string | Buffer> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom<string | Buffer>(...MALFORMED_JSON) },
  { weight: 1, arbitrary: fc.constantFrom<string | Buffer>(...BAD_UTF8) },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)) },
);

/** A content type, or none at all (undefined). */
export const contentType: fc.Arbitrary<string | undefined> = fc.oneof(
  { weight: 3, arbitrary: fc.constant('application/json') },
  { weight: 2, arbitrary: fc.constantFrom(...CONTENT_TYPES) },
  { weight: 1, arbitrary: fc.constant(undefined) },
);
