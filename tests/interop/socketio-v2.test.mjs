// SPDX-License-Identifier: MIT
// The real npm socket.io-client 2.x (Engine.IO v3, installed as the alias socket.io-client-v2)
// against our echo server started with --eio3. Started by run-with-echo-server.mjs, which
// passes the URL in ECHO_URL. Engine.IO v3 differs from v4: the client pings and the server
// answers, polling payloads are length-prefixed (binary ones in the v3 binary format), binary
// WebSocket frames carry a type byte, the main namespace is joined without a CONNECT packet,
// and a namespace CONNECT carries the query string ("0/custom?token=abc,").
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import ioV2 from 'socket.io-client-v2';
import { url, withTimeout, once } from './helpers.mjs';

// socket.emit with an ack callback, as a promise of the ack's arguments (2.x has no emitWithAck).
function emitAck(socket, event, ...args) {
    return withTimeout(new Promise((resolve) => socket.emit(event, ...args, (...reply) => resolve(reply))),
                       `ack of ${event}`);
}

// Every manager a test created, closed after it even when it failed (an open one would keep
// node alive).
const managers = new Set();
function track(socket) {
    managers.add(socket.io);
    return socket;
}
afterEach(() => {
    for (const manager of managers) manager.close();
    managers.clear();
});

// Connects (nsp may carry a query) and waits for the server's `auth` event, registered before
// connecting so no frame can be missed. Any `error` fails the connect.
async function connect(nsp = '/', options = {}) {
    const socket = track(ioV2(url + (nsp === '/' ? '' : nsp), { forceNew: true, reconnection: false, ...options }));
    const auth = once(socket, 'auth');
    const failed = new Promise((_, reject) => {
        socket.once('error', (e) => reject(new Error(`error event: ${JSON.stringify(e)}`)));
        socket.once('connect_error', (e) => reject(new Error(`connect_error: ${e && e.message}`)));
    });
    await Promise.race([once(socket, 'connect'), failed]);
    return { socket, auth: (await Promise.race([auth, failed]))[0] };
}

function close(...sockets) {
    for (const s of sockets) s.io.engine.close(); // the whole connection, not just the namespace
}

function transportName(socket) {
    return socket.io.engine.transport.name;
}

const TRANSPORTS = [['polling', 'websocket'], ['polling'], ['websocket']];

