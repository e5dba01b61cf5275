// SPDX-License-Identifier: MIT
// Our Qt client (`socketio-client --json --parser msgpack`) against the real npm socket.io 4.8
// server configured with npm socket.io-msgpack-parser (docs/msgpack.md), started in this
// process on port 0.
//
//   SOCKETIO_CLIENT=<socketio-client> node --test qtclient-msgpack.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { createRequire } from 'node:module';
import { Server } from 'socket.io';
import { QtClient } from './qtclient.mjs';

const require = createRequire(import.meta.url);
const parser = require('socket.io-msgpack-parser');

function setup(nsp, seen) {
    nsp.on('connection', (socket) => {
        socket.emit('auth', socket.handshake.auth);
        socket.on('message', (...args) => {
            seen.push(args);
            socket.emit('message-back', ...args);
        });
        socket.on('message-with-ack', (...args) => {
            const ack = args.pop();
            ack(...args);
        });
        socket.on('ask', async (value) => {
            const reply = await socket.timeout(10000).emitWithAck('question', value, { z: 1, a: 2 });
            socket.emit('answered', reply);
        });
    });
}

async function startServer() {
    const httpServer = http.createServer();
    const io = new Server(httpServer, { pingInterval: 300, pingTimeout: 200, parser });
    const seen = [];
    setup(io.of('/'), seen);
    setup(io.of('/custom'), seen);
    await new Promise((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
    return { io, seen, url: `http://127.0.0.1:${httpServer.address().port}` };
}

for (const [name, args] of [['polling+websocket', []], ['polling', ['--transports', 'polling']], ['websocket', ['--transports', 'websocket']]]) {
    test(`Qt client, msgpack, against socket.io 4.8 + socket.io-msgpack-parser over ${name}`, async () => {
        const server = await startServer();
        const client = new QtClient(server.url, ['--parser', 'msgpack', ...args]);
        try {
            const connected = await client.type('connect', '/');
            assert.ok(server.io.of('/').sockets.has(connected.id));
            assert.equal((await client.event('auth')).raw.includes('"args":[{}]'), true);
            client.sendRaw('{"cmd":"emit","event":"message","args":[1,-7,2.5,"2",{"zeta":1,"alpha":{"y":true,"b":null}},{"$binary":"AQID"},{"nested":{"$binary":"BAU="}}]}');
            const back = await client.event('message-back');
            assert.equal(back.raw.includes('"args":[1,-7,2.5,"2",{"zeta":1,"alpha":{"y":true,"b":null}},{"$binary":"AQID"},{"nested":{"$binary":"BAU="}}]'), true, back.raw);
            // What node's handler got: Buffers, numbers as numbers, keys in order.
            const got = server.seen.at(-1);
            assert.deepEqual(got.slice(0, 4), [1, -7, 2.5, '2']);
            assert.deepEqual(Object.keys(got[4]), ['zeta', 'alpha']);
            assert.ok(Buffer.isBuffer(got[5]));
            assert.deepEqual(got[5], Buffer.from([1, 2, 3]));
            assert.deepEqual(got[6].nested, Buffer.from([4, 5]));

            client.send({ cmd: 'emit', event: 'message-with-ack', args: [{ $binary: 'CQg=' }, 'x'], ack: true, id: 'a1' });
            const ack = await client.ack('a1');
            assert.deepEqual(ack.args, [{ $binary: 'CQg=' }, 'x']);

            // The server asks, the client answers.
            client.send({ cmd: 'emit', event: 'ask', args: ['v'] });
            const question = await client.event('question');
            assert.deepEqual(question.args, ['v', { z: 1, a: 2 }]);
            client.send({ cmd: 'ack', nsp: '/', ackId: question.ackId, args: [{ $binary: 'AA==' }, 'more'] });
            const answered = await client.event('answered'); // emitWithAck: the first argument
            assert.deepEqual(answered.args, [{ $binary: 'AA==' }]);

            // Another namespace with auth, and leaving it.
            client.send({ cmd: 'connect', nsp: '/custom', auth: { token: 'abc' } });
            await client.type('connect', '/custom');
            const auth = await client.event('auth', '/custom');
            assert.deepEqual(auth.args, [{ token: 'abc' }]);
            client.send({ cmd: 'disconnect', nsp: '/custom' });
            await client.type('disconnect', '/custom');
            if (name === 'polling+websocket')
                await client.type('upgrade');
            assert.equal(await client.end(), 0);
        } finally {
            client.child.kill();
            await new Promise((resolve) => server.io.close(() => resolve()));
        }
    });
}

test('Qt client, msgpack: an invalid namespace gets its connect_error', async () => {
    const server = await startServer();
    const client = new QtClient(server.url + '/nope', ['--parser', 'msgpack', '--no-reconnect']);
    try {
        const error = await client.type('connect_error', '/nope');
        assert.equal(error.message, 'Invalid namespace');
        assert.equal(await client.end(), 0);
    } finally {
        client.child.kill();
        await new Promise((resolve) => server.io.close(() => resolve()));
    }
});
