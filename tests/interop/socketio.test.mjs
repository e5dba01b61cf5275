// SPDX-License-Identifier: MIT
// The real npm socket.io-client 4.8 against our echo server in Socket.IO mode
// (docs/echo-server.md). Started by run-with-echo-server.mjs, which passes the URL in ECHO_URL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { io } from 'socket.io-client';
import { url, withTimeout, once, connect } from './helpers.mjs';

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

// socket.disconnect() and socket.disconnect(true) on the server: the client sees
// "io server disconnect" on every transport. Over polling the close packet must come after the
// DISCONNECT (in its own response), else the client reports "transport close".
for (const transports of [['polling'], ['websocket']]) {
    for (const mode of ['namespace', 'close']) {
        test(`server disconnect (${mode}) over ${transports.join('+')}`, async () => {
            const { socket } = await connect('/', { transports });
            const reason = once(socket, 'disconnect');
            socket.emit('disconnect-me', mode);
            assert.deepEqual((await reason)[0], 'io server disconnect');
            assert.equal(socket.connected, false);
            socket.disconnect();
        });
    }
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

test('a server ack that never comes: the client handler does not answer', async () => {
    const { socket } = await connect();
    // A handler exists (message -> message-back) but never acknowledges.
    await assert.rejects(socket.timeout(200).emitWithAck('message', 'no ack please'),
                         /operation has timed out/);
    await assert.rejects(socket.timeout(200).emitWithAck('no-such-handler', 1), /operation has timed out/);
    // The connection is fine afterwards.
    assert.equal(await withTimeout(socket.emitWithAck('message-with-ack', 'still'), 'ack'), 'still');
    socket.disconnect();
});

test('server emit with an ack and a timeout, both outcomes', async () => {
    const { socket } = await connect();
    // answered: the server's callback gets the client's reply
    socket.once('question', (a, b, reply) => reply(a + b, 'done'));
    const answered = await withTimeout(socket.emitWithAck('ask', 2000, 'question', 1, 2), 'ask');
    assert.deepEqual(answered, { status: 'received', args: [3, 'done'] });
    // never answered: the server's callback reports the timeout
    let late;
    socket.once('silent-question', (x, reply) => (late = reply));
    const timedOut = await withTimeout(socket.emitWithAck('ask', 200, 'silent-question', 'x'), 'ask timeout');
    assert.deepEqual(timedOut, { status: 'timeout' });
    assert.equal(typeof late, 'function');
    late('too late'); // ignored by the server
    assert.equal(await withTimeout(socket.emitWithAck('message-with-ack', 'after'), 'ack'), 'after');
    socket.disconnect();
});

test('middleware rejection with data reaches connect_error', async () => {
    const data = { code: 42, detail: ['x', { y: true }] };
    const refused = io(url + '/custom', { forceNew: true, reconnection: false,
                                          auth: { reject: 'not allowed', data } });
    const [error] = await once(refused, 'connect_error');
    assert.equal(error.message, 'not allowed');
    assert.deepEqual(error.data, data);
    assert.equal(refused.connected, false);
    refused.close();
    // On the main namespace, without data
    const main = io(url, { forceNew: true, reconnection: false, auth: { reject: 'go away' } });
    const [mainError] = await once(main, 'connect_error');
    assert.equal(mainError.message, 'go away');
    assert.equal(mainError.data, undefined);
    main.close();
});

for (const transports of [['websocket'], ['polling']]) {
    test(`volatile emits over ${transports[0]}`, async () => {
        const { socket } = await connect('/', { transports });
        const received = [];
        socket.on('v', (i) => received.push(i));
        const done = once(socket, 'volatile-done');
        socket.emit('volatile', 'v', 5);
        assert.deepEqual(await done, [5]);
        if (transports[0] === 'websocket') {
            // always writable: every volatile packet goes out
            assert.deepEqual(received, [0, 1, 2, 3, 4]);
        } else {
            // polling may drop those written while no GET is waiting; never reorders them
            assert.deepEqual(received, [...received].sort((a, b) => a - b));
            assert.ok(received.every((i) => i >= 0 && i < 5));
        }
        // the client's own volatile emit, made while its transport is writable, arrives (the
        // client drops it otherwise, e.g. while a polling POST is in flight)
        const back = once(socket, 'message-back');
        const transport = socket.io.engine.transport;
        const send = () => socket.volatile.emit('message', 'volatile from client');
        if (transport.writable)
            send();
        else
            transport.once('drain', send);
        assert.deepEqual(await back, ['volatile from client']);
        socket.disconnect();
    });
}

// Kills the echo server and starts it again on the same port (run-with-echo-server.mjs).
async function restartServer() {
    const control = process.env.ECHO_CONTROL_URL;
    assert.ok(control, 'ECHO_CONTROL_URL is not set');
    const response = await fetch(`${control}/restart`, { method: 'POST' });
    assert.equal(response.status, 200, await response.text());
}

for (const transports of [['polling', 'websocket'], ['polling'], ['websocket']]) {
    test(`reconnects by itself after a server restart (${transports.join('+')})`, async () => {
        const socket = io(url, { forceNew: true, transports, reconnectionDelay: 50, reconnectionDelayMax: 200,
                                 randomizationFactor: 0 });
        try {
            const firstAuth = once(socket, 'auth');
            await once(socket, 'connect');
            await firstAuth;
            if (transports.length === 2 && socket.io.engine.transport.name !== 'websocket')
                await withTimeout(new Promise((r) => socket.io.engine.once('upgrade', r)), 'upgrade');
            const firstId = socket.id;
            assert.equal(await withTimeout(socket.emitWithAck('message-with-ack', 'before'), 'ack'), 'before');

            const disconnected = once(socket, 'disconnect');
            const reopened = once(socket.io, 'reconnect'); // the Engine.IO connection is back
            const reconnected = once(socket, 'connect'); // and the namespace
            const restarted = restartServer();
            const [reason] = await disconnected;
            assert.ok(['transport close', 'transport error'].includes(reason), reason);
            // Emitted while disconnected: buffered by the client, sent once it is back.
            const buffered = withTimeout(socket.emitWithAck('message-with-ack', 'buffered'), 'buffered ack');
            const secondAuth = once(socket, 'auth');
            await restarted;
            const [attempts] = await reopened;
            assert.ok(attempts >= 1);
            await reconnected;
            assert.ok(socket.connected);
            assert.notEqual(socket.id, firstId); // a new session on the new server
            assert.deepEqual(await secondAuth, [{}]);
            assert.equal(await buffered, 'buffered');
            const back = once(socket, 'message-back');
            socket.emit('message', 'resumed', Buffer.from([1, 2]));
            const [text, bin] = await back;
            assert.equal(text, 'resumed');
            assert.deepEqual(Buffer.from(bin), Buffer.from([1, 2]));
        } finally {
            socket.close();
        }
    });
}

// What a client sent is what others receive: objects keep their members in the sender's order
// (node and python keep insertion order; QVariantMap would sort them). deepEqual ignores key
// order, so the JSON texts are compared. No integer-like keys: JS objects put those first.
test('JSON objects keep their key order: echo, ack, relay to another client, binary inside', async () => {
    const { socket: a } = await connect('/', { transports: ['websocket'] });
    const { socket: b } = await connect('/', { transports: ['polling'] });
    const object = { token: 't-42', n: 7, zeta: { y: [1, { b: 2, a: 1 }], x: null }, alpha: 'é✓😀', m: 1.5 };
    const text = JSON.stringify(object);

    const back = once(a, 'message-back');
    a.emit('message', object, 'plain');
    const echoed = await back;
    assert.equal(JSON.stringify(echoed[0]), text);

    const reply = await withTimeout(a.timeout(5000).emitWithAck('message-with-ack', object), 'ack');
    assert.equal(JSON.stringify(reply), text);

    // Relayed by socket.broadcast and by nsp.to(room) to the other client, over polling.
    const relayed = once(b, 'relayed');
    a.emit('broadcast', 'relayed', object);
    assert.equal(JSON.stringify((await relayed)[0]), text);
    b.emit('join', 'order-room');
    await withTimeout(b.timeout(5000).emitWithAck('message-with-ack'), 'join settled');
    const roomed = once(b, 'roomed');
    a.emit('to-room', 'order-room', 'roomed', object);
    assert.equal(JSON.stringify((await roomed)[0]), text);

    // A binary attachment inside an ordered object (BINARY_EVENT path).
    const withBinary = { z: 1, bytes: Buffer.from([1, 2, 3]), a: 'x' };
    const binaryBack = once(a, 'message-back');
    a.emit('message', withBinary);
    const [gotBinary] = await binaryBack;
    assert.deepEqual(Object.keys(gotBinary), ['z', 'bytes', 'a']);
    assert.deepEqual(Buffer.from(gotBinary.bytes), withBinary.bytes);
    a.disconnect();
    b.disconnect();
});
