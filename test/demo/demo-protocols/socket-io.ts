/**
 * A Socket.IO-shaped endpoint: Engine.IO v4 with Socket.IO v5 packets inside, encoded by the
 * real parsers so the panel sees exactly what a Socket.IO server would send. Only what the demo
 * page uses is served: the main namespace, events, acks and the server's pings.
 */
import { randomBytes } from 'node:crypto';
import { decodePacket, type Packet as EnginePacket, encodePacket } from 'engine.io-parser';
import { Decoder, Encoder, type Packet, PacketType } from 'socket.io-parser';
import { type ProtocolHandler, wanderingPrice } from './shared';

/** Shorter than Socket.IO's 25 s default so the ping/pong pair shows up soon after loading. */
const PING_INTERVAL_MS = 5000;
const EVENT_INTERVAL_MS = 2000;

export const serveSocketIo: ProtocolHandler = (socket, request, every) => {
  const query = new URL(request.url ?? '/', 'http://127.0.0.1').searchParams;
  if (query.get('EIO') !== '4' || query.get('transport') !== 'websocket') {
    socket.close(1008, 'demo: only Engine.IO v4 over WebSocket');
    return;
  }
  const sendEngine = (packet: EnginePacket) =>
    encodePacket(packet, true, (frame: string | Buffer) => socket.send(frame));
  const encoder = new Encoder();
  const sendSocketIo = (packet: Packet) => {
    for (const part of encoder.encode(packet)) sendEngine({ type: 'message', data: part });
  };

  sendEngine({
    type: 'open',
    data: JSON.stringify({
      sid: randomBytes(10).toString('base64url'),
      upgrades: [],
      pingInterval: PING_INTERVAL_MS,
      pingTimeout: 20000,
      maxPayload: 1e6,
    }),
  });
  every(socket, PING_INTERVAL_MS, () => sendEngine({ type: 'ping' }));

  let connected = false;
  const price = wanderingPrice(101.5);
  const decoder = new Decoder();
  decoder.on('decoded', (packet: Packet) => {
    if (packet.type === PacketType.CONNECT && !connected) {
      connected = true;
      sendSocketIo({
        type: PacketType.CONNECT,
        nsp: '/',
        data: { sid: randomBytes(10).toString('base64url') },
      });
      every(socket, EVENT_INTERVAL_MS, () =>
        sendSocketIo({
          type: PacketType.EVENT,
          nsp: '/',
          data: ['price', { symbol: 'ACME', price: price(), at: new Date().toISOString() }],
        }),
      );
    } else if (packet.type === PacketType.EVENT && packet.id !== undefined) {
      const [name] = Array.isArray(packet.data) ? packet.data : [];
      sendSocketIo({
        type: PacketType.ACK,
        nsp: packet.nsp,
        id: packet.id,
        data: [{ ok: true, event: String(name), at: new Date().toISOString() }],
      });
    }
  });
  socket.on('message', (data, isBinary) => {
    // The page sends no binary attachments; pongs need no answer.
    if (isBinary) return;
    const packet = decodePacket(data.toString());
    if (packet.type !== 'message' || typeof packet.data !== 'string') return;
    try {
      decoder.add(packet.data);
    } catch {
      socket.close(1002, 'demo: malformed Socket.IO packet');
    }
  });
  socket.on('close', () => decoder.destroy());
};
