// SPDX-License-Identifier: MIT
// Our Qt client (through `socketio-client --json`) against the real npm servers: socket.io 4.8
// and socket.io 2.x (Engine.IO v3, --eio3). Each server is started in this process on port 0.
//
//   SOCKETIO_CLIENT=<socketio-client> node --test qtclient-node.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import https from 'node:https';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { Server } from 'socket.io';
import { QtClient } from './qtclient.mjs';

const require = createRequire(import.meta.url);

// socket.io 4.8 with the echo server's handlers (PROTOCOL.md) and a few for the client's cases.
function setup(nsp) {
    nsp.on('connection', (socket) => {
        socket.emit('auth', socket.handshake.auth);
        socket.on('message', (...args) => socket.emit('message-back', ...args));
        socket.on('message-with-ack', (...args) => {
            const ack = args.pop();
            ack(...args);
        });
        socket.on('never-answer', () => {});
        socket.on('kick', () => socket.disconnect());
        socket.on('ask', async (value) => {
            const reply = await socket.timeout(10000).emitWithAck('question', value, { z: 1, a: 2 });
            socket.emit('answered', reply);
        });
        // Stall this connection: no more pings (nor anything else) and no server-side timeout
        // either, so the client alone decides, with "ping timeout". engine.io 6.6 internals.
        socket.on('stall', () => {
            const conn = socket.conn;
            clearTimeout(conn.pingIntervalTimer);
            clearTimeout(conn.pingTimeoutTimer);
            conn.schedulePing = () => {};
            conn.resetPingTimeout = () => {};
            conn.sendPacket = () => {};
        });
    });
}

async function startServer(port = 0) {
    const httpServer = http.createServer();
    const io = new Server(httpServer, { pingInterval: 300, pingTimeout: 200 });
    setup(io.of('/'));
    setup(io.of('/custom'));
    const guarded = io.of('/guarded');
    guarded.use((socket, next) => {
        if (socket.handshake.auth.token === 'ok')
            return next();
        const error = new Error('not authorized');
        error.data = { code: 42, why: 'token' };
        next(error);
    });
    setup(guarded);
    await new Promise((resolve) => httpServer.listen(port, '127.0.0.1', resolve));
    return { io, httpServer, port: httpServer.address().port, url: `http://127.0.0.1:${httpServer.address().port}` };
}

async function stopServer(server) {
    await new Promise((resolve) => server.io.close(() => resolve()));
}

for (const [name, args] of [['polling+websocket', []], ['polling', ['--transports', 'polling']], ['websocket', ['--transports', 'websocket']]]) {
    test(`socket.io 4.8: events, JSON key order, binary and acks over ${name}`, async () => {
        const server = await startServer();
        const client = new QtClient(server.url, args);
        try {
            const connected = await client.type('connect', '/');
            assert.ok(server.io.of('/').sockets.has(connected.id));
            assert.equal((await client.event('auth')).raw.includes('"args":[{}]'), true);
            // Objects keep their key order both ways; binary anywhere.
            client.sendRaw('{"cmd":"emit","event":"message","args":[1,"2",{"zeta":1,"alpha":{"y":true,"b":null}},{"$binary":"AQID"},{"nested":{"$binary":"BAU="}}]}');
            const back = await client.event('message-back');
            assert.ok(back.raw.includes('"args":[1,"2",{"zeta":1,"alpha":{"y":true,"b":null}},{"$binary":"AQID"},{"nested":{"$binary":"BAU="}}]'), back.raw);
            client.send({ cmd: 'emit', event: 'message-with-ack', args: ['a', { $binary: 'CQg=' }], ack: true, id: 'x1', timeoutMs: 5000 });
            const ack = await client.ack('x1');
            assert.deepEqual(ack.args, ['a', { $binary: 'CQg=' }]);
            // Server -> client ack, answered through the contract.
            client.send({ cmd: 'emit', event: 'ask', args: [21] });
            const question = await client.event('question');
            assert.ok(question.raw.includes('"args":[21,{"z":1,"a":2}]'), question.raw);
            assert.equal(typeof question.ackId, 'number');
            client.send({ cmd: 'ack', nsp: '/', ackId: question.ackId, args: [{ $binary: 'AQ==' }, 42] });
            const answered = await client.event('answered'); // emitWithAck resolves with the first
            assert.deepEqual(answered.args, [{ $binary: 'AQ==' }]);
            if (name === 'polling+websocket') {
                const upgrade = await client.type('upgrade');
                assert.equal(upgrade.transport, 'websocket');
            }
            // Ack timeout.
            client.send({ cmd: 'emit', event: 'never-answer', ack: true, id: 'late', timeoutMs: 100 });
            assert.equal((await client.ack('late')).error, 'timeout');
            // A line that is not a command: an error line, and the program goes on.
            client.sendRaw('not json');
            await client.type('error');
            assert.equal(await client.end(), 0);
            assert.equal((await client.type('disconnect', '/')).reason, 'io client disconnect');
        } finally {
            client.child.kill();
            await stopServer(server);
        }
    });
}

