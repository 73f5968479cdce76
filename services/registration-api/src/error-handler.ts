// Every failure becomes `{ error, message, field? }`: schema failures name the field by JSON
// pointer, a database outage is 503, anything else 500 with its detail only in the log. No
// message carries a value from the body (ajv's messages name rules, not values).
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DbError } from '@sipwake/db';
import { ApiError, ApiErrorCode, ApiErrorStatus } from './errors.js';
import type { ApiLog } from './types.js';

interface ValidationItem {
  readonly instancePath?: string;
  readonly message?: string;
  readonly params?: { readonly missingProperty?: string; readonly additionalProperty?: string };
}

/** The JSON pointer of the field an ajv error is about. */
export function fieldOf(item: ValidationItem): string {
  const base = item.instancePath ?? '';
  const child = item.params?.missingProperty ?? item.params?.additionalProperty;
  return child === undefined ? base || '/' : `${base}/${child}`;
}

function send(reply: FastifyReply, error: ApiError): FastifyReply {
  const body: Record<string, string> = { error: error.code, message: error.message };
  if (error.field !== undefined) body.field = error.field;
  if (error.retryAfterSeconds !== undefined) {
    void reply.header('retry-after', String(error.retryAfterSeconds));
  }
  return reply.status(error.statusCode).send(body);
}

export function toApiError(error: FastifyError | Error, log: ApiLog): ApiError {
  if (error instanceof ApiError) return error;
  const fe = error as FastifyError & { validation?: ValidationItem[]; validationContext?: string };
  if (Array.isArray(fe.validation) && fe.validation.length > 0) {
    const first = fe.validation[0] as ValidationItem;
    if (fe.validationContext === 'querystring') {
      // A query parameter is named as itself (`limit`), not as a pointer into a body.
      const name = fieldOf(first).replace(/^\//, '');
      return new ApiError(ApiErrorCode.InvalidQuery, `${name} ${first.message ?? 'is invalid'}`, {
        field: name,
      });
    }
    const field = fieldOf(first);
    return new ApiError(ApiErrorCode.InvalidBody, `${field} ${first.message ?? 'is invalid'}`, {
      field,
    });
  }
  if (fe.statusCode === ApiErrorStatus['rate-limited']) {
    return new ApiError(ApiErrorCode.RateLimited, 'too many requests; retry later');
  }
  if (fe.statusCode === 400 || fe.statusCode === 415 || fe.statusCode === 413) {
    // Unparsable JSON, wrong content type, body too large: fastify's message names no value.
    return new ApiError(ApiErrorCode.InvalidBody, fe.message, { field: '/' });
  }
  if (error instanceof DbError && (error.retryable || error.code === 'CLOSED')) {
    log.warn({ code: error.code }, 'database unavailable');
    return new ApiError(ApiErrorCode.Unavailable, 'the store is unavailable; retry later');
  }
  log.error({ err: error }, 'request failed');
  return new ApiError(ApiErrorCode.Internal, 'internal error');
}

export function installErrorHandler(app: FastifyInstance, log: ApiLog): void {
  app.setErrorHandler((error: FastifyError, _request: FastifyRequest, reply: FastifyReply) =>
    send(reply, toApiError(error, log)),
  );
  app.setNotFoundHandler((_request, reply) =>
    send(reply, new ApiError(ApiErrorCode.NotFound, 'no such route')),
  );
}
