import type { CommandPayload } from '../protocol/page-commands';
import { commandPayloadOf } from './command-input';
import type { Connection, Frame } from './session-model';

/**
 * Snippets that reproduce a connection: open it with the same URL and protocols, then send the
 * page's sent frames in their order (binary frames byte for byte), and log what comes back.
 *
 * Every recorded value (URL, protocols, payloads) comes from a page or a HAR file, and the snippet
 * is run as the user's own code; so each enters only as a string literal from {@link literal},
 * never in a comment or a template.
 */
export function browserSnippet(connection: Connection, frames: Frame[]): string {
  const sends = sentPayloads(frames);
  const lines = [
    `// Reproduces a WebSocket connection recorded by Sockscope: paste into a DevTools console.`,
    `const bytes = (base64) => Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));`,
    `const frames = [`,
    ...sends.map(
      (send) =>
        `  ${send.kind === 'text' ? literal(send.text) : `bytes(${literal(send.base64)})`},`,
    ),
    `];`,
    `const ws = new WebSocket(${literal(connection.url)}${protocolsArgument(connection)});`,
    `ws.binaryType = 'arraybuffer';`,
    `ws.addEventListener('open', () => { for (const frame of frames) ws.send(frame); });`,
    `ws.addEventListener('message', (event) => console.log('received', event.data));`,
    `ws.addEventListener('close', (event) => console.log('closed', event.code, event.reason));`,
  ];
  return `${lines.join('\n')}\n`;
}

export function nodeSnippet(connection: Connection, frames: Frame[]): string {
  const sends = sentPayloads(frames);
  const lines = [
    `// Reproduces a WebSocket connection recorded by Sockscope. Needs the ws package: npm install ws`,
    `const WebSocket = require('ws');`,
    `const frames = [`,
    ...sends.map(
      (send) =>
        `  ${send.kind === 'text' ? literal(send.text) : `Buffer.from(${literal(send.base64)}, 'base64')`},`,
    ),
    `];`,
    `const ws = new WebSocket(${literal(connection.url)}${protocolsArgument(connection)});`,
    `ws.on('open', () => { for (const frame of frames) ws.send(frame); });`,
    `ws.on('message', (data, isBinary) => console.log('received', isBinary ? data : data.toString()));`,
    `ws.on('close', (code, reason) => console.log('closed', code, reason.toString()));`,
    `ws.on('error', (error) => console.error(error.message));`,
  ];
  return `${lines.join('\n')}\n`;
}

function protocolsArgument(connection: Connection): string {
  return connection.protocols.length > 0
    ? `, [${connection.protocols.map((protocol) => literal(protocol)).join(',')}]`
    : '';
}

/**
 * A double-quoted JS string literal that reads back as exactly `value`. JSON.stringify already
 * escapes quotes, backslashes, control characters and lone surrogates (which the clipboard would
 * turn into U+FFFD); U+2028 and U+2029 it leaves raw, and engines before ES2019 end a string
 * literal there.
 */
function literal(value: string): string {
  return JSON.stringify(String(value)).replace(/[\u2028\u2029]/g, (separator) =>
    separator === '\u2028' ? '\\u2028' : '\\u2029',
  );
}

function sentPayloads(frames: Frame[]): CommandPayload[] {
  return frames
    .filter((frame) => frame.kind === 'sent' && frame.payload && !frame.payloadEvicted)
    .map((frame) => commandPayloadOf(frame.payload!));
}
