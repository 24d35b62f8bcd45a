/**
 * A STOMP 1.2 endpoint as a message broker would run it over WebSocket: CONNECTED for the
 * page's CONNECT, RECEIPT when a frame asks for one, MESSAGE frames for its subscription to
 * /topic/prices, and heart-beats. Server frames are serialised by @stomp/stompjs, whose frame
 * class needs no DOM; client frames are read by hand, since the page's are simple.
 */
import { FrameImpl, type StompHeaders } from '@stomp/stompjs';
import { type ProtocolHandler, wanderingPrice } from './shared';

const MESSAGE_INTERVAL_MS = 2500;
/** What the server offers in CONNECTED's heart-beat header, for both directions. */
const HEART_BEAT_MS = 4000;

interface ClientFrame {
  command: string;
  headers: Map<string, string>;
}

/** Frames in one WebSocket message; bare EOLs between frames are the client's heart-beats. */
function readFrames(text: string): ClientFrame[] {
  const frames: ClientFrame[] = [];
  for (const chunk of text.split('\0')) {
    const frame = chunk.replace(/^(\r?\n)+/, '');
    if (frame === '') continue;
    const [command = '', ...lines] = frame.split(/\r?\n\r?\n/, 1)[0]!.split(/\r?\n/);
    const headers = new Map<string, string>();
    for (const line of lines) {
      const colon = line.indexOf(':');
      // STOMP 1.2: when a header repeats, the first value counts.
      if (colon > 0 && !headers.has(line.slice(0, colon)))
        headers.set(line.slice(0, colon), line.slice(colon + 1));
    }
    frames.push({ command, headers });
  }
  return frames;
}

export const serveStomp: ProtocolHandler = (socket, _request, every) => {
  // STOMP 1.2 leaves CONNECTED's headers unescaped, and every other frame's escaped.
  const send = (command: string, headers: StompHeaders, body?: string) =>
    socket.send(
      new FrameImpl({
        command,
        headers,
        ...(body === undefined ? {} : { body }),
        escapeHeaderValues: command !== 'CONNECTED',
      }).serialize(),
    );
  const receipt = (frame: ClientFrame) => {
    const id = frame.headers.get('receipt');
    if (id !== undefined) send('RECEIPT', { 'receipt-id': id });
  };
  const price = wanderingPrice(42.25);
  let connected = false;
  let messageId = 0;

  socket.on('message', (data, isBinary) => {
    if (isBinary) return;
    for (const frame of readFrames(data.toString())) {
      if (frame.command === 'CONNECT' || frame.command === 'STOMP') {
        if (connected) continue;
        connected = true;
        // The client's "cx,cy": cy is how often it wants to hear from us; 0 means never.
        const wanted = Number(frame.headers.get('heart-beat')?.split(',')[1] ?? 0);
        send('CONNECTED', {
          version: '1.2',
          'heart-beat': `${HEART_BEAT_MS},${HEART_BEAT_MS}`,
          session: `demo-${Date.now().toString(36)}`,
        });
        // Beats go out even while messages flow (the spec allows extra EOLs), so they show.
        if (wanted > 0) every(socket, Math.max(wanted, HEART_BEAT_MS), () => socket.send('\n'));
      } else if (frame.command === 'SUBSCRIBE' && connected) {
        const subscription = frame.headers.get('id') ?? '';
        const destination = frame.headers.get('destination') ?? '';
        receipt(frame);
        every(socket, MESSAGE_INTERVAL_MS, () =>
          send(
            'MESSAGE',
            {
              subscription,
              'message-id': String(++messageId),
              destination,
              'content-type': 'application/json',
            },
            JSON.stringify({ symbol: 'GLOBX', price: price(), at: new Date().toISOString() }),
          ),
        );
      } else if (frame.command === 'DISCONNECT') {
        receipt(frame);
        socket.close(1000, 'demo: STOMP DISCONNECT');
      } else if (!connected) {
        send('ERROR', { message: 'demo: CONNECT first' });
        socket.close(1002, 'demo: STOMP frame before CONNECT');
      } else receipt(frame);
    }
  });
};
