/** The body of every MQTT control packet other than CONNECT and CONNACK, for 3.1.1 and 5.0. */

import { ByteCursor, fail } from './byte-cursor';
import { type MqttPacket, parseConnack, parseConnect } from './mqtt-connect';
import { expectEnd, qosOf, readString } from './mqtt-primitives';
import { addProperties } from './mqtt-properties';
import { isSuccess, reasonName, subackReturnName } from './mqtt-reason-codes';
import { payloadPreview, payloadView } from './payload-view';
import type { PlainMap } from './plain-map';
import { summaryOf } from './value-preview';

export const PACKET_NAMES = [
  'reserved',
  'CONNECT',
  'CONNACK',
  'PUBLISH',
  'PUBACK',
  'PUBREC',
  'PUBREL',
  'PUBCOMP',
  'SUBSCRIBE',
  'SUBACK',
  'UNSUBSCRIBE',
  'UNSUBACK',
  'PINGREQ',
  'PINGRESP',
  'DISCONNECT',
  'AUTH',
] as const;

/** PUBREL, SUBSCRIBE and UNSUBSCRIBE must carry flags 0010; PUBLISH has its own; others 0000. */
function checkFlags(type: number, flags: number): void {
  const expected = type === 6 || type === 8 || type === 10 ? 0x2 : 0;
  if (type !== 3 && flags !== expected) fail(`reserved flags ${flags}`);
}

/** Parses one whole packet's body; `level` is the session's protocol level (5 adds properties). */
export function parseMqttPacket(
  type: number,
  flags: number,
  body: Uint8Array,
  level: number,
): MqttPacket {
  checkFlags(type, flags);
  const cursor = new ByteCursor(body);
  const v5 = level === 5;
  const name = PACKET_NAMES[type]!;
  switch (type) {
    case 1:
      return parseConnect(cursor);
    case 2:
      return parseConnack(cursor, v5);
    case 3:
      return parsePublish(cursor, flags, v5);
    case 8:
      return parseSubscribe(cursor, v5);
    case 10:
      return parseUnsubscribe(cursor, v5);
    case 9:
    case 11:
      return parseSubscriptionAck(cursor, name, v5);
    case 12:
    case 13:
      expectEnd(cursor);
      return { summary: '', value: {} };
    case 14:
    case 15:
      return parseReasonOnly(cursor, name, v5 || type === 15);
    default:
      return parsePublishAck(cursor, name, v5);
  }
}

function parsePublish(cursor: ByteCursor, flags: number, v5: boolean): MqttPacket {
  const qos = qosOf((flags >> 1) & 0x03, 'message');
  const retain = (flags & 0x01) !== 0;
  const dup = (flags & 0x08) !== 0;
  const topic = readString(cursor, 'topic');
  const value: PlainMap = { topic, qos, retain, dup };
  const packetId = qos > 0 ? cursor.u16('packet identifier') : undefined;
  if (packetId !== undefined) value.packetId = packetId;
  if (v5) addProperties(cursor, value);
  const payload = payloadView(cursor.take(cursor.remaining, 'payload'));
  value.payload = payload.value;
  return {
    summary: payload.text ? textPublishSummary : publishSummary,
    value,
    packetId,
  };
}

function publishLine(value: PlainMap, preview: string): string {
  const { topic, qos, retain, dup } = value;
  // With a topic alias (5.0) the topic name may be empty: the alias stands for it.
  const alias = (value.properties as PlainMap | undefined)?.topicAlias;
  return summaryOf(
    topic === '' && alias !== undefined ? `alias ${alias}` : (topic as string),
    `qos${qos}`,
    retain ? 'retain' : undefined,
    dup ? 'dup' : undefined,
    preview,
  );
}

/** One per kind of payload, so that a PUBLISH keeps a plain function, not a closure. */
const publishSummary = (value: PlainMap) =>
  publishLine(value, payloadPreview(value.payload, false));
const textPublishSummary = (value: PlainMap) =>
  publishLine(value, payloadPreview(value.payload, true));

