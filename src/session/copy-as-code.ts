import type { CommandPayload } from '../protocol/page-commands';
import { commandPayloadOf } from './command-input';
import type { Connection, Frame } from './session-model';

/**
 * Snippets that reproduce a connection: open it with the same URL and protocols, then send the
 * page's sent frames in their order (binary frames byte for byte), and log what comes back.
 */
export function browserSnippet(connection: Connection, frames: Frame[]): string {
  const sends = sentPayloads(frames);
  const lines = [
    `// Reproduces ${connection.url} as recorded by Sockscope: paste into a DevTools console.`,
    `const bytes = (base64) => Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));`,
    `const frames = [`,
    ...sends.map(
      (send) =>
        `  ${send.kind === 'text' ? JSON.stringify(send.text) : `bytes(${JSON.stringify(send.base64)})`},`,
    ),
    `];`,
    `const ws = new WebSocket(${JSON.stringify(connection.url)}${protocolsArgument(connection)});`,
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
    `// Reproduces ${connection.url} as recorded by Sockscope. Needs the ws package: npm install ws`,
    `const WebSocket = require('ws');`,
    `const frames = [`,
    ...sends.map(
      (send) =>
        `  ${send.kind === 'text' ? JSON.stringify(send.text) : `Buffer.from(${JSON.stringify(send.base64)}, 'base64')`},`,
    ),
    `];`,
    `const ws = new WebSocket(${JSON.stringify(connection.url)}${protocolsArgument(connection)});`,
    `ws.on('open', () => { for (const frame of frames) ws.send(frame); });`,
    `ws.on('message', (data, isBinary) => console.log('received', isBinary ? data : data.toString()));`,
    `ws.on('close', (code, reason) => console.log('closed', code, reason.toString()));`,
    `ws.on('error', (error) => console.error(error.message));`,
  ];
  return `${lines.join('\n')}\n`;
}

function protocolsArgument(connection: Connection): string {
  return connection.protocols.length > 0 ? `, ${JSON.stringify(connection.protocols)}` : '';
}

function sentPayloads(frames: Frame[]): CommandPayload[] {
  return frames
    .filter((frame) => frame.kind === 'sent' && frame.payload && !frame.payloadEvicted)
    .map((frame) => commandPayloadOf(frame.payload!));
}
