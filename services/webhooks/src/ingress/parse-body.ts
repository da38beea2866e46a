import busboy from 'busboy';
import { IngressError } from '../errors';

/** A delivery's body as the run sees it: JSON value, form fields, or text. */
export type ParsedBody = unknown;

const isJson = (type: string) => type === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(type);

/** The media type of a Content-Type header, lower case, without parameters. */
export const mediaType = (contentType: string | undefined) => (contentType ?? '').split(';')[0]!.trim().toLowerCase();

/** Form fields as an object; a repeated name becomes an array of its values. */
function addField(out: Record<string, string | string[]>, name: string, value: string) {
  const seen = out[name];
  out[name] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
}

function parseMultipart(contentType: string, raw: Buffer): Promise<Record<string, string | string[]>> {
  return new Promise((resolve, reject) => {
    const out: Record<string, string | string[]> = Object.create(null);
    let bb: busboy.Busboy;
    try {
      bb = busboy({ headers: { 'content-type': contentType }, limits: { fields: 1000, fieldSize: raw.length, parts: 1000 } });
    } catch (err) {
      return reject(new IngressError('invalid_payload', `multipart body: ${(err as Error).message}`));
    }
    bb.on('field', (name, value) => addField(out, name, value));
    bb.on('file', (name, stream) => {
      stream.resume();
      reject(new IngressError('unsupported_media_type', `multipart file parts are not accepted yet (part "${name}"): send form fields only`));
    });
    bb.on('error', (err) => reject(new IngressError('invalid_payload', `multipart body: ${(err as Error).message}`)));
    bb.on('close', () => resolve({ ...out }));
    bb.end(raw);
  });
}

/**
 * Parses the raw body by its Content-Type: JSON (`application/json`, `*+json`), form-urlencoded and
 * multipart form fields (objects of strings), and `text/*` (a string). File parts and any other
 * type answer 415, an unparsable body 400. An empty body is null whatever its type.
 */
export async function parseBody(contentType: string | undefined, raw: Buffer): Promise<ParsedBody> {
  const type = mediaType(contentType);
  if (raw.length === 0) return null;
  if (isJson(type)) {
    try {
      return JSON.parse(raw.toString('utf8')) as unknown;
    } catch (err) {
      throw new IngressError('invalid_payload', `the JSON body does not parse: ${(err as Error).message}`);
    }
  }
  if (type === 'application/x-www-form-urlencoded') {
    const out: Record<string, string | string[]> = Object.create(null);
    for (const [k, v] of new URLSearchParams(raw.toString('utf8'))) addField(out, k, v);
    return { ...out };
  }
  if (type === 'multipart/form-data') return parseMultipart(contentType!, raw);
  if (type.startsWith('text/')) return raw.toString('utf8');
  throw new IngressError('unsupported_media_type', type ? `content type ${type} is not accepted: send JSON, form-urlencoded, multipart form fields or text` : 'a body needs a Content-Type');
}
