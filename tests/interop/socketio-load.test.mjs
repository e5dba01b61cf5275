// SPDX-License-Identifier: MIT
// Many real npm socket.io-client 4.8 clients at once against the echo server (default ping
// timings, so a busy machine cannot turn slowness into ping timeouts). Started by run-with-echo-server.mjs, which passes the URL in ECHO_URL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { io } from 'socket.io-client';

const url = process.env.ECHO_URL;
if (!url) {
    throw new Error('ECHO_URL is not set; run this file through run-with-echo-server.mjs');
}
const SAFETY_MS = 10000;

function withTimeout(promise, what) {
    let timer;
    const timeout = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), SAFETY_MS);
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// Resolves with the arguments of the next `event`.
function once(socket, event) {
    return withTimeout(new Promise((resolve) => socket.once(event, (...args) => resolve(args))), event);
}

// Connects and waits for the server's `auth` event, registered before connecting so no frame
// can be missed.
async function connect(nsp = '/', options = {}) {
    const socket = io(url + (nsp === '/' ? '' : nsp), { forceNew: true, reconnection: false, ...options });
    const auth = once(socket, 'auth');
    await once(socket, 'connect');
    return { socket, auth: (await auth)[0] };
}

test('200 concurrent clients', async () => {
    const clients = await Promise.all(Array.from({ length: 200 }, (_, i) =>
        connect('/', { transports: i % 2 ? ['websocket'] : ['polling', 'websocket'] })));
    const replies = await Promise.all(clients.map(({ socket }, i) =>
        withTimeout(socket.emitWithAck('message-with-ack', i), `ack ${i}`)));
    assert.deepEqual(replies, clients.map((_, i) => i));
    for (const { socket } of clients) socket.disconnect();
});
