import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';

/**
 * Repeats `tick` every `ms` until the socket closes or the returned function is called. The demo
 * server owns the timers so that its close() can stop them at once, without waiting for every
 * socket's close event.
 */
export type Every = (socket: WebSocket, ms: number, tick: () => void) => () => void;

/** One demo endpoint: speaks its protocol on an accepted WebSocket. */
export type ProtocolHandler = (socket: WebSocket, request: IncomingMessage, every: Every) => void;

/** A price that wanders a little each time, so periodic messages differ from one another. */
export function wanderingPrice(start: number): () => number {
  let price = start;
  return () => {
    price = Math.round(price * (0.98 + Math.random() * 0.04) * 100) / 100;
    return price;
  };
}
