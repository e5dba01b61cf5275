// SPDX-License-Identifier: MIT
// Connection state recovery with the Redis adapter (docs/recovery.md, "Several servers"): two
// socketio-echo-server --redis --recovery on one Redis, npm socket.io-client 4.8 clients.
// - every server stores every broadcast, its own and those from Redis: a client that comes back
//   to the same server (sticky sessions) recovers what was emitted on the other one;
// - a client that lands on another server gets a fresh session (its pid is unknown there);
// - when a server loses Redis it may have missed broadcasts: it forgets its sessions rather than
//   telling a client "recovered" with a gap.
// Nothing waits for a time: the echo server's recovery-stats and log lines are the signals.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';

import { need, withTimeout, tmp, fleet, startRedis, startProcess, client, call, ECHO_SERVER, redisUrl } from './helpers.mjs';

const { io } = need('socket.io-client');

let e1, e2;
const sockets = [];

async function startEcho(name) {
    const proc = startProcess(name, ECHO_SERVER, ['--port', '0', '--redis', redisUrl, '--recovery', '60000'],
        { mergeStderr: true });
    const [, port] = await proc.waitForLine(/^listening on port (\d+)$/);
    await proc.waitForLine(/connected to redis/);
    proc.port = Number(port);
    return proc;
}

async function track(promise) {
    const socket = await promise;
    sockets.push(socket);
    return socket;
}

async function waitForSessions(observer, sessions) {
    for (;;) {
        const stats = await call(observer, 'recovery-stats');
        if (stats.sessions === sessions)
            return;
        await new Promise((resolve) => setImmediate(resolve));
    }
}

async function drop(socket, observer) {
    const { sessions } = await call(observer, 'recovery-stats');
    const gone = new Promise((resolve) => socket.once('disconnect', resolve));
    socket.io.engine.close();
    await withTimeout(gone, `${socket.name} to disconnect`);
    await withTimeout(waitForSessions(observer, sessions + 1), 'the session to be persisted');
}

function reconnect(socket) {
    return withTimeout(new Promise((resolve, reject) => {
        socket.once('connect', resolve);
        socket.once('connect_error', reject);
        socket.connect();
    }), `${socket.name} to reconnect`);
}

before(async () => {
    if (!ECHO_SERVER)
        throw new Error('ECHO_SERVER is not set: the echo server (examples) was not built');
    await startRedis();
    e1 = await startEcho('echo1');
    e2 = await startEcho('echo2');
});

after(async () => {
    for (const socket of sockets)
        socket.disconnect();
    for (const proc of [e1, e2]) {
        if (proc) {
            assert.equal(proc.exited, false, `${proc.name} exited during the tests`);
            await proc.stop();
        }
    }
    await fleet.redis?.stop();
    rmSync(tmp, { recursive: true, force: true });
});

test('back on the same server: recovered, with what was emitted on the other server', async () => {
    const a = await track(client(e1.port, 'a'));
    await a.next('auth'); // a has an offset
    const watcher = await track(client(e1.port, 'watcher')); // on e1 too, in the same room
    const other = await track(client(e2.port, 'other'));
    await call(a, 'message-with-ack'); // after the joins below are handled: the echo server is in order
    a.emit('join', 'room1');
    watcher.emit('join', 'room1');
    const id = await call(a, 'whoami');
    await call(watcher, 'whoami');

    await drop(a, watcher);
    other.emit('to-room', 'room1', 'missed', 1); // through Redis to e1's store
    other.emit('to-room', 'room2', 'skipped');
    other.emit('to-room', 'room1', 'missed', 2);
    assert.equal((await watcher.next('missed'))[0], 1);
    assert.equal((await watcher.next('missed'))[0], 2); // e1 has stored both by now
    await reconnect(a);
    assert.equal(a.recovered, true);
    assert.equal(a.id, id);
    assert.equal((await a.next('missed'))[0], 1);
    assert.equal((await a.next('missed'))[0], 2);
    assert.equal(a.got('skipped'), false);
});

test('on another server: a fresh session (the pid is unknown there)', async () => {
    const a = await track(client(e1.port, 'a2'));
    await a.next('auth');
    const watcher = await track(client(e1.port, 'watcher2'));
    const id = await call(a, 'whoami');
    await drop(a, watcher);
    const moved = io(`http://127.0.0.1:${e2.port}`, {
        transports: ['websocket'], forceNew: true, reconnection: false,
        auth: { pid: a._pid, offset: a._lastOffset },
    });
    sockets.push(moved);
    await withTimeout(new Promise((resolve, reject) => {
        moved.once('connect', resolve);
        moved.once('connect_error', reject);
    }), 'the moved client to connect');
    assert.equal(moved.recovered, false);
    assert.notEqual(moved.id, id);
    assert.equal(await withTimeout(moved.emitWithAck('recovered'), 'recovered'), false);
});

test('a server that lost Redis forgets its sessions: no recovery across a gap', async () => {
    const a = await track(client(e1.port, 'a3'));
    await a.next('auth');
    const watcher = await track(client(e1.port, 'watcher3'));
    const id = await call(a, 'whoami');
    await drop(a, watcher);
    const mark = e1.mark();
    await fleet.redis.stop('SIGKILL');
    await e1.waitForLine(/lost redis/, mark);
    assert.equal((await call(watcher, 'recovery-stats')).sessions, 0);
    await startRedis();
    await e1.waitForLine(/connected to redis/, mark);
    await reconnect(a);
    assert.equal(a.recovered, false);
    assert.notEqual(a.id, id);
});
