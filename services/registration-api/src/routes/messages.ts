// The device's message box: GET …/messages gives the stored MESSAGEs not yet acknowledged,
// oldest first; POST …/messages/ack marks some acknowledged (idempotent; an acknowledged
// message is never given again).
import type { FastifyInstance } from 'fastify';
import { instanceGuard } from '../auth.js';
import { ackMessages, unackedMessages } from '../message-store.js';
import type { MessageRow } from '../message-store.js';
import {
  AckBody,
  AckReply,
  ErrorBody,
  MessagesQuery,
  MessagesReply,
  SelectorParams,
} from '../schemas.js';
import type { MessageView } from '../schemas.js';
import type { BuildApiOptions } from '../types.js';

const DEFAULT_LIMIT = 50;
const utf8 = new TextDecoder('utf-8', { fatal: true });

function textOf(row: MessageRow): string | null {
  if (!/^text\//i.test(row.content_type.trim())) return null;
  try {
    return utf8.decode(row.body);
  } catch {
    return null;
  }
}

function messageView(row: MessageRow): MessageView {
  return {
    id: row.id,
    callId: row.call_id,
    from: row.from_uri,
    to: row.to_uri,
    contentType: row.content_type,
    body: Buffer.from(row.body).toString('base64'),
    text: textOf(row),
    receivedAt: new Date(row.received_at).getTime(),
  };
}

export function messageRoutes(app: FastifyInstance, options: BuildApiOptions): void {
  const { db, log } = options;
  const security = [{ instanceToken: [] }];

  app.get<{ Params: SelectorParams; Querystring: MessagesQuery }>(
    '/v1/instances/:selector/messages',
    {
      preValidation: instanceGuard(db),
      schema: {
        summary: 'Stored messages not yet acknowledged, oldest first',
        security,
        params: SelectorParams,
        querystring: MessagesQuery,
        response: { 200: MessagesReply, 400: ErrorBody, 401: ErrorBody },
      },
    },
    async (request) => {
      const rows = await unackedMessages(
        db,
        request.params.selector,
        request.query.limit ?? DEFAULT_LIMIT,
      );
      return { messages: rows.map(messageView) };
    },
  );

  app.post<{ Params: SelectorParams; Body: AckBody }>(
    '/v1/instances/:selector/messages/ack',
    {
      preValidation: instanceGuard(db),
      schema: {
        summary: 'Mark messages acknowledged (idempotent)',
        security,
        params: SelectorParams,
        body: AckBody,
        response: { 200: AckReply, 400: ErrorBody, 401: ErrorBody },
      },
    },
    async (request) => {
      const { selector } = request.params;
      const acknowledged = await ackMessages(db, selector, request.body.ids);
      log.info({ selector, acknowledged }, 'messages acknowledged');
      return { acknowledged };
    },
  );
}
