import type { DecodedField, HookRule } from '../protocol/socket-rules';
import { escapeRegExp } from './url-glob';

/**
 * A decoded field's match, as the page can test it without a decoder: decoding runs in the panel
 * only, so each field a rule may match on is one the frame's own text shows in a fixed place — a
 * regular expression over the framing, or a JSON path. They match what the panel's decoder of
 * that protocol (src/decoders/) reads as the field.
 */
export function decodedMatch(field: DecodedField, equals: string): HookRule['match'] {
  switch (field) {
    case 'socket.io event':
      // EVENT (2) or BINARY_EVENT (5) in an Engine.IO message (4): 42["chat",…], 42/ns,7["chat"].
      return regex(
        `^4[25](?:\\d+-)?(?:/[^,\\[]*,)?\\d*\\[${escapeRegExp(JSON.stringify(equals))}[,\\]]`,
      );
    case 'stomp command':
      // Heart-beats (end-of-lines) may come before a frame.
      return regex(`^(?:\\r?\\n)*${escapeRegExp(equals)}\\r?\\n`);
    case 'stomp destination':
      return regex(
        `^(?:\\r?\\n)*[A-Z]+\\r?\\n(?:[^\\r\\n]+\\r?\\n)*?destination:${escapeRegExp(equals)}\\r?\\n`,
      );
    case 'json-rpc method':
      return { kind: 'json', path: ['method'], equals };
    case 'graphql-ws type':
      return { kind: 'json', path: ['type'], equals };
    case 'phoenix event':
      // The v2 serializer's arrays: [join_ref, ref, topic, event, payload].
      return { kind: 'json', path: [3], equals };
  }
}

function regex(pattern: string): HookRule['match'] {
  return { kind: 'regex', pattern, flags: '' };
}
