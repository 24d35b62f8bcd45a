import { actionCableDecoder } from './action-cable';
import type { DecoderDefinition } from './decoder';
import { socketIoDecoder } from './engine-io-socket-io';
import { graphqlTransportWsDecoder, subscriptionsTransportWsDecoder } from './graphql-ws';
import { jsonRpcDecoder } from './json-rpc';
import { phoenixDecoder } from './phoenix';
import { signalrJsonDecoder } from './signalr-json';
import { sockJsDecoder } from './sockjs';
import { sockJsStompDecoder } from './sockjs-stomp';
import { stompDecoder } from './stomp';
import { wampJsonDecoder } from './wamp-json';

/** The decoders for text protocols, in the order "Decode as" lists them. */
export const textDecoders: DecoderDefinition[] = [
  actionCableDecoder,
  graphqlTransportWsDecoder,
  subscriptionsTransportWsDecoder,
  jsonRpcDecoder,
  phoenixDecoder,
  signalrJsonDecoder,
  socketIoDecoder,
  sockJsDecoder,
  sockJsStompDecoder,
  stompDecoder,
  wampJsonDecoder,
];
