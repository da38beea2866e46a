import { randomFillSync } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';

/*
 * uuid's own v7 asks the OS (crypto.getRandomValues) for 16 bytes per id: a transition that
 * writes a dozen events and steps paid ~3 % of its CPU there (issue 5 profile). The bytes come
 * from a pool refilled 256 ids at a time instead; the time and the monotonic counter within a
 * millisecond are kept as uuid keeps them (RFC 9562 method 1), and uuid lays out the bytes.
 */
const POOL_IDS = 256;
let pool = new Uint8Array(0);
let offset = 0;

function random16(): Uint8Array {
  if (offset + 16 > pool.length) {
    pool = randomFillSync(new Uint8Array(16 * POOL_IDS));
    offset = 0;
  }
  const bytes = pool.subarray(offset, offset + 16);
  offset += 16;
  return bytes;
}

const clock = { msecs: -Infinity, seq: 0 };

/** A new UUIDv7 (time-ordered, increasing within this process), the form every primary key of the schema takes. */
export function newId(): string {
  const random = random16();
  const now = Date.now();
  if (now > clock.msecs) {
    clock.msecs = now;
    clock.seq = ((random[6]! & 0x7f) << 24) | (random[7]! << 16) | (random[8]! << 8) | random[9]!;
  } else {
    clock.seq = (clock.seq + 1) | 0;
    if (clock.seq === 0) clock.msecs++;
  }
  return uuidv7({ random, msecs: clock.msecs, seq: clock.seq });
}
