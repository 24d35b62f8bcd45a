import type { DecodedMessage, DecoderDefinition } from './decoder';
import { guardedSession } from './guarded-session';
import { frameText, parseJson } from './json-frame';
import { decodeWampMessage } from './wamp-message';

/**
 * WAMP v2 over JSON (`wamp.2.json`): one message array per frame. The `.batched` variant puts
 * several messages in a frame, each followed by a separator: the specification's text names
 * 0x1E, while Autobahn writes octal \30, 0x18. Either is accepted.
 */
export { decodeWampMessage } from './wamp-message';

const SEPARATORS = ['\x18', '\x1e'];

export const wampJsonDecoder: DecoderDefinition = {
  id: 'wamp-json',
  label: 'WAMP (JSON)',
  create: () =>
    guardedSession((direction, input) => {
      const text = frameText(input);
      if (text === null) return { kind: 'error', error: 'binary frame is not UTF-8 text' };
      const separator = SEPARATORS.find((candidate) => text.includes(candidate));
      const parts =
        separator === undefined
          ? [text]
          : text.split(separator).filter((part) => part.trim() !== '');
      const messages: DecodedMessage[] = [];
      for (const part of parts) {
        const parsed = parseJson(part);
        if (!parsed.ok) return { kind: 'error', error: parsed.error };
        if (!Array.isArray(parsed.value))
          return { kind: 'error', error: 'WAMP message is not an array' };
        const outcome = decodeWampMessage(parsed.value, direction);
        if (outcome.kind !== 'messages') return outcome;
        messages.push(...outcome.messages);
      }
      if (messages.length === 0) return { kind: 'error', error: 'empty frame' };
      return { kind: 'messages', messages };
    }),
};