test('socket.io 4.8: namespaces, auth, invalid namespace, middleware refusal with data', async () => {
    const server = await startServer();
    const client = new QtClient(server.url + '/custom', ['--auth', '{"token":"abc","z":1}']);
    try {
        await client.type('connect', '/custom');
        const auth = await client.event('auth', '/custom');
        assert.ok(auth.raw.includes('"args":[{"token":"abc","z":1}]'), auth.raw);
        client.send({ cmd: 'connect', nsp: '/' });
        await client.type('connect', '/');
        client.send({ cmd: 'connect', nsp: '/nope' });
        const invalid = await client.type('connect_error', '/nope');
        assert.equal(invalid.message, 'Invalid namespace');
        client.send({ cmd: 'connect', nsp: '/guarded', auth: { token: 'bad' } });
        const refused = await client.type('connect_error', '/guarded');
        assert.equal(refused.message, 'not authorized');
        assert.ok(refused.raw.includes('"data":{"code":42,"why":"token"}'), refused.raw);
        // Both namespaces share one Engine.IO connection.
        const ids = [...server.io.of('/').sockets.values()].map((s) => s.conn.id);
        const customIds = [...server.io.of('/custom').sockets.values()].map((s) => s.conn.id);
        assert.deepEqual(ids, customIds);
        client.send({ cmd: 'disconnect', nsp: '/custom' });
        assert.equal((await client.type('disconnect', '/custom')).reason, 'io client disconnect');
        client.send({ cmd: 'emit', event: 'message', args: ['still here'] });
        await client.event('message-back');
        assert.equal(await client.end(), 0);
    } finally {
        client.child.kill();
        await stopServer(server);
    }
});

test('socket.io 4.8: a server-side disconnect does not reconnect', async () => {
    const server = await startServer();
    const client = new QtClient(server.url);
    try {
        await client.type('connect', '/');
        client.send({ cmd: 'emit', event: 'kick' });
        assert.equal((await client.type('disconnect', '/')).reason, 'io server disconnect');
        // The next thing the client does is what we ask: no reconnect attempt came before it.
        client.send({ cmd: 'connect', nsp: '/custom' });
        await client.type('connect', '/custom');
        assert.equal(client.lines.filter((l) => l.type === 'reconnect_attempt').length, 0);
        assert.equal(client.lines.filter((l) => l.type === 'connect' && l.nsp === '/').length, 1);
        assert.equal(await client.end(), 0);
    } finally {
        client.child.kill();
        await stopServer(server);
    }
});

test('socket.io 4.8: server restart, reconnection, buffered emits delivered', async () => {
    let server = await startServer();
    const port = server.port;
    const client = new QtClient(server.url, ['--transports', 'websocket']);
    try {
        const first = await client.type('connect', '/');
        await stopServer(server);
        const disconnect = await client.type('disconnect', '/');
        assert.ok(['transport close', 'transport error'].includes(disconnect.reason), disconnect.reason);
        client.send({ cmd: 'emit', event: 'message', args: ['buffered 1'] });
        client.send({ cmd: 'emit', event: 'message-with-ack', args: ['buffered ack'], ack: true, id: 'b' });
        client.send({ cmd: 'emit', event: 'message', args: ['buffered 2'] });
        await client.type('reconnect_attempt');
        server = await startServer(port);
        const reconnect = await client.type('reconnect');
        assert.ok(reconnect.attempt >= 1);
        const second = await client.type('connect', '/');
        assert.notEqual(second.id, first.id);
        assert.deepEqual((await client.event('message-back')).args, ['buffered 1']);
        assert.deepEqual((await client.event('message-back')).args, ['buffered 2']);
        assert.deepEqual((await client.ack('b')).args, ['buffered ack']);
        assert.equal(await client.end(), 0);
    } finally {
        client.child.kill();
        await stopServer(server);
    }
});

