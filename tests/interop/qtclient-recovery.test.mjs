// SPDX-License-Identifier: MIT
// Connection state recovery in our Qt client (through `socketio-client --json`) against the real
// npm socket.io 4.8 server with `connectionStateRecovery` on (docs/recovery.md): the server forces
// the transport closed, emits while the client is away, and the client comes back with the same
// id, rooms and data, the missed events first, and `"recovered":true` on its connect line.
//
//   SOCKETIO_CLIENT=<socketio-client> node --test qtclient-recovery.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { Server } from 'socket.io';
import { QtClient } from './qtclient.mjs';

async function startServer(recovery) {
    const httpServer = http.createServer();
    const io = new Server(httpServer, { pingInterval: 300, pingTimeout: 200, connectionStateRecovery: recovery });
    io.on('connection', (socket) => {
        socket.on('drop', () => socket.conn.close()); // "forced close": recoverable
        socket.on('leave-namespace', () => socket.disconnect()); // "server namespace disconnect": not
        socket.on('disconnect', (reason) => {
            if (reason !== 'forced close')
                return;
            // Persisted already (socket.io persists before "disconnect"): stored for it, rooms
            // and except as now.
            io.to('r1').emit('missed', 1);
            io.emit('missed', 2);
            io.except('r1').emit('skipped', 'except r1');
            io.to('r2').emit('skipped', 'to r2');
            io.to('r1').emit('missed', 3, Buffer.from([1, 2, 3]));
        });
        if (socket.recovered) {
            socket.emit('welcome-back', [...socket.rooms].sort(), socket.data);
            return;
        }
        socket.join('r1');
        socket.data = { user: 'ada' };
        socket.emit('hello', 'hi');
    });
    await new Promise((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
    return { io, url: `http://127.0.0.1:${httpServer.address().port}` };
}

for (const [name, args] of [['websocket', ['--transports', 'websocket']], ['polling', ['--transports', 'polling']]]) {
    test(`socket.io 4.8 connectionStateRecovery: the Qt client recovers over ${name}`, async () => {
        const server = await startServer({ maxDisconnectionDuration: 60000 });
        const client = new QtClient(server.url, args);
        try {
            const first = await client.type('connect', '/');
            assert.equal(first.recovered, undefined, 'a first connect is not recovered');
            const hello = await client.event('hello');
            assert.equal(hello.args[0], 'hi');
            assert.equal(typeof hello.args[1], 'string', 'socket.io appends the offset');

            client.send({ cmd: 'emit', event: 'drop' });
            await client.type('disconnect', '/');
            const again = await client.type('connect', '/');
            assert.equal(again.recovered, true, again.raw);
            assert.equal(again.id, first.id);
            const missed = client.lines.filter((l) => l.type === 'event' && l.event === 'missed');
            assert.deepEqual(missed.map((l) => l.args[0]), [1, 2, 3]);
            assert.deepEqual(missed[2].args[1], { $binary: Buffer.from([1, 2, 3]).toString('base64') });
            // Delivered before the connect line, as socket.io-client hands them over before "connect".
            assert.ok(client.lines.indexOf(missed[2]) < client.lines.indexOf(again));
            assert.equal(client.lines.filter((l) => l.event === 'skipped').length, 0);
            const welcome = await client.event('welcome-back');
            assert.deepEqual(welcome.args.slice(0, 2), [[first.id, 'r1'].sort(), { user: 'ada' }]);

            // A second drop recovers again, from the offset of the last event.
            client.send({ cmd: 'emit', event: 'drop' });
            await client.type('disconnect', '/');
            const third = await client.type('connect', '/');
            assert.equal(third.recovered, true, third.raw);
            assert.equal(third.id, first.id);
            assert.equal(client.lines.filter((l) => l.type === 'event' && l.event === 'missed').length, 6);
            assert.equal(await client.end(), 0);
        } finally {
            client.child.kill();
            server.io.close();
        }
    });
}

test('socket.io 4.8 connectionStateRecovery: an io server disconnect is not recovered', async () => {
    const server = await startServer({});
    const client = new QtClient(server.url, ['--transports', 'websocket']);
    try {
        const first = await client.type('connect', '/');
        await client.event('hello');
        client.send({ cmd: 'emit', event: 'leave-namespace' });
        assert.equal((await client.type('disconnect', '/')).reason, 'io server disconnect');
        client.send({ cmd: 'connect', nsp: '/' });
        const again = await client.type('connect', '/');
        assert.equal(again.recovered, undefined);
        assert.notEqual(again.id, first.id);
        assert.equal(await client.end(), 0);
    } finally {
        client.child.kill();
        server.io.close();
    }
});
