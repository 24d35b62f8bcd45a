/** MQTT 5 properties (section 2.2.2): identifiers, their types, and reading a property list. */

import { type ByteCursor, fail } from './byte-cursor';
import { readBinary, readString, readVarInt } from './mqtt-primitives';
import { type PlainMap, setEntry } from './plain-map';

type PropertyType = 'byte' | 'u16' | 'u32' | 'varint' | 'string' | 'binary' | 'pair';

const PROPERTIES: Record<number, [string, PropertyType]> = {
  1: ['payloadFormatIndicator', 'byte'],
  2: ['messageExpiryInterval', 'u32'],
  3: ['contentType', 'string'],
  8: ['responseTopic', 'string'],
  9: ['correlationData', 'binary'],
  11: ['subscriptionIdentifier', 'varint'],
  17: ['sessionExpiryInterval', 'u32'],
  18: ['assignedClientIdentifier', 'string'],
  19: ['serverKeepAlive', 'u16'],
  21: ['authenticationMethod', 'string'],
  22: ['authenticationData', 'binary'],
  23: ['requestProblemInformation', 'byte'],
  24: ['willDelayInterval', 'u32'],
  25: ['requestResponseInformation', 'byte'],
  26: ['responseInformation', 'string'],
  28: ['serverReference', 'string'],
  31: ['reasonString', 'string'],
  33: ['receiveMaximum', 'u16'],
  34: ['topicAliasMaximum', 'u16'],
  35: ['topicAlias', 'u16'],
  36: ['maximumQoS', 'byte'],
  37: ['retainAvailable', 'byte'],
  38: ['userProperties', 'pair'],
  39: ['maximumPacketSize', 'u32'],
  40: ['wildcardSubscriptionAvailable', 'byte'],
  41: ['subscriptionIdentifierAvailable', 'byte'],
  42: ['sharedSubscriptionAvailable', 'byte'],
};

function readValue(cursor: ByteCursor, type: PropertyType, name: string): unknown {
  switch (type) {
    case 'byte':
      return cursor.u8(name);
    case 'u16':
      return cursor.u16(name);
    case 'u32':
      return cursor.u32(name);
    case 'varint':
      return readVarInt(cursor, name);
    case 'string':
      return readString(cursor, name);
    case 'binary':
      return readBinary(cursor, name);
    case 'pair':
      return [readString(cursor, 'user property name'), readString(cursor, 'user property value')];
  }
}

/** Adds a value under `key`; a key seen again (user properties, subscription ids) gathers an array. */
function addRepeatable(target: PlainMap, key: string, value: unknown): void {
  if (!Object.hasOwn(target, key)) setEntry(target, key, value);
  else if (Array.isArray(target[key])) (target[key] as unknown[]).push(value);
  else setEntry(target, key, [target[key], value]);
}

/**
 * Reads a property list: its length, then identifier-value pairs. User properties come out as an
 * object (a repeated name gathers an array, as MQTT allows); unknown identifiers are an error,
 * since their length cannot be known.
 */
export function readProperties(cursor: ByteCursor): PlainMap {
  const length = readVarInt(cursor, 'property length');
  const list = cursor.split(length, 'properties');
  const properties: PlainMap = {};
  while (list.remaining > 0) {
    const id = readVarInt(list, 'property identifier');
    const known = PROPERTIES[id];
    if (!known) fail(`unknown property 0x${id.toString(16)}`);
    const [name, type] = known;
    const value = readValue(list, type, name);
    if (type === 'pair') {
      const [key, text] = value as [string, string];
      properties.userProperties ??= {};
      addRepeatable(properties.userProperties as PlainMap, key, text);
    } else if (name === 'subscriptionIdentifier') {
      addRepeatable(properties, name, value);
    } else {
      properties[name] = value;
    }
  }
  return properties;
}

/** Reads a property list into `target.properties`, left out when empty; returns the list. */
export function addProperties(cursor: ByteCursor, target: PlainMap): PlainMap {
  const properties = readProperties(cursor);
  if (Object.keys(properties).length > 0) target.properties = properties;
  return properties;
}
