// SPDX-License-Identifier: MIT
// The chat example (examples/chat, socketio-chat) with the real npm socket.io-client 4.8: the
// page and the browser client over HTTP on the Socket.IO port, the class-based handler's
// on_hello (ack and hello_ack), the lobby broadcast and `left` on disconnect. Started by
// run-with-echo-server.mjs, which passes the URL in ECHO_URL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { io } from 'socket.io-client';
import { url, withTimeout, once } from './helpers.mjs';

test('the page and the browser client are served on the Socket.IO port', async () => {
    const page = await fetch(`${url}/`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type'), /^text\/html/);
    assert.match(await page.text(), /<script src="\/socket\.io\.min\.js"><\/script>/);
    const client = await fetch(`${url}/socket.io.min.js`);
    assert.equal(client.status, 200);
    assert.match(client.headers.get('content-type'), /javascript/);
    assert.match(await client.text(), /Socket\.IO v4\.8/);
    assert.equal((await fetch(`${url}/../../etc/passwd`)).status, 404);
});

for (const transports of [['polling', 'websocket'], ['websocket']]) {
    test(`hello, chat and left over ${transports.join('+')}`, async () => {
        const ann = io(`${url}/chat`, { forceNew: true, reconnection: false, transports });
        const bob = io(`${url}/chat`, { forceNew: true, reconnection: false, transports });
        try {
            await Promise.all([once(ann, 'connect'), once(bob, 'connect')]);
            // on_hello: an event back, the others told, the return value as the ack
            const welcome = once(ann, 'hello_ack');
            const joined = once(bob, 'joined');
            assert.equal(await withTimeout(ann.emitWithAck('hello', 'Ann'), 'hello ack'), 'hello Ann');
            assert.deepEqual(await welcome, ['Welcome, Ann!']);
            assert.deepEqual(await joined, ['Ann']);
            // on_chat: everyone in the lobby, the sender included
            const toAnn = once(ann, 'chat');
            const toBob = once(bob, 'chat');
            ann.emit('chat', 'hi all');
            assert.deepEqual(await toAnn, ['Ann', 'hi all']);
            assert.deepEqual(await toBob, ['Ann', 'hi all']);
            // on_disconnect: the others hear who left and why
            const left = once(bob, 'left');
            ann.disconnect();
            assert.deepEqual(await left, ['Ann', 'client namespace disconnect']);
        } finally {
            ann.close();
            bob.close();
        }
    });
}