for (const transports of TRANSPORTS) {
    const label = transports.join('+');

    test(`${label}: main namespace without CONNECT, echo, acks both ways, binary both ways`, async () => {
        const { socket, auth } = await connect('/', { transports });
        assert.deepEqual(auth, {});

        const args = [1, '2', { 3: [true] }, Buffer.from([1, 2, 3]), { nested: Buffer.from([4, 5]) }, 'é€😀'];
        const back = once(socket, 'message-back');
        socket.emit('message', ...args);
        const received = await back;
        assert.equal(received.length, args.length);
        assert.deepEqual(received.slice(0, 3), args.slice(0, 3));
        assert.deepEqual(Buffer.from(received[3]), args[3]);
        assert.deepEqual(Buffer.from(received[4].nested), args[4].nested);
        assert.equal(received[5], args[5]);

        // client -> server ack, text and binary (BINARY_ACK back)
        assert.deepEqual(await emitAck(socket, 'message-with-ack', 'a', 42, [null]), ['a', 42, [null]]);
        const [bin] = await emitAck(socket, 'message-with-ack', Buffer.from([9, 8, 0, 255]));
        assert.deepEqual(Buffer.from(bin), Buffer.from([9, 8, 0, 255]));

        // server -> client ack: the server emits `question` with an ack; the client answers
        // with text and binary (BINARY_ACK from the client)
        socket.once('question', (x, y, reply) => reply(x + y, Buffer.from([7, 7])));
        const [result] = await emitAck(socket, 'ask', 0, 'question', 20, 22);
        assert.equal(result.status, 'received');
        assert.equal(result.args[0], 42);
        assert.deepEqual(Buffer.from(result.args[1]), Buffer.from([7, 7]));
        // binary in the server's event with an ack (BINARY_EVENT from the server)
        socket.once('bin-question', (data, reply) => reply(Buffer.from(data).reverse()));
        const [binResult] = await emitAck(socket, 'ask', 0, 'bin-question', Buffer.from([1, 2, 3]));
        assert.deepEqual(Buffer.from(binResult.args[0]), Buffer.from([3, 2, 1]));

        if (transports.length === 2) {
            // default transports: the client upgrades to WebSocket and keeps working
            if (transportName(socket) !== 'websocket')
                await once(socket.io.engine, 'upgrade');
            assert.equal(transportName(socket), 'websocket');
            assert.deepEqual(await emitAck(socket, 'message-with-ack', 'after upgrade'), ['after upgrade']);
        } else {
            assert.equal(transportName(socket), transports[0]);
        }
        close(socket);
    });

    test(`${label}: custom namespace with a query in the CONNECT, and the socket ids`, async () => {
        // 2.x sends "0/custom?token=abc&n=1," : the server takes the query as the handshake auth.
        const { socket, auth } = await connect('/custom?token=abc&n=1', { transports });
        assert.deepEqual(auth, { token: 'abc', n: '1' });
        assert.deepEqual(await emitAck(socket, 'message-with-ack', 'custom'), ['custom']);
        // socket.io 4 gives v3 clients the ids 2.x computes itself: "<nsp>#<engine id>"
        assert.equal(socket.id, `/custom#${socket.io.engine.id}`);
        assert.deepEqual(await emitAck(socket, 'whoami'), [socket.id]);
        const toMe = once(socket, 'to-me');
        socket.emit('to-room', socket.id, 'to-me', 'by id');
        assert.deepEqual(await toMe, ['by id']);
        close(socket);

        // Both namespaces on one connection; the main one has the engine id.
        const { socket: main } = await connect('/', { transports });
        const custom = main.io.socket('/custom', { query: 'token=xyz' });
        const customAuth = once(custom, 'auth');
        await once(custom, 'connect');
        assert.deepEqual(await customAuth, [{ token: 'xyz' }]);
        assert.equal(main.id, main.io.engine.id);
        assert.deepEqual(await emitAck(main, 'whoami'), [main.id]);
        assert.deepEqual(await emitAck(custom, 'whoami'), [`/custom#${main.io.engine.id}`]);
        close(main);
    });

    test(`${label}: rooms and broadcast`, async () => {
        const clients = await Promise.all([connect('/', { transports }), connect('/', { transports }),
                                           connect('/', { transports })]);
        const [a, b, c] = clients.map((x) => x.socket);
        a.emit('join', 'room1');
        b.emit('join', 'room1');
        await emitAck(a, 'message-with-ack', 'joined'); // ordered after the join
        await emitAck(b, 'message-with-ack', 'joined');
        let cGotRoom = false;
        c.on('room-event', () => (cGotRoom = true));
        const toA = once(a, 'room-event');
        const toB = once(b, 'room-event');
        c.emit('to-room', 'room1', 'room-event', 'hi', Buffer.from([1]));
        const [hiA, binA] = await toA;
        assert.equal(hiA, 'hi');
        assert.deepEqual(Buffer.from(binA), Buffer.from([1]));
        assert.equal((await toB)[0], 'hi');
        let aGotBroadcast = false;
        a.on('bc', () => (aGotBroadcast = true));
        const toB2 = once(b, 'bc');
        const toC2 = once(c, 'bc');
        a.emit('broadcast', 'bc', { x: 1 });
        assert.deepEqual(await toB2, [{ x: 1 }]);
        assert.deepEqual(await toC2, [{ x: 1 }]);
        // each sender's own ack round trip comes after what the server wrote before it
        await emitAck(a, 'message-with-ack', 'after');
        await emitAck(c, 'message-with-ack', 'after');
        assert.equal(aGotBroadcast, false);
        assert.equal(cGotRoom, false);
        // leave: no more room events for a
        a.emit('leave', 'room1');
        await emitAck(a, 'message-with-ack', 'left');
        let aGotAfterLeave = false;
        a.on('room-event-2', () => (aGotAfterLeave = true));
        const toB3 = once(b, 'room-event-2');
        c.emit('to-room', 'room1', 'room-event-2');
        await toB3;
        await emitAck(a, 'message-with-ack', 'after');
        assert.equal(aGotAfterLeave, false);
        close(a, b, c);
    });

    test(`${label}: heartbeats in the v3 direction (the client pings, the server pongs)`, async () => {
        const { socket } = await connect('/', { transports });
        const interval = socket.io.engine.pingInterval;
        const timeout = socket.io.engine.pingTimeout;
        assert.equal(interval, 300); // the test's short settings, from the open packet
        assert.equal(timeout, 200);
        // Three answered pings: each 'pong' is the server's answer to the client's ping (2.x
        // closes the connection with "ping timeout" if one is missing).
        let closed = null;
        socket.on('disconnect', (reason) => (closed = reason));
        for (let i = 0; i < 3; ++i) {
            const [latency] = await once(socket, 'pong');
            assert.equal(typeof latency, 'number');
        }
        assert.equal(closed, null);
        assert.ok(socket.connected);
        assert.deepEqual(await emitAck(socket, 'message-with-ack', 'alive'), ['alive']);
        close(socket);
    });

    test(`${label}: disconnect from either side`, async () => {
        const { socket: main } = await connect('/', { transports });
        const custom = main.io.socket('/custom');
        await once(custom, 'connect');
        // server-side namespace disconnect: "io server disconnect", the connection stays
        const reason = once(custom, 'disconnect');
        custom.emit('disconnect-me');
        assert.deepEqual(await reason, ['io server disconnect']);
        assert.deepEqual(await emitAck(main, 'message-with-ack', 'still'), ['still']);
        // client-side namespace disconnect ("1/custom,"); main keeps working
        custom.open();
        await once(custom, 'connect');
        assert.deepEqual(await emitAck(custom, 'message-with-ack', 'back'), ['back']);
        custom.disconnect();
        assert.deepEqual(await emitAck(main, 'message-with-ack', 'still'), ['still']);
        // server-side close of the whole connection
        const mainReason = once(main, 'disconnect');
        main.emit('disconnect-me', 'close');
        const [why] = await mainReason;
        assert.ok(['io server disconnect', 'transport close'].includes(why), why);
        close(main);
    });
}

