/**
 * A binary feed of Protocol Buffers messages, written by hand from the wire format so the demo
 * needs no .proto compiler. Nothing in the traffic says "protobuf", so the panel cannot detect
 * it: this is the feed to try "Decode as" on. The messages follow this schema:
 *
 *   message Quote { string symbol = 1; uint64 seq = 2; Tick tick = 3; }
 *   message Tick  { uint64 price_cents = 1; uint64 unix_seconds = 2; }
 */
import { type ProtocolHandler, wanderingPrice } from './shared';

const QUOTE_INTERVAL_MS = 2000;
const VARINT = 0;
const LENGTH_DELIMITED = 2;

/** Seven bits a byte, least significant first; the high bit says another byte follows. */
function varint(value: number): number[] {
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  bytes.push(rest);
  return bytes;
}

const key = (field: number, wireType: number) => varint(field * 8 + wireType);
const varintField = (field: number, value: number) => [...key(field, VARINT), ...varint(value)];
const bytesField = (field: number, bytes: Uint8Array | number[]) => [
  ...key(field, LENGTH_DELIMITED),
  ...varint(bytes.length),
  ...bytes,
];

function encodeQuote(symbol: string, seq: number, priceCents: number, at: Date): Buffer {
  const tick = [...varintField(1, priceCents), ...varintField(2, Math.floor(at.getTime() / 1000))];
  return Buffer.from([
    ...bytesField(1, new TextEncoder().encode(symbol)),
    ...varintField(2, seq),
    ...bytesField(3, tick),
  ]);
}

export const serveProtobuf: ProtocolHandler = (socket, _request, every) => {
  const price = wanderingPrice(101.5);
  let seq = 0;
  every(socket, QUOTE_INTERVAL_MS, () =>
    socket.send(encodeQuote('ACME', seq++, Math.round(price() * 100), new Date())),
  );
};
