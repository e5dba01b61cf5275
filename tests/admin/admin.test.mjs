// SPDX-License-Identifier: MIT
// The admin namespace's rules, on our echo server and, where node behaves the same, on node's
// socket.io 4.8 instrumented by @socket.io/admin-ui 0.5: wrong password, session id, read-only,
// the commands; and ours only: an admin that stops reading while clients flood the server.
import assert from 'node:assert/strict';
import test from 'node:test';
import { createRequire } from 'node:module';
import { HASH, PASSWORD, connectAdmin, connectClient, startServer, waiter } from './helpers.mjs';

const require = createRequire(import.meta.url);
const WebSocket = require('ws');
const auth = { username: 'admin', password: PASSWORD };

for (const kind of ['qt', 'node']) {
    test(`${kind}: a wrong password or user is refused with "invalid credentials"; the session id logs in again`, async () => {
        const server = await startServer(kind, ['--admin-auth', `admin:${HASH}`]);
        try {
            for (const wrong of [{ username: 'admin', password: 'nope' }, { username: 'root', password: PASSWORD },
                                 { sessionId: '0123456789abcdef' }, {}]) {
                const admin = connectAdmin(server, { auth: wrong });
                await assert.rejects(admin.connected, { message: 'invalid credentials' });
                admin.socket.close();
            }
            const admin = connectAdmin(server, { auth });
            await admin.connected;
            await admin.until('session');
            const sessionId = admin.events.find((e) => e[0] === 'session')[1];
            const again = connectAdmin(server, { auth: { sessionId } });
            await again.connected;
            await again.until('config');
            assert.ok(!again.has('session'));
            admin.socket.close();
            again.socket.close();
        } finally {
            await server.stop();
        }
    });

    test(`${kind}: read-only: no commands offered, and commands sent anyway do nothing`, async () => {
        const server = await startServer(kind, ['--admin-readonly']);
        try {
            const admin = connectAdmin(server);
            await admin.connected;
            await admin.until('config');
            assert.deepEqual(admin.events.find((e) => e[0] === 'config')[1].supportedFeatures,
                             ['AGGREGATED_EVENTS', 'ALL_EVENTS']);
            const client = await connectClient(server, '/', { transports: ['websocket'] });
            const id = client.id;
            let received = 0;
            client.on('hello', () => ++received);
            admin.socket.emit('emit', '/', undefined, 'hello');
            admin.socket.emit('join', '/', 'r');
            admin.socket.emit('_disconnect', '/', true);
            // The admin's commands went before this event on the same connection; its echo proves
            // they were handled (and ignored).
            client.emit('message', 'after');
            await new Promise((resolve) => client.once('message-back', resolve));
            await admin.until('event_sent', (e) => e[2] === id && e[3][0] === 'message-back');
            assert.equal(received, 0);
            assert.ok(client.connected);
            assert.ok(!admin.has('room_joined', (e) => e[2] === 'r'));
            client.close();
            admin.socket.close();
        } finally {
            await server.stop();
        }
    });

    test(`${kind}: the commands emit, join, leave and _disconnect, with room filters`, async () => {
        const server = await startServer(kind, ['--admin']);
        try {
            const admin = connectAdmin(server);
            await admin.connected;
            await admin.until('all_sockets');
            const a = await connectClient(server, '/', { transports: ['websocket'] });
            const b = await connectClient(server, '/', { transports: ['websocket'] });
            const [aId, bId] = [a.id, b.id];
            a.emit('join', 'red');
            await admin.until('room_joined', (e) => e[2] === 'red' && e[3] === aId);

            const got = { a: [], b: [] };
            const wait = waiter();
            a.on('news', (...args) => { got.a.push(args); wait.check(); });
            b.on('news', (...args) => { got.b.push(args); wait.check(); });
            admin.socket.emit('emit', '/', 'red', 'news', 1, { two: 2 });
            await wait.until(() => got.a.length === 1, 'news to red');
            admin.socket.emit('emit', '/', undefined, 'news', 'all');
            await wait.until(() => got.a.length === 2 && got.b.length === 1, 'news to all');
            assert.deepEqual(got, { a: [[1, { two: 2 }], ['all']], b: [['all']] });

            admin.socket.emit('join', '/', 'blue', 'red'); // those in red join blue
            await admin.until('room_joined', (e) => e[2] === 'blue' && e[3] === aId);
            admin.socket.emit('join', '/', 'green'); // everyone joins green
            await admin.until('room_joined', (e) => e[2] === 'green' && e[3] === bId);
            assert.ok(!admin.has('room_joined', (e) => e[2] === 'blue' && e[3] === bId));
            admin.socket.emit('leave', '/', 'green', 'red'); // those in red leave green
            await admin.until('room_left', (e) => e[2] === 'green' && e[3] === aId);
            assert.ok(!admin.has('room_left', (e) => e[2] === 'green' && e[3] === bId));

            const bGone = new Promise((resolve) => b.once('disconnect', resolve));
            const aGone = new Promise((resolve) => a.once('disconnect', resolve));
            admin.socket.emit('_disconnect', '/', false, 'red');
            assert.equal(await aGone, 'io server disconnect');
            await admin.until('socket_disconnected', (e) => e[2] === aId);
            assert.ok(b.connected);
            admin.socket.emit('_disconnect', '/', true);
            assert.equal(await bGone, 'io server disconnect');
            await admin.until('socket_disconnected', (e) => e[2] === bId);
            admin.socket.close();
        } finally {
            await server.stop();
        }
    });
}

