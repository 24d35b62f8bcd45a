import type { Correlation, DecodedMessage, DecoderDefinition } from './decoder';
import { operationOf } from './graphql-operation';
import { guardedSession } from './guarded-session';
import { frameText, idOf, isRecord, parseJson } from './json-frame';
import { decodedMessage } from './message';
import { clip, preview, summaryOf } from './preview';

/**
 * GraphQL over WebSocket, in its two protocols: `graphql-transport-ws` (the graphql-ws library)
 * and the older `subscriptions-transport-ws` (whose subprotocol is confusingly named
 * `graphql-ws`). Both send `{type, id?, payload?}`; only clients number operations, so the id
 * alone joins an operation's messages.
 */
type Role = Correlation['role'];

interface Kind {
  /** The operation's role for messages with an id. */
  role?: Role;
  heartbeat?: boolean;
  /** What the payload holds, for the summary. */
  payload?: 'operation' | 'result' | 'errors';
}

const TRANSPORT_WS: Record<string, Kind> = {
  connection_init: {},
  connection_ack: {},
  ping: { heartbeat: true },
  pong: { heartbeat: true },
  subscribe: { role: 'request', payload: 'operation' },
  next: { role: 'stream', payload: 'result' },
  error: { role: 'end', payload: 'errors' },
  complete: { role: 'end' },
};

const SUBSCRIPTIONS_TRANSPORT_WS: Record<string, Kind> = {
  connection_init: {},
  connection_ack: {},
  connection_error: {},
  connection_terminate: {},
  ka: { heartbeat: true },
  start: { role: 'request', payload: 'operation' },
  data: { role: 'stream', payload: 'result' },
  error: { role: 'end', payload: 'errors' },
  complete: { role: 'end' },
  stop: { role: 'end' },
};

/** `subscription OnMessage {"room":1}`: from operationName, else from the query's text. */
function operationSummary(payload: unknown): string {
  if (!isRecord(payload)) return preview(payload);
  const given =
    typeof payload.operationName === 'string' && payload.operationName !== ''
      ? payload.operationName
      : undefined;
  const fromText =
    typeof payload.query === 'string' ? operationOf(payload.query, given) : undefined;
  const name = given ?? fromText?.name;
  const variables =
    isRecord(payload.variables) && Object.keys(payload.variables).length > 0
      ? preview(payload.variables)
      : undefined;
  return summaryOf(fromText?.operation, name === undefined ? undefined : clip(name, 80), variables);
}

/** Errors show by their messages: the rest (locations, paths) is for the details. */
function errorsSummary(errors: unknown): string {
  if (!Array.isArray(errors)) return preview(errors);
  const messages = errors
    .slice(0, 5)
    .map((error) =>
      isRecord(error) && typeof error.message === 'string'
        ? clip(error.message, 100)
        : preview(error, 100),
    );
  return summaryOf(...messages);
}

function resultSummary(result: unknown): string {
  if (!isRecord(result)) return preview(result);
  if (Array.isArray(result.errors) && result.errors.length > 0) {
    return summaryOf('errors:', errorsSummary(result.errors));
  }
  return preview('data' in result ? result.data : result);
}

function decodeMessage(kinds: Record<string, Kind>, value: unknown): DecodedMessage | string {
  if (!isRecord(value) || typeof value.type !== 'string') return 'not a {type, …} message';
  const type = value.type;
  const kind = Object.hasOwn(kinds, type) ? kinds[type] : undefined;
  if (kind === undefined) return `unknown message type ${clip(type, 60)}`;
  const id = idOf(value.id);
  return decodedMessage(type, PAYLOAD_SUMMARIES[kind.payload ?? 'other'], value, {
    correlation: kind.role !== undefined && id !== undefined ? { id, role: kind.role } : undefined,
    heartbeat: kind.heartbeat ? true : undefined,
  });
}

/** The summary of each kind of payload, read from the message's `payload`. */
const PAYLOAD_SUMMARIES: Record<
  NonNullable<Kind['payload']> | 'other',
  (value: Record<string, unknown>) => string
> = {
  operation: ({ payload }) => operationSummary(payload),
  result: ({ payload }) => resultSummary(payload),
  errors: ({ payload }) =>
    errorsSummary(isRecord(payload) && 'message' in payload ? [payload] : payload),
  other: ({ payload }) => (payload === undefined || payload === null ? '' : preview(payload)),
};

function defineGraphql(id: string, label: string, kinds: Record<string, Kind>): DecoderDefinition {
  return {
    id,
    label,
    create: () =>
      guardedSession((_direction, input) => {
        const text = frameText(input);
        if (text === null) return { kind: 'error', error: 'binary frame is not UTF-8 text' };
        const parsed = parseJson(text);
        if (!parsed.ok) return { kind: 'error', error: parsed.error };
        const message = decodeMessage(kinds, parsed.value);
        if (typeof message === 'string') return { kind: 'error', error: message };
        return { kind: 'messages', messages: [message] };
      }),
  };
}

export const graphqlTransportWsDecoder = defineGraphql(
  'graphql-transport-ws',
  'GraphQL over WebSocket (graphql-transport-ws)',
  TRANSPORT_WS,
);

export const subscriptionsTransportWsDecoder = defineGraphql(
  'subscriptions-transport-ws',
  'GraphQL subscriptions-transport-ws (legacy graphql-ws)',
  SUBSCRIPTIONS_TRANSPORT_WS,
);
