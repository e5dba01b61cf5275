// SPDX-License-Identifier: MIT
// Server hooks (docs/server-hooks.md) as the real npm socket.io-client 4.8 meets them, against
// socketio-hooks-test-server (hooks-server/main.cpp; started by run-with-echo-server.mjs, which
// passes its URL in ECHO_URL): the custom session id, the asynchronous allowRequest, the headers
// hooks (a sticky-session cookie the client's cookie jar sends back), dynamic namespaces that go
// when empty and come back, emitWithAck futures on the server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { io } from 'socket.io-client';
import { url, withTimeout, once } from './helpers.mjs';

function client(nsp = '/', options = {}) {
    return io(url + (nsp === '/' ? '' : nsp), { forceNew: true, reconnection: false, ...options });
}

async function connected(socket) {
    await once(socket, 'connect');
    return socket;
}

async function stats(socket) {
    return withTimeout(socket.emitWithAck('stats'), 'stats');
}

test('the polling handshake carries the hooks\' headers and the generated id', async () => {
    const response = await withTimeout(fetch(`${url}/socket.io/?EIO=4&transport=polling`), 'handshake');
    assert.equal(response.status, 200);
    assert.deepEqual(response.headers.getSetCookie(), ['sticky=node-a; Path=/']);
    assert.equal(response.headers.get('x-hooks'), 'GET');
    const body = await response.text();
    assert.equal(body[0], '0');
    assert.match(JSON.parse(body.slice(1)).sid, /^hooks-\d+$/);
});

for (const transports of [['polling'], ['polling', 'websocket'], ['websocket']]) {
    test(`session id, allowRequest and the sticky cookie over ${transports.join('+')}`, async () => {
        const socket = await connected(client('/', { transports, withCredentials: true }));
        assert.match(socket.io.engine.id, /^hooks-\d+$/);
        if (transports.length === 2 && socket.io.engine.transport.name !== 'websocket')
            await withTimeout(new Promise((r) => socket.io.engine.once('upgrade', r)), 'upgrade');
        const before = await stats(socket);
        assert.equal(before.engineId, socket.io.engine.id);
        assert.ok(before.lookups >= 1);
        // The WebSocket handshake cannot carry the hooks' headers (QWebSocketServer writes it):
        // a WebSocket-only client never gets the cookie; polling clients send it back.
        assert.equal(before.cookieOnHandshake, false);
        if (transports[0] === 'polling')
            assert.ok(before.cookiesBack >= 1, `polling requests sent the cookie back: ${before.cookiesBack}`);
        else
            assert.equal(before.cookiesBack, 0);
        socket.disconnect();
    });
}

for (const transports of [['polling'], ['websocket']]) {
    test(`an asynchronous allowRequest refuses over ${transports.join('+')}`, async () => {
        const socket = client('/', { transports, query: { token: 'deny' } });
        const [err] = await once(socket, 'connect_error');
        if (transports[0] === 'polling') {
            assert.equal(err.message, 'xhr poll error');
            assert.equal(err.description, 403);
        } else {
            assert.equal(err.message, 'websocket error');
        }
        assert.equal(socket.connected, false);
        socket.close();
        // ... and lets another token in.
        const ok = await connected(client('/', { transports, query: { token: 'fine' } }));
        ok.disconnect();
    });
}

test('an empty dynamic namespace is removed, and created again by the next client', async () => {
    const watcher = await connected(client('/', { transports: ['websocket'] }));
    const start = await stats(watcher);
    const first = await connected(client('/dyn-1', { transports: ['websocket'] }));
    assert.ok((await stats(watcher)).namespaces.includes('/dyn-1'));
    first.disconnect();
    // Asked until it is gone (each question is a round trip; the safety net stops a hang).
    let now = await stats(watcher);
    while (now.namespaces.includes('/dyn-1'))
        now = await stats(watcher);
    assert.equal(now.removed, start.removed + 1);
    const again = await connected(client('/dyn-1', { transports: ['polling'] }));
    const after = await stats(watcher);
    assert.ok(after.namespaces.includes('/dyn-1'));
    assert.equal(after.created, now.created + 1);
    // Its connection stays usable in another namespace.
    again.disconnect();
    watcher.disconnect();
});

test('Socket::emitWithAck: the client\'s answer, and a timeout', async () => {
    const socket = await connected(client('/', { transports: ['websocket'] }));
    socket.on('question', (n, callback) => callback(n + 1, 'ok'));
    let answer = once(socket, 'answer');
    socket.emit('ask-me', 0);
    assert.deepEqual(await answer, ['Received', [43, 'ok']]);
    socket.off('question');
    socket.on('question', () => {}); // never answers
    answer = once(socket, 'answer');
    socket.emit('ask-me', 100);
    assert.deepEqual(await answer, ['TimedOut', []]);
    socket.disconnect();
});

test('Broadcast::emitWithAck: all replies, or a timeout with those that came', async () => {
    // A namespace of their own: nobody else is asked.
    const a = await connected(client('/dyn-50', { transports: ['websocket'] }));
    const b = await connected(client('/dyn-50', { transports: ['polling'] }));
    a.on('poll', (question, callback) => callback('a says yes'));
    b.on('poll', (question, callback) => callback('b says no'));
    let result = once(a, 'poll-result');
    a.emit('ask-all', 5000);
    const [status, replies] = await result;
    assert.equal(status, 'Received');
    assert.deepEqual(replies.map((r) => r[0]).sort(), ['a says yes', 'b says no']);
    b.off('poll');
    b.on('poll', () => {}); // silent now
    result = once(a, 'poll-result');
    a.emit('ask-all', 300);
    assert.deepEqual(await result, ['TimedOut', [['a says yes']]]);
    a.disconnect();
    b.disconnect();
});
