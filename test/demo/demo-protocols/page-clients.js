/**
 * The demo page's protocol clients, served as /demo-protocols.js. Each speaks its protocol by
 * hand, only as far as the demo needs, so the page loads no client library and what goes on the
 * wire is plain to read here.
 */
(() => {
  const base = `ws://${location.host}`;
  const status = (id, text) => {
    document.getElementById(`${id}-status`).textContent = `(${text})`;
  };
  const show = (id, text) => {
    document.getElementById(id).textContent = text;
  };
  const watch = (id, socket) => {
    socket.addEventListener('open', () => status(id, 'open'));
    socket.addEventListener('close', (event) => status(id, `closed ${event.code}`));
  };
  // Page-side timers stop with their socket, like the server's.
  const every = (socket, ms, tick) => {
    const timer = setInterval(tick, ms);
    socket.addEventListener('close', () => clearInterval(timer));
  };

  // Socket.IO: Engine.IO packets are a type digit and data (0 open, 2 ping, 3 pong, 4 message);
  // Socket.IO's packets ride in messages (0 connect, 2 event, 3 ack), an ack id before the data.
  const sio = new WebSocket(`${base}/socket.io/?EIO=4&transport=websocket`);
  watch('socketio', sio);
  let nextAck = 0;
  const emitWithAck = () =>
    sio.send(`42${nextAck++}${JSON.stringify(['quote', { symbol: 'ACME' }])}`);
  sio.onmessage = ({ data }) => {
    if (data === '2') sio.send('3');
    else if (data.startsWith('0')) sio.send('40');
    else if (data.startsWith('40')) {
      status('socketio', 'connected');
      emitWithAck();
      every(sio, 8000, emitWithAck);
    } else if (data.startsWith('42')) {
      const [name, payload] = JSON.parse(data.slice(2));
      show('socketio', `${name}: ${JSON.stringify(payload)}`);
    } else if (data.startsWith('43'))
      status('socketio', `connected, ack ${/^43(\d+)/.exec(data)[1]}`);
  };

  // STOMP 1.2: a command line, header lines, a blank line, the body and a NUL; a bare newline
  // between frames is a heart-beat.
  const stompFrame = (command, headers) =>
    `${command}\n${Object.entries(headers)
      .map(([name, value]) => `${name}:${value}\n`)
      .join('')}\n\0`;
  const stomp = new WebSocket(`${base}/stomp`, ['v12.stomp']);
  watch('stomp', stomp);
  stomp.onopen = () =>
    stomp.send(
      stompFrame('CONNECT', {
        'accept-version': '1.2',
        host: location.hostname,
        'heart-beat': '4000,4000',
      }),
    );
  stomp.onmessage = ({ data }) => {
    const command = data.slice(0, data.indexOf('\n'));
    if (command === 'CONNECTED') {
      stomp.send(
        stompFrame('SUBSCRIBE', { id: 'sub-0', destination: '/topic/prices', receipt: 'sub-0' }),
      );
      every(stomp, 4000, () => stomp.send('\n'));
    } else if (command === 'RECEIPT') status('stomp', 'subscribed');
    else if (command === 'MESSAGE') show('stomp', data.slice(data.indexOf('\n\n') + 2, -1));
  };

  // GraphQL over WebSocket (graphql-transport-ws): JSON messages with a type, and an id per
  // operation.
  const graphql = new WebSocket(`${base}/graphql`, ['graphql-transport-ws']);
  watch('graphql', graphql);
  const gqlSend = (message) => graphql.send(JSON.stringify(message));
  graphql.onopen = () => gqlSend({ type: 'connection_init' });
  graphql.onmessage = ({ data }) => {
    const message = JSON.parse(data);
    if (message.type === 'connection_ack') {
      const query = 'subscription OnPrice { price }';
      gqlSend({ id: '1', type: 'subscribe', payload: { operationName: 'OnPrice', query } });
      every(graphql, 10000, () => gqlSend({ type: 'ping' }));
    } else if (message.type === 'ping') gqlSend({ type: 'pong' });
    else if (message.type === 'next') show('graphql', JSON.stringify(message.payload));
  };

  // MQTT 3.1.1: a type byte, the remaining length (one byte is enough for these), then fields;
  // strings carry a two-byte length.
  const mqttString = (text) => {
    const bytes = new TextEncoder().encode(text);
    return [bytes.length >> 8, bytes.length & 0xff, ...bytes];
  };
  const mqttPacket = (type, body) => new Uint8Array([type, body.length, ...body]);
  // Protocol level 4 is 3.1.1; flags 0x02 ask for a clean session; keep-alive is 60 s.
  const connect = [...mqttString('MQTT'), 4, 0x02, 0, 60, ...mqttString('sockscope-demo')];
  // Packet id 1, one topic filter, at most QoS 1.
  const subscribe = [0, 1, ...mqttString('sensors/+'), 1];
  const mqtt = new WebSocket(`${base}/mqtt`, ['mqtt']);
  mqtt.binaryType = 'arraybuffer';
  watch('mqtt', mqtt);
  mqtt.onopen = () => mqtt.send(mqttPacket(0x10, connect));
  mqtt.onmessage = ({ data }) => {
    // The demo broker sends one packet per frame.
    const bytes = new Uint8Array(data);
    let at = 1;
    while (bytes[at] & 0x80) at++;
    at++;
    const type = bytes[0] >> 4;
    if (type === 2 && bytes[at + 1] === 0) {
      mqtt.send(mqttPacket(0x82, subscribe));
      every(mqtt, 30000, () => mqtt.send(mqttPacket(0xc0, [])));
    } else if (type === 9) status('mqtt', 'subscribed');
    else if (type === 3) {
      const qos = (bytes[0] >> 1) & 3;
      const topicEnd = at + 2 + ((bytes[at] << 8) | bytes[at + 1]);
      const topic = new TextDecoder().decode(bytes.subarray(at + 2, topicEnd));
      const payloadStart = qos > 0 ? topicEnd + 2 : topicEnd;
      // QoS 1 asks for a PUBACK carrying the PUBLISH's packet id.
      if (qos > 0) mqtt.send(mqttPacket(0x40, [bytes[topicEnd], bytes[topicEnd + 1]]));
      show(
        'mqtt',
        `${topic} (QoS ${qos}): ${new TextDecoder().decode(bytes.subarray(payloadStart))}`,
      );
    }
  };

  const protobuf = new WebSocket(`${base}/protobuf`);
  protobuf.binaryType = 'arraybuffer';
  watch('protobuf', protobuf);
  protobuf.onmessage = ({ data }) => {
    const hex = [...new Uint8Array(data)].map((byte) => byte.toString(16).padStart(2, '0'));
    show('protobuf', `${data.byteLength} bytes: ${hex.join(' ')}`);
  };
})();