test('socket.io 4.8: a server that stops pinging is a "ping timeout", then a reconnection', async () => {
    const server = await startServer();
    const client = new QtClient(server.url, ['--transports', 'websocket']);
    try {
        await client.type('connect', '/');
        client.send({ cmd: 'emit', event: 'stall' });
        assert.equal((await client.type('disconnect', '/')).reason, 'ping timeout');
        await client.type('reconnect');
        await client.type('connect', '/');
        assert.equal(await client.end(), 0);
    } finally {
        client.child.kill();
        await stopServer(server);
    }
});

test('socket.io 2.x server over Engine.IO v3 (--eio3)', async () => {
    const ioV2 = require('socket.io-v2');
    const httpServer = http.createServer();
    const io = ioV2(httpServer, { pingInterval: 300, pingTimeout: 200 });
    for (const nsp of [io.of('/'), io.of('/custom')]) {
        nsp.on('connection', (socket) => {
            socket.on('message', (...args) => socket.emit('message-back', ...args));
            socket.on('message-with-ack', (...args) => {
                const ack = args.pop();
                ack(...args);
            });
        });
    }
    await new Promise((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${httpServer.address().port}`;
    for (const args of [['--eio3'], ['--eio3', '--transports', 'polling'], ['--eio3', '--transports', 'websocket']]) {
        const client = new QtClient(url, args);
        try {
            await client.type('connect', '/');
            client.sendRaw('{"cmd":"emit","event":"message","args":[1,{"zeta":"z","alpha":[true]},{"$binary":"AQID"}]}');
            const back = await client.event('message-back');
            assert.ok(back.raw.includes('"args":[1,{"zeta":"z","alpha":[true]},{"$binary":"AQID"}]'), back.raw);
            client.send({ cmd: 'emit', event: 'message-with-ack', args: ['v2'], ack: true, id: 'a' });
            assert.deepEqual((await client.ack('a')).args, ['v2']);
            client.send({ cmd: 'connect', nsp: '/custom' });
            await client.type('connect', '/custom');
            client.send({ cmd: 'emit', nsp: '/custom', event: 'message', args: ['custom'] });
            assert.deepEqual((await client.event('message-back', '/custom')).args, ['custom']);
            assert.equal(await client.end(), 0);
        } finally {
            client.child.kill();
        }
    }
    io.close();
    httpServer.close();
});

test('socket.io 4.8 over TLS: https and wss with --ca; an untrusted certificate is a connect error', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'qtclient-tls-'));
    const keyFile = path.join(dir, 'key.pem');
    const certFile = path.join(dir, 'cert.pem');
    const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile,
        '-out', certFile, '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1']);
    assert.equal(made.status, 0, String(made.stderr));
    const httpsServer = https.createServer({ key: readFileSync(keyFile), cert: readFileSync(certFile) });
    const io = new Server(httpsServer, { pingInterval: 300, pingTimeout: 200 });
    setup(io.of('/'));
    await new Promise((resolve) => httpsServer.listen(0, '127.0.0.1', resolve));
    const url = `https://127.0.0.1:${httpsServer.address().port}`;
    try {
        for (const args of [[], ['--transports', 'websocket']]) {
            const client = new QtClient(url, ['--ca', certFile, ...args]);
            try {
                await client.type('connect', '/');
                client.send({ cmd: 'emit', event: 'message', args: ['over tls'] });
                assert.deepEqual((await client.event('message-back')).args, ['over tls']);
                if (!args.length)
                    assert.equal((await client.type('upgrade')).transport, 'websocket');
                assert.equal(await client.end(), 0);
            } finally {
                client.child.kill();
            }
        }
        // Without the CA: a connect error that says why, never a silent fallback.
        const untrusted = new QtClient(url, ['--no-reconnect']);
        try {
            const error = await untrusted.type('connect_error', '/');
            assert.match(error.message, /SSL|certificate|TLS/i, error.raw);
            assert.equal(untrusted.lines.filter((l) => l.type === 'connect').length, 0);
            assert.equal(await untrusted.end(), 0);
        } finally {
            untrusted.child.kill();
        }
    } finally {
        io.close();
        rmSync(dir, { recursive: true, force: true });
    }
});
