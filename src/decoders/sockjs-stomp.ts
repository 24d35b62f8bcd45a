import { createSockJsDecoder } from './sockjs';
import { stompDecoder } from './stomp';

/** STOMP inside SockJS messages: what Spring's `withSockJS()` endpoints speak. */
export const sockJsStompDecoder = createSockJsDecoder(stompDecoder, {
  id: 'sockjs-stomp',
  label: 'STOMP over SockJS',
});
