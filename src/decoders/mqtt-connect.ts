/** MQTT's CONNECT and CONNACK packets: the handshake that also fixes the protocol version. */

import { type ByteCursor, fail } from './byte-cursor';
import { utf8OrUndefined } from './bytes-text';
import type { SummaryText } from './message';
import { expectEnd, qosOf, readBinary, readString } from './mqtt-primitives';
import { addProperties } from './mqtt-properties';
import { connackReturnName, reasonName } from './mqtt-reason-codes';
import { payloadView } from './payload-view';
import type { PlainMap } from './plain-map';
import { summaryOf } from './value-preview';

/** What a packet parser gives the session. */
export interface MqttPacket {
  /** Written when shown, for the packets a log is full of (PUBLISH). */
  summary: SummaryText<PlainMap>;
  value: PlainMap;
  packetId?: number;
  /** The protocol level a CONNECT asks for: 3 (3.1), 4 (3.1.1) or 5. */
  level?: number;
}

export const VERSION_NAMES: Record<number, string> = { 3: '3.1', 4: '3.1.1', 5: '5.0' };

export function parseConnect(cursor: ByteCursor): MqttPacket {
  const protocolName = readString(cursor, 'protocol name');
  const level = cursor.u8('protocol level');
  const version = VERSION_NAMES[level];
  if (!version) fail(`unsupported protocol level ${level}`);
  const flags = cursor.u8('connect flags');
  if (flags & 0x01) fail('reserved connect flag is set');
  const keepAlive = cursor.u16('keep alive');
  const clean = (flags & 0x02) !== 0;
  const value: PlainMap = { protocolName, protocolVersion: level };
  value[level === 5 ? 'cleanStart' : 'cleanSession'] = clean;
  value.keepAlive = keepAlive;
  if (level === 5) addProperties(cursor, value);
  const clientId = readString(cursor, 'client identifier');
  value.clientId = clientId;
  let willTopic: string | undefined;
  if (flags & 0x04) {
    const will: PlainMap = {
      qos: qosOf((flags >> 3) & 0x03, 'will'),
      retain: (flags & 0x20) !== 0,
    };
    if (level === 5) addProperties(cursor, will);
    willTopic = readString(cursor, 'will topic');
    will.topic = willTopic;
    will.payload = payloadView(readBinary(cursor, 'will payload')).value;
    value.will = will;
  }
  if (flags & 0x80) value.username = readString(cursor, 'user name');
  if (flags & 0x40) {
    const password = readBinary(cursor, 'password');
    value.password = utf8OrUndefined(password) ?? password;
  }
  expectEnd(cursor);
  const summary = summaryOf(
    JSON.stringify(clientId.slice(0, 80)),
    `v${version}`,
    `keepalive ${keepAlive}s`,
    clean ? (level === 5 ? 'clean start' : 'clean session') : undefined,
    willTopic !== undefined ? `will ${willTopic}` : undefined,
  );
  return { summary, value, level };
}

export function parseConnack(cursor: ByteCursor, v5: boolean): MqttPacket {
  const flags = cursor.u8('acknowledge flags');
  if (flags & 0xfe) fail('reserved CONNACK flags are set');
  const code = cursor.u8('reason code');
  const reason = v5 ? reasonName(code, 'CONNACK') : connackReturnName(code);
  const value: PlainMap = { sessionPresent: flags === 1 };
  value[v5 ? 'reasonCode' : 'returnCode'] = code;
  value.reason = reason;
  if (v5 && cursor.remaining > 0) addProperties(cursor, value);
  expectEnd(cursor);
  const present = flags === 1 ? 'session present' : undefined;
  return { summary: summaryOf(reason, present), value };
}
