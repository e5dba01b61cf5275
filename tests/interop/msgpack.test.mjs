// SPDX-License-Identifier: MIT
// The msgpack parser (docs/msgpack.md): the real npm socket.io-client 4.8 configured with npm
// socket.io-msgpack-parser against `socketio-echo-server --parser msgpack`. Started by
// run-with-echo-server.mjs, which passes the URL in ECHO_URL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { io } from 'socket.io-client';
import { url, withTimeout, once, connect } from './helpers.mjs';

const require = createRequire(import.meta.url);
const parser = require('socket.io-msgpack-parser');

// Every frame the client receives over WebSocket, to check that packets travel as one binary
// frame each (no text frames, no attachments).
function recordFrames(socket) {
    const frames = [];
    socket.io.engine.on('packet', (packet) => frames.push(packet));
    return frames;
}

for (const transports of [['polling', 'websocket'], ['polling'], ['websocket']]) {
    test(`msgpack: events, acks and binary both ways over ${transports.join('+')}`, async () => {
        const { socket, auth } = await connect('/', { transports, parser });
        try {
            await checkEcho(socket, auth, transports);
        } finally {
            socket.disconnect();
        }
    });
}

async function checkEcho(socket, auth, transports) {
    assert.deepEqual(auth, {});
    const frames = recordFrames(socket);
    const args = [1, -1, 300, 70000, 4294967296, -2147483649, 1.5, 'héllo', null, true, false,
        { zeta: 1, alpha: { y: [1, 'a'] } }, Buffer.from([1, 2, 3]), { nested: Buffer.from([4, 5]) },
        new Uint8Array([6, 7])];
    const back = once(socket, 'message-back');
    socket.emit('message', ...args);
    const received = await back;
    assert.equal(received.length, args.length);
    assert.deepEqual(received.slice(0, 12), args.slice(0, 12));
    // Object keys keep the sender's order.
    assert.deepEqual(Object.keys(received[11]), ['zeta', 'alpha']);
    // Binary stays binary, inline: a Buffer (bin) back where a Buffer or an ArrayBuffer (ext 0) went.
    assert.ok(Buffer.isBuffer(received[12]));
    assert.deepEqual(received[12], args[12]);
    assert.deepEqual(received[13].nested, args[13].nested);
    assert.deepEqual(received[14], Buffer.from([6, 7]));

    const reply = await withTimeout(socket.emitWithAck('message-with-ack', 'a', 42, [null]), 'ack');
    assert.deepEqual(reply, 'a'); // emitWithAck resolves with the first argument
    const acked = await withTimeout(new Promise((resolve) => socket.emit('message-with-ack', 1, Buffer.from([9, 8]), { k: 'v' }, (...r) => resolve(r))), 'binary ack');
    assert.deepEqual(acked, [1, Buffer.from([9, 8]), { k: 'v' }]);
    for (const frame of frames)
        assert.ok(frame.type !== 'message' || typeof frame.data !== 'string', 'a text message with the msgpack parser');
    assert.ok(frames.some((f) => f.type === 'message'));
    if (transports.length === 2) {
        if (socket.io.engine.transport.name !== 'websocket')
            await withTimeout(new Promise((r) => socket.io.engine.once('upgrade', r)), 'upgrade');
        assert.equal(socket.io.engine.transport.name, 'websocket');
        const again = once(socket, 'message-back');
        socket.emit('message', Buffer.from([0xff]));
        assert.deepEqual((await again)[0], Buffer.from([0xff]));
    }
}

test('msgpack: namespaces, auth, rooms, broadcast and an invalid namespace', async () => {
    const { socket: a, auth } = await connect('/custom', { auth: { token: 'abc', n: 2 }, parser, transports: ['websocket'] });
    assert.deepEqual(auth, { token: 'abc', n: 2 });
    const { socket: b } = await connect('/custom', { parser, transports: ['polling'] });
    b.emit('join', 'r1');
    // join is fire-and-forget: an acked round trip after it orders it before the room emit.
    await withTimeout(b.emitWithAck('message-with-ack', 'sync'), 'sync');
    const inRoom = once(b, 'room-event');
    a.emit('to-room', 'r1', 'room-event', { x: Buffer.from([1]) }, 2);
    const [payload, two] = await inRoom;
    assert.deepEqual(payload, { x: Buffer.from([1]) });
    assert.equal(two, 2);
    const broadcast = once(a, 'hello-all');
    b.emit('broadcast', 'hello-all', 'from b');
    assert.deepEqual(await broadcast, ['from b']);
    a.disconnect();
    b.disconnect();

    const bad = io(url + '/random', { forceNew: true, reconnection: false, parser });
    const [error] = await once(bad, 'connect_error');
    assert.equal(error.message, 'Invalid namespace');
    bad.close();
});

test('msgpack: a JSON client is closed (parse error), the server goes on', async () => {
    const json = io(url, { forceNew: true, reconnection: false, transports: ['websocket'] });
    const closed = once(json, 'disconnect');
    // Its CONNECT is a text frame: the msgpack server refuses it as socket.io-msgpack-parser does.
    const [reason] = await Promise.race([closed, once(json, 'connect_error').then(() => ['refused'])]);
    assert.ok(['transport close', 'refused'].includes(reason), reason);
    json.close();
    const { socket } = await connect('/', { parser });
    socket.disconnect();
});
