import type { Correlation, DecodeDirection, DecodeOutcome } from './decoder';
import { keyFrom, opposite } from './guarded-session';
import { idOf, isRecord } from './json-frame';
import { decodedMessage } from './message';
import { clip, preview, summaryOf } from './preview';

/**
 * WAMP v2 messages as already-parsed arrays, whatever the serialisation (JSON, MessagePack,
 * CBOR): `[code, ...fields]`. Each code names its fields, in order; trailing optional fields
 * (Arguments, ArgumentsKw) may be absent.
 */
const MESSAGES: Record<number, { type: string; fields: string[] }> = {
  1: { type: 'HELLO', fields: ['realm', 'details'] },
  2: { type: 'WELCOME', fields: ['session', 'details'] },
  3: { type: 'ABORT', fields: ['details', 'reason'] },
  4: { type: 'CHALLENGE', fields: ['authMethod', 'extra'] },
  5: { type: 'AUTHENTICATE', fields: ['signature', 'extra'] },
  6: { type: 'GOODBYE', fields: ['details', 'reason'] },
  8: { type: 'ERROR', fields: ['requestType', 'request', 'details', 'error', 'args', 'kwargs'] },
  16: { type: 'PUBLISH', fields: ['request', 'options', 'topic', 'args', 'kwargs'] },
  17: { type: 'PUBLISHED', fields: ['request', 'publication'] },
  32: { type: 'SUBSCRIBE', fields: ['request', 'options', 'topic'] },
  33: { type: 'SUBSCRIBED', fields: ['request', 'subscription'] },
  34: { type: 'UNSUBSCRIBE', fields: ['request', 'subscription'] },
  35: { type: 'UNSUBSCRIBED', fields: ['request'] },
  36: { type: 'EVENT', fields: ['subscription', 'publication', 'details', 'args', 'kwargs'] },
  48: { type: 'CALL', fields: ['request', 'options', 'procedure', 'args', 'kwargs'] },
  49: { type: 'CANCEL', fields: ['request', 'options'] },
  50: { type: 'RESULT', fields: ['request', 'details', 'args', 'kwargs'] },
  64: { type: 'REGISTER', fields: ['request', 'options', 'procedure'] },
  65: { type: 'REGISTERED', fields: ['request', 'registration'] },
  66: { type: 'UNREGISTER', fields: ['request', 'registration'] },
  67: { type: 'UNREGISTERED', fields: ['request'] },
  68: { type: 'INVOCATION', fields: ['request', 'registration', 'details', 'args', 'kwargs'] },
  69: { type: 'INTERRUPT', fields: ['request', 'options'] },
  70: { type: 'YIELD', fields: ['request', 'options', 'args', 'kwargs'] },
};

/** Messages that open a request, numbered by their sender (CALL by a caller, INVOCATION by the router). */
const REQUESTS = new Set([
  'PUBLISH',
  'SUBSCRIBE',
  'UNSUBSCRIBE',
  'CALL',
  'REGISTER',
  'UNREGISTER',
  'INVOCATION',
]);
/** Messages a requester sends later about its own request. */
const FOLLOW_UPS = new Set(['CANCEL', 'INTERRUPT']);

/** Optional fields must be absent, not null, but a peer's bug should not hide the rest. */
const OPTIONAL = new Set(['args', 'kwargs']);

/**
 * Decodes one parsed WAMP message. `direction` lets a request and its reply share a correlation
 * id: both peers number requests (the router numbers INVOCATIONs), so without it ids are joined
 * by number alone.
 */
export function decodeWampMessage(array: unknown[], direction?: DecodeDirection): DecodeOutcome {
  try {
    return decodeArray(array, direction);
  } catch {
    return { kind: 'error', error: 'could not decode WAMP message' };
  }
}

function decodeArray(array: unknown[], direction?: DecodeDirection): DecodeOutcome {
  const code = array[0];
  if (typeof code !== 'number')
    return { kind: 'error', error: 'WAMP message code is not a number' };
  const known = MESSAGES[code];
  if (known === undefined) return { kind: 'error', error: `unknown WAMP message code ${code}` };
  const required = known.fields.filter((field) => !OPTIONAL.has(field)).length;
  if (array.length - 1 < required) {
    return {
      kind: 'error',
      error: `${known.type} needs ${required} fields, has ${array.length - 1}`,
    };
  }
  const value: Record<string, unknown> = { code, type: known.type };
  known.fields.forEach((field, index) => {
    if (index + 1 < array.length) value[field] = array[index + 1];
  });
  if (array.length - 1 > known.fields.length) value.extra = array.slice(known.fields.length + 1);
  const type = known.type;
  return {
    kind: 'messages',
    messages: [
      decodedMessage(type, summarize, value, {
        correlation: correlationOf(type, value, direction),
      }),
    ],
  };
}

function summarize(value: Record<string, unknown>, type: string): string {
  const name = (key: string) =>
    typeof value[key] === 'string' ? clip(value[key], 100) : undefined;
  const payload = () =>
    value.kwargs !== undefined &&
    !(isRecord(value.kwargs) && Object.keys(value.kwargs).length === 0)
      ? preview([value.args ?? [], value.kwargs])
      : value.args === undefined
        ? undefined
        : preview(value.args);
  switch (type) {
    case 'HELLO':
      return summaryOf(name('realm'));
    case 'WELCOME':
      return summaryOf(`session ${preview(value.session)}`);
    case 'ABORT':
    case 'GOODBYE':
      return summaryOf(name('reason'), preview(value.details));
    case 'ERROR':
      return summaryOf(MESSAGES[Number(value.requestType)]?.type, name('error'), payload());
    case 'PUBLISH':
    case 'SUBSCRIBE':
      return summaryOf(name('topic'), payload());
    case 'CALL':
    case 'REGISTER':
      return summaryOf(name('procedure'), payload());
    case 'EVENT':
      return summaryOf(name('topic') ?? detailString(value.details, 'topic'), payload());
    case 'INVOCATION':
      return summaryOf(detailString(value.details, 'procedure'), payload());
    case 'RESULT':
    case 'YIELD':
      return summaryOf(payload() ?? '');
    case 'CHALLENGE':
      return summaryOf(name('authMethod'));
    default:
      // The rest carry only ids: request, subscription, publication, registration.
      return summaryOf(
        ...Object.entries(value)
          .filter(([key]) => key !== 'code' && key !== 'type')
          .map(([key, field]) => `${key}=${preview(field, 40)}`),
      );
  }
}

/** Routers may name the topic or procedure in Details (publisher/caller disclosure). */
function detailString(details: unknown, key: string): string | undefined {
  return isRecord(details) && typeof details[key] === 'string'
    ? clip(details[key], 100)
    : undefined;
}

function correlationOf(
  type: string,
  value: Record<string, unknown>,
  direction: DecodeDirection | undefined,
): Correlation | undefined {
  const request = idOf(value.request);
  if (request === undefined || !('request' in value)) return undefined;
  const key = (origin: DecodeDirection | undefined) =>
    origin === undefined ? request : keyFrom(origin, request);
  const there = direction && opposite(direction);
  if (REQUESTS.has(type)) return { id: key(direction), role: 'request' };
  if (FOLLOW_UPS.has(type)) return { id: key(direction), role: 'end' };
  const options = type === 'RESULT' ? value.details : value.options;
  const progress = isRecord(options) && options.progress === true;
  return { id: key(there), role: progress ? 'stream' : 'reply' };
}
