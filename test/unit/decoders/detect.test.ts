import { FrameImpl } from '@stomp/stompjs';
import { describe, expect, it } from 'vitest';
import type { DecodeDirection, DecoderInput } from '../../../src/decoders/decoder';
import { detectDecoder } from '../../../src/decoders/detect';
import { binary, text } from './decode-helpers';

type Frame = { direction: DecodeDirection; input: DecoderInput };
const detect = (url: string, protocol = '', firstFrames: Frame[] = []) =>
  detectDecoder({ url, protocol, firstFrames });
const sent = (input: DecoderInput): Frame => ({ direction: 'sent', input });
const received = (input: DecoderInput): Frame => ({ direction: 'received', input });

describe('detectDecoder', () => {
  it('trusts the selected subprotocol first', () => {
    const cases: Array<[string, string]> = [
      ['graphql-transport-ws', 'graphql-transport-ws'],
      ['graphql-ws', 'subscriptions-transport-ws'],
      ['mqtt', 'mqtt'],
      ['mqttv3.1', 'mqtt'],
      ['v10.stomp', 'stomp'],
      ['v11.stomp', 'stomp'],
      ['v12.stomp', 'stomp'],
      ['wamp.2.json', 'wamp-json'],
      ['wamp.2.msgpack', 'wamp-msgpack'],
      ['wamp.2.cbor', 'wamp-cbor'],
      ['actioncable-v1-json', 'action-cable'],
      ['actioncable-unsupported', 'action-cable'],
    ];
    for (const [protocol, id] of cases) {
      expect(detect('wss://example.test/socket.io/?EIO=4&transport=websocket', protocol)).toBe(id);
    }
    expect(detect('wss://example.test/', 'constructor')).toBeNull();
    expect(detect('wss://example.test/', 'chat')).toBeNull();
  });

  it('recognises URLs only one library makes', () => {
    expect(detect('wss://a.test/socket.io/?EIO=4&transport=websocket&sid=x')).toBe('socket.io');
    expect(detect('wss://a.test/custom/?EIO=3&transport=websocket')).toBe('socket.io');
    expect(detect('wss://a.test/engine.io/')).toBe('socket.io');
    expect(detect('wss://a.test/echo/123/abcdefgh/websocket')).toBe('sockjs');
    expect(detect('wss://a.test/api/v1/websocket')).toBeNull();
    expect(detect('wss://a.test/socket/websocket?token=x&vsn=2.0.0')).toBe('phoenix');
    expect(detect('wss://a.test/live/websocket?vsn=1.0.0')).toBe('phoenix');
  });

  it('tells STOMP over SockJS from plain SockJS', () => {
    const connect = new FrameImpl({
      command: 'CONNECT',
      headers: { 'accept-version': '1.2' },
    }).serialize() as string;
    const url = 'wss://a.test/ws/042/x1y2z3w4/websocket';
    expect(detect(url, '', [received(text('o')), sent(text(JSON.stringify([connect])))])).toBe(
      'sockjs-stomp',
    );
    expect(detect(url, '', [received(text('a["CONNECTED\\nversion:1.2\\n\\n\\u0000"]'))])).toBe(
      'sockjs-stomp',
    );
    expect(detect(url, '', [received(text('o')), sent(text('["hi"]'))])).toBe('sockjs');
  });

  it('reads the first frames', () => {
    const url = 'wss://a.test/ws';
    expect(detect(url, '', [sent(text('{"protocol":"json","version":1}\x1e'))])).toBe(
      'signalr-json',
    );
    expect(detect(url, '', [sent(text('{"protocol":"messagepack","version":1}\x1e'))])).toBe(
      'signalr-msgpack',
    );
    const connect = new FrameImpl({
      command: 'CONNECT',
      headers: { host: 'h' },
    }).serialize() as string;
    expect(detect(url, '', [sent(text(connect))])).toBe('stomp');
    expect(detect(url, '', [sent(text('STOMP\r\nhost:h\r\n\r\n\0'))])).toBe('stomp');
    expect(detect(url, '', [received(text('CONNECTED\nversion:1.2\n\n\0'))])).toBe('stomp');
    expect(detect(url, '', [sent(text('{ "jsonrpc" : "2.0", "method":"a", "id":1}'))])).toBe(
      'json-rpc',
    );
    expect(detect(url, '', [received(text('[{"jsonrpc":"2.0","result":1,"id":1}]'))])).toBe(
      'json-rpc',
    );
    expect(detect(url, '', [received(text('0{"sid":"a","upgrades":[],"pingInterval":1}'))])).toBe(
      'socket.io',
    );
    expect(detect(url, '', [received(text('{"type":"welcome"}'))])).toBe('action-cable');
    expect(detect(url, '', [sent(text('["1","1","room:1","phx_join",{}]'))])).toBe('phoenix');
    expect(detect(url, '', [sent(text('hello')), received(text('world'))])).toBeNull();
  });

  it('recognises MQTT CONNECT packets', () => {
    // Written from the MQTT 3.1.1 and 3.1 specifications' CONNECT layout.
    const mqtt311 = [
      0x10, 0x0c, 0x00, 0x04, 0x4d, 0x51, 0x54, 0x54, 0x04, 0x02, 0x00, 0x3c, 0x00, 0x00,
    ];
    const mqtt31 = [
      0x10, 0x0e, 0x00, 0x06, 0x4d, 0x51, 0x49, 0x73, 0x64, 0x70, 0x03, 0x02, 0x00, 0x3c,
    ];
    expect(detect('wss://a.test/mqtt', '', [sent(binary(mqtt311))])).toBe('mqtt');
    expect(detect('wss://a.test/mqtt', '', [sent(binary(mqtt31))])).toBe('mqtt');
    // A two-byte remaining length.
    expect(
      detect('wss://a.test/', '', [sent(binary([0x10, 0x80, 0x01, 0, 4, 77, 81, 84, 84]))]),
    ).toBe('mqtt');
    expect(
      detect('wss://a.test/', '', [sent(binary([0x10, 0x0c, 0, 4, 77, 81, 84, 88]))]),
    ).toBeNull();
    expect(detect('wss://a.test/', '', [sent(binary([0x10]))])).toBeNull();
  });

  it('guesses SignalR from its id query only when no frame says otherwise', () => {
    expect(detect('wss://a.test/chathub?id=abc123')).toBe('signalr-json');
    expect(detect('wss://a.test/page?id=7', '', [sent(text('hello'))])).toBeNull();
    expect(
      detect('wss://a.test/hub?id=abc', '', [
        sent(text('{"protocol":"messagepack","version":1}\x1e')),
      ]),
    ).toBe('signalr-msgpack');
  });

  it('never throws on odd connections', () => {
    expect(detect('not a url')).toBeNull();
    expect(
      detect('', '', [
        sent(binary([])),
        sent(text('x'.repeat(1_000_000))),
        received(binary([0xff])),
      ]),
    ).toBeNull();
    expect(detect('wss://a.test/', '', [sent(text('\x1e')), sent(text('{"jsonrpc":"2.0"'))])).toBe(
      'json-rpc',
    );
  });
});
