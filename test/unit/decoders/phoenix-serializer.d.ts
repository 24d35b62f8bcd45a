/** The part of phoenix.js the tests use: the package ships no types. */
declare module 'phoenix' {
  interface PhoenixMessage {
    join_ref: string | null;
    ref: string | null;
    topic: string;
    event: string;
    payload: unknown;
  }
  export const Serializer: {
    encode(message: PhoenixMessage, callback: (encoded: string | ArrayBuffer) => void): void;
    decode(raw: string | ArrayBuffer, callback: (message: PhoenixMessage) => void): void;
  };
}
