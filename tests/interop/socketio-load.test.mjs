// SPDX-License-Identifier: MIT
// Many real npm socket.io-client 4.8 clients at once against the echo server (default ping
// timings, so a busy machine cannot turn slowness into ping timeouts). Started by run-with-echo-server.mjs, which passes the URL in ECHO_URL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { url, withTimeout, once, connect } from './helpers.mjs';

test('200 concurrent clients', async () => {
    const clients = await Promise.all(Array.from({ length: 200 }, (_, i) =>
        connect('/', { transports: i % 2 ? ['websocket'] : ['polling', 'websocket'] })));
    const replies = await Promise.all(clients.map(({ socket }, i) =>
        withTimeout(socket.emitWithAck('message-with-ack', i), `ack ${i}`)));
    assert.deepEqual(replies, clients.map((_, i) => i));
    for (const { socket } of clients) socket.disconnect();
});
