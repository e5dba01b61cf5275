// SPDX-License-Identifier: MIT
// Connection state recovery (docs/recovery.md): the real npm socket.io-client 4.8 against
// `socketio-echo-server --recovery MS`. A forced transport close (socket.io.engine.close()),
// events emitted while the client is away, then socket.connect(): same id, rooms and missed
// events in order (rooms and except as at emit time); expired sessions, deliberate
// disconnections and middlewares (skipped or not).
//
// The tests wait for server-side facts, never for time: the echo server's `recovery-stats`
// tells when a session has been persisted (or purged).
//
//   SOCKETIO_ECHO_SERVER=<socketio-echo-server> node --test recovery.test.mjs
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { io } from 'socket.io-client';

const SAFETY_MS = 10000; // a safety net against a hang, not a timing assertion

function withTimeout(promise, what) {
    let timer;
    const timeout = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), SAFETY_MS);
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function once(socket, event) {
    return withTimeout(new Promise((resolve) => socket.once(event, (...args) => resolve(args))), event);
}

const servers = [];
after(() => servers.forEach((s) => s.kill()));

function startServer(args) {
    const server = spawn(process.env.SOCKETIO_ECHO_SERVER, ['--port', '0', ...args],
        { stdio: ['ignore', 'pipe', 'inherit'] });
    servers.push(server);
    return withTimeout(new Promise((resolve, reject) => {
        let out = '';
        server.stdout.on('data', (chunk) => {
            out += chunk;
            const match = /listening on port (\d+)/.exec(out);
            if (match)
                resolve(`http://127.0.0.1:${match[1]}`);
        });
        server.on('exit', (code) => reject(new Error(`echo server exited with ${code}`)));
    }), 'the echo server');
}

function ack(socket, ...args) {
    return withTimeout(socket.emitWithAck(...args), `the ack of ${args[0]}`);
}

// A socket whose events are all recorded (offset included, as socket.io-client hands them to
// listeners), connected, with the echo server's `auth` event received: the client has an offset.
async function connect(url, options = {}) {
    const socket = io(url, { forceNew: true, reconnection: false, transports: ['websocket'], ...options });
    socket.received = [];
    socket.onAny((event, ...args) => socket.received.push([event, ...args]));
    const auth = once(socket, 'auth');
    await once(socket, 'connect');
    await auth;
    return socket;
}

// Polls the server (through `observer`) until its recovery store has `sessions` sessions.
async function waitForSessions(observer, sessions) {
    const deadline = Date.now() + SAFETY_MS;
    for (;;) {
        const stats = await ack(observer, 'recovery-stats');
        if (stats.sessions === sessions)
            return stats;
        if (Date.now() > deadline)
            throw new Error(`the server never had ${sessions} sessions: ${JSON.stringify(stats)}`);
        await new Promise((resolve) => setImmediate(resolve));
    }
}

// A forced transport close, seen by both sides.
async function dropTransport(socket, observer, sessionsAfter = 1) {
    const disconnected = once(socket, 'disconnect');
    socket.io.engine.close();
    assert.equal((await disconnected)[0], 'forced close'); // socket.io-client's reason for engine.close()
    await waitForSessions(observer, sessionsAfter);
}

async function reconnect(socket) {
    const connected = once(socket, 'connect');
    const failed = once(socket, 'connect_error').then(([err]) => { throw err; });
    socket.connect();
    await Promise.race([connected, failed]);
}

const url = await startServer(['--recovery', '60000']);

test('the wire: CONNECT carries pid, stored events their offset last, acks and volatile ones none', async () => {
    const a = await connect(url);
    try {
        assert.equal(typeof a._pid, 'string');
        assert.ok(a._pid.length > 0);
        const [authEvent] = a.received;
        assert.equal(authEvent[0], 'auth');
        assert.deepEqual(authEvent[1], {});
        assert.equal(typeof authEvent[2], 'string', 'the offset is the last argument');
        assert.equal(a._lastOffset, authEvent[2]);
        // An emit with an ack is never stored: no offset.
        a.once('question', (...args) => {
            const reply = args.pop();
            assert.deepEqual(args, [1, 'two']);
            reply('answer');
        });
        assert.deepEqual(await ack(a, 'ask', 0, 'question', 1, 'two'), { status: 'received', args: ['answer'] });
        // Volatile packets carry none either; the normal one after them does.
        const done = once(a, 'volatile-done');
        a.emit('volatile', 'tick', 3);
        const doneArgs = await done;
        assert.equal(doneArgs[0], 3);
        assert.equal(typeof doneArgs[1], 'string');
        for (const [event, ...args] of a.received.filter(([e]) => e === 'tick'))
            assert.equal(args.length, 1, `${event} ${JSON.stringify(args)}`);
        assert.equal(await ack(a, 'recovered'), false);
    } finally {
        a.close();
    }
});