test('an invalid namespace and a middleware rejection reach the 2.x client as error events', async () => {
    const bad = track(ioV2(url + '/random', { forceNew: true, reconnection: false, transports: ['websocket'] }));
    const [error] = await once(bad, 'error');
    // socket.io 4 sends {"message":"Invalid namespace"} to v3 clients as well
    assert.deepEqual(error, { message: 'Invalid namespace' });
    close(bad);

    // A v3 client's middleware error carries err.data if there is one, else err.message; a
    // query has no data, so the message.
    const refused = track(ioV2(url + '/custom?reject=not%20allowed',
                               { forceNew: true, reconnection: false, transports: ['websocket'] }));
    const [refusal] = await once(refused, 'error');
    assert.equal(refusal, 'not allowed');
    close(refused);
});

test('a malformed packet closes that connection only', async () => {
    const { socket: victim } = await connect('/', { transports: ['websocket'] });
    const { socket: other } = await connect('/', { transports: ['websocket'] });
    const reason = once(victim, 'disconnect');
    victim.io.engine.write('2["message"'); // an EVENT whose JSON does not parse
    assert.deepEqual(await reason, ['transport close']);
    assert.deepEqual(await emitAck(other, 'message-with-ack', 'fine'), ['fine']);
    close(victim, other);
});