/** PUBACK, PUBREC, PUBREL, PUBCOMP: a packet id, then in 5.0 an optional reason and properties. */
function parsePublishAck(cursor: ByteCursor, name: string, v5: boolean): MqttPacket {
  const packetId = cursor.u16('packet identifier');
  const value: PlainMap = { packetId };
  let failure: string | undefined;
  if (v5 && cursor.remaining > 0) {
    const code = cursor.u8('reason code');
    value.reasonCode = code;
    value.reason = reasonName(code, name);
    if (!isSuccess(code)) failure = reasonName(code, name);
    if (cursor.remaining > 0) addProperties(cursor, value);
  }
  expectEnd(cursor);
  return { summary: summaryOf(`id ${packetId}`, failure), value, packetId };
}

function parseSubscribe(cursor: ByteCursor, v5: boolean): MqttPacket {
  const packetId = cursor.u16('packet identifier');
  const value: PlainMap = { packetId };
  if (v5) addProperties(cursor, value);
  const subscriptions: PlainMap[] = [];
  const shown: string[] = [];
  while (cursor.remaining > 0) {
    const topic = readString(cursor, 'topic filter');
    const options = cursor.u8('subscription options');
    if (options & (v5 ? 0xc0 : 0xfc)) fail('reserved subscription option bits are set');
    const qos = qosOf(options & 0x03, 'subscription');
    const subscription: PlainMap = { topic, qos };
    if (v5) {
      subscription.noLocal = (options & 0x04) !== 0;
      subscription.retainAsPublished = (options & 0x08) !== 0;
      subscription.retainHandling = (options >> 4) & 0x03;
    }
    subscriptions.push(subscription);
    if (shown.length < 20) shown.push(`${topic} qos${qos}`);
  }
  if (!subscriptions.length) fail('SUBSCRIBE without topic filters');
  value.subscriptions = subscriptions;
  return { summary: summaryOf(`id ${packetId}`, shown.join(', ')), value, packetId };
}

function parseUnsubscribe(cursor: ByteCursor, v5: boolean): MqttPacket {
  const packetId = cursor.u16('packet identifier');
  const value: PlainMap = { packetId };
  if (v5) addProperties(cursor, value);
  const topics: string[] = [];
  while (cursor.remaining > 0) topics.push(readString(cursor, 'topic filter'));
  if (!topics.length) fail('UNSUBSCRIBE without topic filters');
  value.topics = topics;
  return { summary: summaryOf(`id ${packetId}`, topics.slice(0, 20).join(', ')), value, packetId };
}

/** SUBACK, and UNSUBACK which carries reason codes only in 5.0. */
function parseSubscriptionAck(cursor: ByteCursor, name: string, v5: boolean): MqttPacket {
  const packetId = cursor.u16('packet identifier');
  const value: PlainMap = { packetId };
  if (name === 'UNSUBACK' && !v5) {
    expectEnd(cursor);
    return { summary: `id ${packetId}`, value, packetId };
  }
  if (v5) addProperties(cursor, value);
  const codes = Array.from(cursor.take(cursor.remaining, 'reason codes'));
  if (!codes.length) fail(`${name} without reason codes`);
  const reasons = codes.map((code) => (v5 ? reasonName(code, name) : subackReturnName(code)));
  value.reasonCodes = codes;
  value.reasons = reasons;
  return { summary: summaryOf(`id ${packetId}`, reasons.slice(0, 20).join(', ')), value, packetId };
}

/** DISCONNECT and AUTH: in 5.0 an optional reason code, then optional properties. */
function parseReasonOnly(cursor: ByteCursor, name: string, v5: boolean): MqttPacket {
  const value: PlainMap = {};
  let summary = '';
  if (v5 && cursor.remaining > 0) {
    const code = cursor.u8('reason code');
    summary = reasonName(code, name);
    value.reasonCode = code;
    value.reason = summary;
    if (cursor.remaining > 0) addProperties(cursor, value);
    const text = (value.properties as PlainMap | undefined)?.reasonString;
    if (typeof text === 'string') summary = summaryOf(summary, JSON.stringify(text.slice(0, 150)));
  }
  expectEnd(cursor);
  return { summary, value };
}
