import { cborDecoder } from './cbor';
import type { DecoderDefinition } from './decoder';
import { mqttDecoder } from './mqtt';
import { msgpackDecoder } from './msgpack';
import { protobufDecoder } from './protobuf-wire';
import { signalRMsgpackDecoder } from './signalr-msgpack';
import { wampCborDecoder, wampMsgpackDecoder } from './wamp-binary';

/** The decoders for binary protocols, in the order "Decode as" lists them. */
export const binaryDecoders: DecoderDefinition[] = [
  cborDecoder,
  msgpackDecoder,
  mqttDecoder,
  protobufDecoder,
  signalRMsgpackDecoder,
  wampCborDecoder,
  wampMsgpackDecoder,
];
