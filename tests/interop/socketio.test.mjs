// SPDX-License-Identifier: MIT
// The real npm socket.io-client 4.8 against our echo server in Socket.IO mode (PROTOCOL.md's
// reference test app). Started by run-with-echo-server.mjs, which passes the URL in ECHO_URL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { io } from 'socket.io-client';

const url = process.env.ECHO_URL;
if (!url) {
    throw new Error('ECHO_URL is not set; run this file through run-with-echo-server.mjs');
}
const SAFETY_MS = 10000;

function withTimeout(promise, what) {
    let timer;
    const timeout = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), SAFETY_MS);
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// Resolves with the arguments of the next `event`.
function once(socket, event) {
    return withTimeout(new Promise((resolve) => socket.once(event, (...args) => resolve(args))), event);
}

// Connects and waits for the server's `auth` event, registered before connecting so no frame
// can be missed.
async function connect(nsp = '/', options = {}) {
    const socket = io(url + (nsp === '/' ? '' : nsp), { forceNew: true, reconnection: false, ...options });
    const auth = once(socket, 'auth');
    await once(socket, 'connect');
    return { socket, auth: (await auth)[0] };
}

for (const transports of [['polling', 'websocket'], ['polling'], ['websocket']]) {
    test(`echo, acks and binary over ${transports.join('+')}`, async () => {
        const { socket, auth } = await connect('/', { transports });
        assert.deepEqual(auth, {});
        const args = [1, '2', { 3: [true] }, Buffer.from([1, 2, 3]), { nested: Buffer.from([4, 5]) }];
        const back = once(socket, 'message-back');
        socket.emit('message', ...args);
        const received = await back;
        assert.equal(received.length, args.length);
        assert.deepEqual(received.slice(0, 3), args.slice(0, 3));
        assert.deepEqual(Buffer.from(received[3]), args[3]);
        assert.deepEqual(Buffer.from(received[4].nested), args[4].nested);
        const reply = await withTimeout(socket.emitWithAck('message-with-ack', 'a', 42, [null]), 'ack');
        assert.deepEqual(reply, 'a'); // emitWithAck resolves with the first argument
        const binaryReply = await withTimeout(socket.emitWithAck('message-with-ack', Buffer.from([9, 8])), 'binary ack');
        assert.deepEqual(Buffer.from(binaryReply), Buffer.from([9, 8]));
        if (transports.length === 2) {
            // default transports: the client upgrades to WebSocket
            if (socket.io.engine.transport.name !== 'websocket')
                await withTimeout(new Promise((r) => socket.io.engine.once('upgrade', r)), 'upgrade');
            assert.equal(socket.io.engine.transport.name, 'websocket');
        }
        socket.disconnect();
    });
}

test('namespace with auth, and an invalid namespace', async () => {
    const { socket, auth } = await connect('/custom', { auth: { token: 'abc' } });
    assert.deepEqual(auth, { token: 'abc' });
    socket.disconnect();
    const bad = io(url + '/random', { forceNew: true, reconnection: false });
    const [error] = await once(bad, 'connect_error');
    assert.equal(error.message, 'Invalid namespace');
    bad.close();
});

test('rooms and broadcast', async () => {
    const clients = await Promise.all([connect(), connect(), connect()]);
    const [a, b, c] = clients.map((x) => x.socket);
    for (const s of [a, b]) {
        await withTimeout(s.emitWithAck('message-with-ack', 'sync'), 'sync'); // ordered after join below
    }
    a.emit('join', 'room1');
    b.emit('join', 'room1');
    await withTimeout(a.emitWithAck('message-with-ack', 'joined'), 'a joined');
    await withTimeout(b.emitWithAck('message-with-ack', 'joined'), 'b joined');
    let cGotRoom = false;
    c.on('room-event', () => (cGotRoom = true));
    const toA = once(a, 'room-event');
    const toB = once(b, 'room-event');
    c.emit('to-room', 'room1', 'room-event', 'hi', 1);
    assert.deepEqual(await toA, ['hi', 1]);
    assert.deepEqual(await toB, ['hi', 1]);
    // broadcast: everyone but the sender
    let aGotBroadcast = false;
    a.on('bc', () => (aGotBroadcast = true));
    const toB2 = once(b, 'bc');
    const toC2 = once(c, 'bc');
    a.emit('broadcast', 'bc', { x: 1 });
    assert.deepEqual(await toB2, [{ x: 1 }]);
    assert.deepEqual(await toC2, [{ x: 1 }]);
    // the sender's own ack round trip comes after the broadcast was written
    await withTimeout(a.emitWithAck('message-with-ack', 'after'), 'after');
    await withTimeout(c.emitWithAck('message-with-ack', 'after'), 'after');
    assert.equal(aGotBroadcast, false);
    assert.equal(cGotRoom, false);
    for (const s of [a, b, c]) s.disconnect();
});

test('client-side ack timeout when the server does not answer', async () => {
    const { socket } = await connect();
    await assert.rejects(socket.timeout(200).emitWithAck('no-such-handler', 1));
    socket.disconnect();
});