test('recovered after a forced transport close: same id, rooms, missed events in order', async () => {
    const observer = await connect(url);
    const a = await connect(url);
    try {
        a.emit('join', 'r1');
        a.emit('join', 'r2');
        const id = await ack(a, 'whoami');
        await dropTransport(a, observer);

        // While `a` is away: what it must get, and what it must not (rooms and except as at
        // emit time).
        observer.emit('to-room', 'r1', 'missed', 1);
        observer.emit('broadcast', 'missed', 2); // everyone but the observer
        observer.emit('except-room', 'r2', 'skipped', 'a is in r2');
        observer.emit('to-room', 'r3', 'skipped', 'a is not in r3');
        observer.emit('to-room', 'r1', 'missed', 3, { binary: Buffer.from([1, 2, 3]) });
        observer.emit('except-room', 'r4', 'missed', 4);
        await ack(observer, 'message-with-ack'); // the server has handled them all
        a.received = [];
        await reconnect(a);

        assert.equal(a.recovered, true);
        assert.equal(a.id, id);
        assert.equal(await ack(a, 'recovered'), true);
        const missed = a.received.filter(([event]) => event === 'missed');
        assert.deepEqual(missed.map(([, n]) => n), [1, 2, 3, 4]);
        assert.deepEqual(missed[2][2], { binary: Buffer.from([1, 2, 3]) });
        assert.equal(a.received.filter(([event]) => event === 'skipped').length, 0,
            JSON.stringify(a.received));
        assert.equal(a._lastOffset, missed[3][2]);

        // Still in its rooms.
        const live = once(a, 'live');
        observer.emit('to-room', 'r2', 'live', 'still in r2');
        assert.equal((await live)[0], 'still in r2');

        // And again: a second drop recovers from the new offset.
        await dropTransport(a, observer);
        observer.emit('to-room', 'r1', 'missed', 5);
        await ack(observer, 'message-with-ack');
        a.received = [];
        await reconnect(a);
        assert.equal(a.recovered, true);
        assert.equal(a.id, id);
        assert.deepEqual(a.received.filter(([e]) => e === 'missed').map(([, n]) => n), [5]);
    } finally {
        a.close();
        observer.close();
    }
});

test('a deliberate disconnection is not recovered (client or server namespace disconnect)', async () => {
    const observer = await connect(url);
    const a = await connect(url);
    try {
        const id = await ack(a, 'whoami');
        a.disconnect(); // "client namespace disconnect" on the server
        await reconnect(a);
        assert.equal(a.recovered, false);
        assert.notEqual(a.id, id);

        const second = a.id;
        const gone = once(a, 'disconnect');
        a.emit('disconnect-me');
        assert.equal((await gone)[0], 'io server disconnect');
        await reconnect(a);
        assert.equal(a.recovered, false);
        assert.notEqual(a.id, second);
        assert.equal((await ack(observer, 'recovery-stats')).sessions, 0);
    } finally {
        a.close();
        observer.close();
    }
});

test('an unknown offset or pid is a fresh session', async () => {
    const observer = await connect(url);
    const a = await connect(url);
    try {
        const id = await ack(a, 'whoami');
        await dropTransport(a, observer);
        a._lastOffset = '999999999';
        await reconnect(a);
        assert.equal(a.recovered, false);
        assert.notEqual(a.id, id);
        assert.equal((await ack(observer, 'recovery-stats')).sessions, 0, 'the session was consumed');
    } finally {
        a.close();
        observer.close();
    }
});

test('middlewares are skipped for a recovered socket (skipMiddlewares, the default)', async () => {
    const observer = await connect(url);
    const a = await connect(url);
    try {
        const id = await ack(a, 'whoami');
        await dropTransport(a, observer);
        a.auth = { reject: 'the middleware ran' }; // the echo server's middleware refuses this
        await reconnect(a);
        assert.equal(a.recovered, true);
        assert.equal(a.id, id);
    } finally {
        a.close();
        observer.close();
    }
});

test('--recovery-middlewares: a recovered socket goes through the middleware', async () => {
    const strictUrl = await startServer(['--recovery', '60000', '--recovery-middlewares']);
    const observer = await connect(strictUrl);
    const a = await connect(strictUrl);
    try {
        await dropTransport(a, observer);
        a.auth = { reject: 'the middleware ran' };
        await assert.rejects(reconnect(a), /the middleware ran/);
        a.auth = {};
        // The session was consumed by the refused attempt: a fresh one now.
        await reconnect(a);
        assert.equal(a.recovered, false);
    } finally {
        a.close();
        observer.close();
    }
});

test('an expired session is not recovered (purged after maxDisconnectionDuration)', async () => {
    const shortUrl = await startServer(['--recovery', '1000']);
    const observer = await connect(shortUrl);
    const a = await connect(shortUrl);
    try {
        const id = await ack(a, 'whoami');
        await dropTransport(a, observer);
        await waitForSessions(observer, 0); // the purge timer removed it
        await reconnect(a);
        assert.equal(a.recovered, false);
        assert.notEqual(a.id, id);
    } finally {
        a.close();
        observer.close();
    }
});
