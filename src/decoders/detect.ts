import type { DecodeDirection, DecoderInput } from './decoder';
import { frameText, isRecord, parseJson } from './json-frame';

/**
 * Guesses a connection's protocol, most reliable evidence first: the subprotocol the server
 * selected, then URL shapes that only one library makes, then what the first frames say, and
 * last URL hints that other applications could also produce.
 */
export interface DetectableConnection {
  url: string;
  /** The selected subprotocol; empty when none. */
  protocol: string;
  firstFrames: Array<{ direction: DecodeDirection; input: DecoderInput }>;
}

const SUBPROTOCOLS: Record<string, string> = {
  'graphql-transport-ws': 'graphql-transport-ws',
  // The legacy subscriptions-transport-ws library took this name before graphql-ws existed.
  'graphql-ws': 'subscriptions-transport-ws',
  mqtt: 'mqtt',
  'mqttv3.1': 'mqtt',
  'v10.stomp': 'stomp',
  'v11.stomp': 'stomp',
  'v12.stomp': 'stomp',
  stomp: 'stomp',
  'wamp.2.json': 'wamp-json',
  'wamp.2.json.batched': 'wamp-json',
  'wamp.2.msgpack': 'wamp-msgpack',
  'wamp.2.cbor': 'wamp-cbor',
  'actioncable-v1-json': 'action-cable',
  'actioncable-unsupported': 'action-cable',
};

/** The first frames are read only this far: their start tells the protocol. */
const HEAD = 4096;

export function detectDecoder(connection: DetectableConnection): string | null {
  const subprotocol = connection.protocol.trim().toLowerCase();
  if (Object.hasOwn(SUBPROTOCOLS, subprotocol)) return SUBPROTOCOLS[subprotocol]!;
  const url = parseUrl(connection.url);
  const frames = connection.firstFrames.slice(0, 20);
  if (url !== undefined) {
    if (url.searchParams.has('EIO') || /\/(socket|engine)\.io\/?$/.test(url.pathname))
      return 'socket.io';
    // sockjs-client names the endpoint /<3-digit server>/<session>/websocket.
    if (/\/\d{3}\/[^/.]+\/websocket\/?$/.test(url.pathname))
      return carriesStomp(frames) ? 'sockjs-stomp' : 'sockjs';
    if (url.searchParams.has('vsn')) return 'phoenix';
  }
  for (const frame of frames) {
    const found = fromFrame(frame.direction, frame.input);
    if (found !== null) return found;
  }
  // SignalR puts its connection token in `id`; many other URLs have an id too, so this holds only
  // when the client's first frame does not contradict it (SignalR's is always the handshake).
  if (url?.searchParams.has('id') && !frames.some((frame) => frame.direction === 'sent'))
    return 'signalr-json';
  return null;
}

function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

function fromFrame(direction: DecodeDirection, input: DecoderInput): string | null {
  if (input.kind === 'binary' && isMqttConnect(input.bytes)) return 'mqtt';
  const whole =
    input.kind === 'text' ? input.text : input.bytes[0] === 0x10 ? null : frameText(input);
  if (whole === null) return null;
  const text = whole.slice(0, HEAD);
  if (direction === 'sent' && /^(CONNECT|STOMP)\r?\n/.test(text)) return 'stomp';
  if (direction === 'received' && /^CONNECTED\r?\n/.test(text)) return 'stomp';
  if (direction === 'sent' && whole.endsWith('\x1e')) {
    const handshake = parseJson(whole.slice(0, whole.indexOf('\x1e')));
    if (handshake.ok && isRecord(handshake.value) && typeof handshake.value.protocol === 'string') {
      return handshake.value.protocol === 'messagepack' ? 'signalr-msgpack' : 'signalr-json';
    }
  }
  if (/"jsonrpc"\s*:\s*"2\.0"/.test(text)) return 'json-rpc';
  if (direction === 'received' && /^0\{.*"sid"/.test(text) && text.includes('"pingInterval"'))
    return 'socket.io';
  if (direction === 'received' && /^\{\s*"type"\s*:\s*"welcome"\s*\}$/.test(text))
    return 'action-cable';
  if (/"phx_(join|reply)"/.test(text)) return 'phoenix';
  return null;
}

/** An MQTT CONNECT packet: type byte 0x10, remaining length, then "MQTT" (3.1.1, 5) or "MQIsdp" (3.1). */
function isMqttConnect(bytes: Uint8Array): boolean {
  if (bytes[0] !== 0x10) return false;
  let i = 1;
  // The remaining length takes one to four bytes, the high bit meaning "more".
  while (i < 5 && (bytes[i] ?? 0) & 0x80) i++;
  i++;
  const length = ((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0);
  const name = String.fromCharCode(...bytes.subarray(i + 2, i + 2 + length));
  return (length === 4 && name === 'MQTT') || (length === 6 && name === 'MQIsdp');
}

/**
 * Whether SockJS messages in the first frames are STOMP frames (Spring's usual setup): a client
 * array or a server `a` frame whose first message starts with a connection command.
 */
function carriesStomp(frames: DetectableConnection['firstFrames']): boolean {
  return frames.some(
    ({ input }) =>
      input.kind === 'text' &&
      /^a?\["(CONNECT|STOMP|CONNECTED)(\\r)?\\n/.test(input.text.slice(0, HEAD)),
  );
}