// An admin that connects and then never reads again, while clients flood the server with events
// whose every argument the development mode streams to admins: the server's memory stays bounded
// (the stream is dropped for that admin, or the admin is disconnected), and other clients are
// served all along.
test('qt: an admin that stops reading does not grow the server while clients flood it', async () => {
    const server = await startServer('qt', ['--admin'], { stderr: true });
    try {
        // A raw Engine.IO/Socket.IO admin over WebSocket whose socket we pause.
        const ws = new WebSocket(`ws://127.0.0.1:${server.port}/socket.io/?EIO=4&transport=websocket`);
        const joined = new Promise((resolve, reject) => {
            ws.on('message', (data) => {
                const text = data.toString();
                if (text.startsWith('0'))
                    ws.send('40/admin,');
                else if (text.startsWith('40/admin,'))
                    resolve();
            });
            ws.on('error', reject);
        });
        await joined;
        ws._socket.pause(); // reads nothing from now on
        const before = server.rssKiB();

        const payload = 'x'.repeat(64 * 1024);
        const clients = await Promise.all(Array.from({ length: 8 }, () =>
            connectClient(server, '/', { transports: ['websocket'] })));
        const perClient = 200; // 8 x 200 x 64 KiB = 100 MiB streamed to the stalled admin
        await Promise.all(clients.map(async (client) => {
            for (let i = 0; i < perClient; ++i) {
                client.emit('flood', payload);
                if (i % 20 === 19) // acked round trips pace each client to what the server reads
                    await client.emitWithAck('message-with-ack', i);
            }
            await client.emitWithAck('message-with-ack', 'done');
        }));
        const after = server.rssKiB();
        const grewMiB = (after - before) / 1024;
        console.log(`server RSS ${before} KiB -> ${after} KiB (+${grewMiB.toFixed(1)} MiB) after 100 MiB for a stalled admin`);
        assert.ok(grewMiB < 48, `the server grew by ${grewMiB.toFixed(1)} MiB`);
        // The events it missed are counted and logged (with the next server_stats).
        await server.untilStderr(/AdminInstrumentation: \d+ events not sent to admins that could not keep up/);
        console.log(server.stderr().match(/AdminInstrumentation: \d+ events not sent.*/)[0]);
        for (const client of clients)
            client.close();
        ws.terminate();
    } finally {
        await server.stop();
    }
});
