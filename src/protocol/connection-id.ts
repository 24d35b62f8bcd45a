/**
 * The hook's number for one of a document's WebSockets: capture events say which socket they
 * happened on by it, and page commands which socket they act on.
 */
export type ConnectionId = number;
