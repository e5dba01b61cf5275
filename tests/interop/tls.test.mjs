// SPDX-License-Identifier: MIT
// TLS (issue 15, defect 4): the real npm socket.io-client 4.8 against `socketio-echo-server
// --tls-cert --tls-key` over https polling, wss and the upgrade between them, with a certificate
// this test makes with openssl; then the certificate is renewed on disk and new clients get the
// new one without a restart.
//
//   SOCKETIO_ECHO_SERVER=<socketio-echo-server> node --test tls.test.mjs
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { io } from 'socket.io-client';

const dir = mkdtempSync(path.join(tmpdir(), 'socketio-tls-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function makeCertificate(name) {
    execFileSync('openssl', ['req', '-x509', '-nodes', '-newkey', 'rsa:2048', '-days', '2',
        '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
        '-keyout', path.join(dir, `${name}.key`), '-out', path.join(dir, `${name}.pem`)],
    { stdio: 'ignore' });
    return { cert: path.join(dir, `${name}.pem`), key: path.join(dir, `${name}.key`) };
}

function startServer(cert, key) {
    const server = spawn(process.env.SOCKETIO_ECHO_SERVER,
        ['--port', '0', '--tls-cert', cert, '--tls-key', key], { stdio: ['ignore', 'pipe', 'inherit'] });
    return new Promise((resolve, reject) => {
        let out = '';
        server.stdout.on('data', (chunk) => {
            out += chunk;
            const match = /listening on port (\d+)/.exec(out);
            if (match)
                resolve({ server, port: Number(match[1]) });
        });
        server.on('exit', (code) => reject(new Error(`echo server exited with ${code}`)));
    });
}

// Every wait has a deadline, so a lost reply fails this test with a name instead of a timeout.
function within(ms, promise, what) {
    let timer;
    const deadline = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no ${what} within ${ms} ms`)), ms);
    });
    return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

// emitWithAck resolves with the first argument only: the callback form gives them all.
function ack(socket, ...args) {
    return new Promise((resolve, reject) => socket.timeout(10000).emit(...args, (err, ...reply) => (err ? reject(err) : resolve(reply))));
}

// Resolves with the socket once connected; `socket.authEvent` is the promise of the server's first
// emit (`auth`), listened for before connecting: over polling it can come in the same payload as
// the CONNECT reply and be delivered before any listener added after 'connect' would be.
function connect(port, ca, transports) {
    const socket = io(`https://localhost:${port}`, {
        ca: readFileSync(ca), transports, reconnection: false, forceNew: true, timeout: 10000,
    });
    socket.authEvent = new Promise((resolve) => socket.once('auth', (...args) => resolve(args)));
    return within(20000, new Promise((resolve, reject) => {
        socket.once('connect', () => resolve(socket));
        socket.once('connect_error', (err) => { socket.close(); reject(err); });
    }), 'connect or connect_error').catch((err) => { socket.close(); throw err; });
}

const first = makeCertificate('first');
const { server, port } = await startServer(first.cert, first.key);
after(() => server.kill());

for (const [name, transports, final] of [
    ['https polling, upgraded to wss', ['polling', 'websocket'], 'websocket'],
    ['https polling only', ['polling'], 'polling'],
    ['wss only', ['websocket'], 'websocket'],
]) {
    test(name, async () => {
        const socket = await connect(port, first.cert, transports);
        try {
            const [auth] = await within(20000, socket.authEvent, 'auth event');
            assert.deepEqual(auth, {});
            if (final === 'websocket' && socket.io.engine.transport.name !== 'websocket')
                await within(20000, new Promise((resolve) => socket.io.engine.once('upgrade', resolve)), 'upgrade');
            const reply = await ack(socket, 'message-with-ack', 'over tls', Buffer.from([0, 1, 2]));
            assert.deepEqual(reply, ['over tls', Buffer.from([0, 1, 2])]);
            assert.equal(socket.io.engine.transport.name, final);
        } finally {
            socket.close();
        }
    });
}

test('a client that does not trust the certificate is refused', async () => {
    const other = makeCertificate('other');
    await assert.rejects(connect(port, other.cert, ['polling']));
    // The server is still fine.
    const socket = await connect(port, first.cert, ['polling']);
    socket.close();
});

test('a renewed certificate is served to new clients without a restart', async () => {
    const renewed = makeCertificate('renewed');
    const open = await connect(port, first.cert, ['websocket']);
    // Replace the files as certbot does (rename over them); the server watches them.
    renameSync(renewed.key, first.key);
    renameSync(renewed.cert, first.cert + '.new');
    const newCa = readFileSync(first.cert + '.new');
    renameSync(first.cert + '.new', first.cert);
    // Until the server has reloaded, a client trusting only the new certificate is refused;
    // retry (each attempt is a full TLS handshake) until it is accepted.
    let socket;
    for (let attempt = 0; !socket && attempt < 200; ++attempt) {
        socket = await connect(port, first.cert, ['websocket']).catch(() => undefined);
        if (!socket)
            await new Promise((resolve) => setImmediate(resolve));
    }
    assert.ok(socket, 'the renewed certificate was never served');
    assert.deepEqual(readFileSync(first.cert), newCa);
    assert.ok(open.connected, 'the connection made with the old certificate stays open');
    const reply = await ack(open, 'message-with-ack', 'still here');
    assert.deepEqual(reply, ['still here']);
    socket.close();
    open.close();
});
