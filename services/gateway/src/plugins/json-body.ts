import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors';
import { unacceptableJson } from './json-limits';

/**
 * The `application/json` body parser: Fastify's own (it refuses `__proto__` and `constructor.prototype` keys), then
 * the limits no route should have to think about: nesting depth, and strings that cannot be stored (see
 * unacceptableJson). Every refusal is a 400 naming the problem, before any route code runs.
 */
export function registerJsonBody(app: FastifyInstance, maxDepth: number) {
  const parse = app.getDefaultJsonParser('error', 'error');
  // JSON is the only body the API takes: a text/plain body (Fastify parses it by default) would
  // reach routes past these checks; without its parser it is a 415 like any other media type.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    const text = body as string; // parseAs: 'string'
    parse(req, text, (err: Error | null, value?: unknown) => {
      if (err) return done(refusedParse(err, text));
      const issue = unacceptableJson(value, maxDepth);
      if (issue) return done(new AppError('validation_failed', `${issue.path}: ${issue.message}`, [issue]));
      done(null, value);
    });
  });
}

/** Says why: JSON that parses but was refused carried a prototype-polluting key. */
function refusedParse(err: Error, text: string): Error {
  if ((err as { code?: string }).code !== 'FST_ERR_CTP_INVALID_JSON_BODY') return err;
  try {
    JSON.parse(text);
  } catch {
    return new AppError('validation_failed', 'the body is not valid JSON', [{ path: 'body', code: 'invalid_json', message: 'not valid JSON' }]);
  }
  return new AppError('validation_failed', 'the body has a "__proto__" or "constructor.prototype" key, which is never accepted', [
    { path: 'body', code: 'forbidden_key', message: 'keys named __proto__ (or constructor.prototype) are not accepted' },
  ]);
}
