/**
 * An MQTT 3.1.1 endpoint over WebSocket (subprotocol `mqtt`), broker side: CONNACK, SUBACK,
 * PINGRESP, and sensor readings published to sensors/1 alternately at QoS 0 and QoS 1, so the
 * page's PUBACKs pair with them in the panel. Packets are read and written by mqtt-packet.
 */
import { generate, type Packet, parser } from 'mqtt-packet';
import type { ProtocolHandler } from './shared';

const PUBLISH_INTERVAL_MS = 2000;
const TOPIC = 'sensors/1';

export const serveMqtt: ProtocolHandler = (socket, _request, every) => {
  const send = (packet: Packet) => socket.send(generate(packet, { protocolVersion: 4 }));
  const incoming = parser({ protocolVersion: 4 });
  let connected = false;
  let publishing = false;
  let nextPacketId = 1;
  let reading = 0;

  const publish = (maxQos: 0 | 1) => {
    const qos = maxQos === 1 && reading % 2 === 1 ? 1 : 0;
    const payload = JSON.stringify({
      sensor: 1,
      reading: reading++,
      celsius: Math.round((20 + Math.random() * 5) * 10) / 10,
      at: new Date().toISOString(),
    });
    const base = { cmd: 'publish', topic: TOPIC, payload, dup: false, retain: false } as const;
    if (qos === 0) send({ ...base, qos });
    else {
      send({ ...base, qos, messageId: nextPacketId });
      // Packet ids run 1..65535 and never 0.
      nextPacketId = (nextPacketId % 65535) + 1;
    }
  };

  incoming.on('packet', (packet: Packet) => {
    if (!connected && packet.cmd !== 'connect') {
      socket.close(1002, 'demo: MQTT packet before CONNECT');
      return;
    }
    if (packet.cmd === 'connect') {
      connected = true;
      send({ cmd: 'connack', returnCode: 0, sessionPresent: false });
    } else if (packet.cmd === 'subscribe') {
      // Grant at most QoS 1: the demo does not do QoS 2's four-packet exchange.
      const granted = packet.subscriptions.map((subscription) => Math.min(subscription.qos, 1));
      send({ cmd: 'suback', messageId: packet.messageId ?? 0, granted });
      const covers = packet.subscriptions.some((s) => /^sensors\/(1|\+|#)$|^#$/.test(s.topic));
      if (covers && !publishing) {
        publishing = true;
        const maxQos = Math.max(...granted) >= 1 ? 1 : 0;
        every(socket, PUBLISH_INTERVAL_MS, () => publish(maxQos));
      }
    } else if (packet.cmd === 'pingreq') send({ cmd: 'pingresp' });
    else if (packet.cmd === 'disconnect') socket.close(1000, 'demo: MQTT DISCONNECT');
    // PUBACKs need no answer.
  });
  incoming.on('error', () => socket.close(1002, 'demo: malformed MQTT packet'));
  socket.on('message', (data, isBinary) => {
    if (!isBinary) {
      socket.close(1003, 'demo: MQTT travels in binary frames');
      return;
    }
    // ws hands over a Buffer by default; the other shapes only under other binaryType settings.
    if (Array.isArray(data)) incoming.parse(Buffer.concat(data));
    else incoming.parse(Buffer.isBuffer(data) ? data : Buffer.from(data));
  });
};
