/**
 * A GraphQL over WebSocket endpoint (the graphql-transport-ws protocol of graphql-ws): the
 * handshake, one price subscription streaming `next` messages, and pong for the page's pings.
 * Messages are parsed and written by graphql-ws's own helpers; no schema runs, since the demo
 * only needs the traffic a real server would produce.
 */
import { CloseCode, MessageType, parseMessage, stringifyMessage } from 'graphql-ws';
import { type ProtocolHandler, wanderingPrice } from './shared';

const NEXT_INTERVAL_MS = 2000;

export const serveGraphql: ProtocolHandler = (socket, _request, every) => {
  let acknowledged = false;
  const subscriptions = new Map<string, () => void>();
  const price = wanderingPrice(7.8);

  socket.on('message', (data, isBinary) => {
    let message: ReturnType<typeof parseMessage>;
    try {
      message = parseMessage(isBinary ? '' : data.toString());
    } catch (error) {
      socket.close(CloseCode.BadRequest, `demo: ${(error as Error).message}`.slice(0, 120));
      return;
    }
    switch (message.type) {
      case MessageType.ConnectionInit:
        if (acknowledged) {
          socket.close(CloseCode.TooManyInitialisationRequests, 'Too many initialisation requests');
          return;
        }
        acknowledged = true;
        socket.send(stringifyMessage({ type: MessageType.ConnectionAck }));
        return;
      case MessageType.Ping:
        socket.send(stringifyMessage({ type: MessageType.Pong }));
        return;
      case MessageType.Subscribe: {
        if (!acknowledged) {
          socket.close(CloseCode.Unauthorized, 'Unauthorized');
          return;
        }
        const { id } = message;
        if (subscriptions.has(id)) {
          socket.close(CloseCode.SubscriberAlreadyExists, `Subscriber for ${id} already exists`);
          return;
        }
        const stop = every(socket, NEXT_INTERVAL_MS, () =>
          socket.send(
            stringifyMessage({ type: MessageType.Next, id, payload: { data: { price: price() } } }),
          ),
        );
        subscriptions.set(id, stop);
        return;
      }
      case MessageType.Complete:
        subscriptions.get(message.id)?.();
        subscriptions.delete(message.id);
        return;
      default:
        // Pongs and anything else the client may send need no answer.
        return;
    }
  });
};
