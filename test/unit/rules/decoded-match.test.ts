import { describe, expect, it } from 'vitest';
import type { DecodedField, HookRule } from '../../../src/protocol/socket-rules';
import { decodedMatch } from '../../../src/rules/decoded-match';

/** Whether a compiled match holds for a text frame, as the page hook tests it. */
function holds(match: HookRule['match'], frame: string): boolean {
  if (match.kind === 'regex') return new RegExp(match.pattern, match.flags).test(frame);
  if (match.kind !== 'json') throw new Error(`unexpected ${match.kind}`);
  let value: unknown = JSON.parse(frame);
  for (const key of match.path) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, key)) return false;
    value = (value as Record<string | number, unknown>)[key];
  }
  return value === match.equals;
}

const cases: Array<[DecodedField, string, string[], string[]]> = [
  [
    'socket.io event',
    'chat',
    [
      '42["chat",{"text":"hi"}]',
      '42/admin,["chat"]',
      '4217["chat","ack me"]',
      '451-["chat",{"_placeholder":true,"num":0}]',
    ],
    ['42["chatty"]', '43["chat"]', '2', '42["news","chat"]', '0{"sid":"x"}'],
  ],
  [
    'stomp command',
    'SEND',
    ['SEND\ndestination:/queue/a\n\nhi\0', '\n\nSEND\r\ndestination:/a\r\n\r\n\0'],
    ['MESSAGE\ndestination:/queue/a\n\nSEND\0', 'SENDER\n\n\0'],
  ],
  [
    'stomp destination',
    '/topic/prices',
    [
      'SUBSCRIBE\nid:0\ndestination:/topic/prices\n\n\0',
      'MESSAGE\ndestination:/topic/prices\n\n{}\0',
    ],
    [
      'SUBSCRIBE\nid:0\ndestination:/topic/prices.eu\n\n\0',
      'SEND\n\ndestination:/topic/prices\n\0',
    ],
  ],
  [
    'json-rpc method',
    'sum',
    ['{"jsonrpc":"2.0","method":"sum","params":[1,2],"id":1}'],
    ['{"jsonrpc":"2.0","result":"sum","id":1}'],
  ],
  [
    'graphql-ws type',
    'subscribe',
    ['{"id":"1","type":"subscribe","payload":{}}'],
    ['{"type":"next","id":"1"}'],
  ],
  [
    'phoenix event',
    'phx_join',
    ['["1","1","room:lobby","phx_join",{}]'],
    ['["1","1","phx_join","shout",{}]'],
  ],
];

describe('decoded-field matches', () => {
  for (const [field, equals, matching, other] of cases) {
    it(`${field} = ${equals}`, () => {
      const match = decodedMatch(field, equals);
      for (const frame of matching) expect(holds(match, frame), frame).toBe(true);
      for (const frame of other) expect(holds(match, frame), frame).toBe(false);
    });
  }

  it('reads a value with RegExp syntax in it literally', () => {
    const match = decodedMatch('socket.io event', 'a.b(c)*');
    expect(holds(match, '42["a.b(c)*"]')).toBe(true);
    expect(holds(match, '42["aXb(c)"]')).toBe(false);
  });
});
