/** Names for MQTT reason codes (5.0) and return codes (3.1.1), as the specifications give them. */

const V5_REASONS: Record<number, string> = {
  1: 'Granted QoS 1',
  2: 'Granted QoS 2',
  4: 'Disconnect with Will Message',
  16: 'No matching subscribers',
  17: 'No subscription existed',
  24: 'Continue authentication',
  25: 'Re-authenticate',
  128: 'Unspecified error',
  129: 'Malformed Packet',
  130: 'Protocol Error',
  131: 'Implementation specific error',
  132: 'Unsupported Protocol Version',
  133: 'Client Identifier not valid',
  134: 'Bad User Name or Password',
  135: 'Not authorized',
  136: 'Server unavailable',
  137: 'Server busy',
  138: 'Banned',
  139: 'Server shutting down',
  140: 'Bad authentication method',
  141: 'Keep Alive timeout',
  142: 'Session taken over',
  143: 'Topic Filter invalid',
  144: 'Topic Name invalid',
  145: 'Packet Identifier in use',
  146: 'Packet Identifier not found',
  147: 'Receive Maximum exceeded',
  148: 'Topic Alias invalid',
  149: 'Packet too large',
  150: 'Message rate too high',
  151: 'Quota exceeded',
  152: 'Administrative action',
  153: 'Payload format invalid',
  154: 'Retain not supported',
  155: 'QoS not supported',
  156: 'Use another server',
  157: 'Server moved',
  158: 'Shared Subscriptions not supported',
  159: 'Connection rate exceeded',
  160: 'Maximum connect time',
  161: 'Subscription Identifiers not supported',
  162: 'Wildcard Subscriptions not supported',
};

const V3_CONNACK: Record<number, string> = {
  0: 'Connection Accepted',
  1: 'unacceptable protocol version',
  2: 'identifier rejected',
  3: 'Server unavailable',
  4: 'bad user name or password',
  5: 'not authorized',
};

const unknown = (code: number) => `reason 0x${code.toString(16).padStart(2, '0')}`;

/** A 5.0 reason code's name; code 0 is named after the packet that carries it. */
export function reasonName(code: number, packet: string): string {
  if (code === 0) {
    if (packet === 'SUBACK') return 'Granted QoS 0';
    if (packet === 'DISCONNECT') return 'Normal disconnection';
    return 'Success';
  }
  return V5_REASONS[code] ?? unknown(code);
}

export function connackReturnName(code: number): string {
  return V3_CONNACK[code] ?? unknown(code);
}

export function subackReturnName(code: number): string {
  if (code <= 2) return `Granted QoS ${code}`;
  return code === 0x80 ? 'Failure' : unknown(code);
}

/** Whether a code means success, so summaries can leave it out. */
export const isSuccess = (code: number) => code < 0x80;
