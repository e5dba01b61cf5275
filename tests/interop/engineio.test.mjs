// SPDX-License-Identifier: MIT
// The real npm engine.io-client 6.x against our echo server (socketio-echo-server --engine-io).
// Started by run-with-echo-server.mjs, which passes the server's URL in ECHO_URL. The server
// must run with --ping-interval 300 --ping-timeout 200.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Socket } from 'engine.io-client';

const url = process.env.ECHO_URL;
if (!url) {
    throw new Error('ECHO_URL is not set; run this file through run-with-echo-server.mjs');
}

// Safety net only: every wait below ends on an event long before this.
const SAFETY_MS = 10000;

function withTimeout(promise, what, ms = SAFETY_MS) {
    let timer;
    const timeout = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// Resolves with the arguments of the next `event` on `emitter`; rejects on 'error' and on an
// unexpected 'close'.
function next(socket, event, what = event) {
    return withTimeout(
        new Promise((resolve, reject) => {
            const onEvent = (...args) => {
                cleanup();
                resolve(args);
            };
            const onError = (err) => {
                cleanup();
                reject(new Error(`${what}: socket error: ${err && (err.message || err)}`));
            };
            const onClose = (reason, description) => {
                cleanup();
                reject(new Error(`${what}: socket closed (${reason}) ${description ? JSON.stringify(String(description.message ?? description)) : ''}`));
            };
            const cleanup = () => {
                socket.off(event, onEvent);
                socket.off('error', onError);
                if (event !== 'close')
                    socket.off('close', onClose);
            };
            socket.on(event, onEvent);
            socket.on('error', onError);
            if (event !== 'close')
                socket.on('close', onClose);
        }),
        what,
    );
}

// Every message the client receives, in order, from the moment it is created: nothing is
// lost between two awaits, and a duplicate or stray message shows up as a mismatch.
class Client {
    constructor(transports) {
        this.socket = new Socket(url, { path: '/engine.io/', transports });
        this.messages = [];
        this.waiters = [];
        this.socket.on('message', (data) => {
            this.messages.push(data);
            this.waiters.splice(0).forEach((wake) => wake());
        });
    }

    async nextMessage(what) {
        while (this.messages.length === 0) {
            let onClose;
            await withTimeout(
                new Promise((resolve, reject) => {
                    this.waiters.push(resolve);
                    onClose = (reason) => reject(new Error(`${what}: socket closed (${reason})`));
                    this.socket.once('close', onClose);
                }),
                what,
            ).finally(() => this.socket.off('close', onClose));
        }
        return this.messages.shift();
    }

    async echoText(text) {
        this.socket.send(text);
        const data = await this.nextMessage(`echo of ${JSON.stringify(text.slice(0, 40))}`);
        assert.equal(typeof data, 'string', 'text must come back as text');
        assert.equal(data, text);
    }

    async echoBinary(bytes) {
        this.socket.send(new Uint8Array(bytes));
        const data = await this.nextMessage(`echo of binary [${bytes}]`);
        assert.deepEqual(bytesOf(data), bytes);
    }

    // A last round trip: anything still queued before it (a duplicate, a stray message)
    // fails the test.
    async expectNothingElse() {
        await this.echoText('sentinel');
        assert.deepEqual(this.messages, [], 'no further messages');
    }
}

// Binary messages arrive as a Buffer in Node (binaryType "nodebuffer"); accept any binary
// view but never a string.
function bytesOf(data) {
    assert.notEqual(typeof data, 'string', `expected binary, got text ${JSON.stringify(data)}`);
    if (data instanceof ArrayBuffer)
        return [...new Uint8Array(data)];
    assert.ok(ArrayBuffer.isView(data), `expected binary, got ${Object.prototype.toString.call(data)}`);
    return [...new Uint8Array(data.buffer, data.byteOffset, data.byteLength)];
}

// Closes the client and waits until its underlying WebSocket is closed too: the closing
// handshake (or the TCP close) needs the server's answer, so this shows the server let go.
async function closeAndWaitForWebSocket(socket) {
    const ws = socket.transport && socket.transport.ws;
    assert.ok(ws, 'expected a WebSocket transport');
    const wsClosed = withTimeout(
        new Promise((resolve) => {
            if (ws.readyState === 3 /* CLOSED */)
                resolve();
            else
                ws.addEventListener('close', () => resolve(), { once: true });
        }),
        'the server to close the WebSocket',
    );
    const closed = next(socket, 'close', 'close');
    socket.close();
    const [reason] = await closed;
    assert.equal(reason, 'forced close');
    await wsClosed;
}

test('polling then upgrade to websocket, echoes text and binary', async () => {
    const client = new Client(['polling', 'websocket']);
    const { socket } = client;
    try {
        await next(socket, 'open', 'open');
        assert.equal(socket.transport.name, 'polling', 'starts on polling');
        const [transport] = await next(socket, 'upgrade', 'upgrade');
        assert.equal(transport.name, 'websocket');
        assert.equal(socket.transport.name, 'websocket');
        await client.echoText('hello');
        await client.echoBinary([1, 2, 3, 4]);
        // Both kinds in a row, without waiting in between: order preserved.
        socket.send('after binary');
        socket.send(new Uint8Array([255, 0, 128]));
        assert.equal(await client.nextMessage('text echo'), 'after binary');
        assert.deepEqual(bytesOf(await client.nextMessage('binary echo')), [255, 0, 128]);
        await client.expectNothingElse();
        await closeAndWaitForWebSocket(socket);
    } finally {
        socket.close();
    }
});

// PROTOCOL.md case 17 with the real client's session: a second WebSocket with the sid of the
// upgraded session completes its handshake and is then closed by the server (as engine.io 6
// does, not refused with 400); the client's own WebSocket keeps working.
test('a second websocket with an upgraded sid is accepted, then closed', async () => {
    const client = new Client(['polling', 'websocket']);
    const { socket } = client;
    try {
        await next(socket, 'open', 'open');
        await next(socket, 'upgrade', 'upgrade');
        // The WebSocket class engine.io-client itself uses (the npm "ws" in Node).
        const WebSocketClass = socket.transport.ws.constructor;
        const target = new URL('/engine.io/', url);
        target.protocol = target.protocol === 'https:' ? 'wss:' : 'ws:';
        target.search = `EIO=4&transport=websocket&sid=${encodeURIComponent(socket.id)}`;
        const second = new WebSocketClass(target.href);
        const events = [];
        const closed = withTimeout(
            new Promise((resolve) => {
                second.addEventListener('open', () => events.push('open'));
                second.addEventListener('message', (e) => events.push(`message ${e.data}`));
                second.addEventListener('error', (e) => events.push(`error ${e.message ?? ''}`));
                second.addEventListener('close', (e) => resolve(e.code));
            }),
            'the server to close the second WebSocket',
        );
        const code = await closed;
        assert.deepEqual(events, ['open'], 'handshake completed, no packet, no error (an HTTP 400 is an error)');
        assert.equal(code, 1000);
        await client.echoText('still here');
        await client.expectNothingElse();
    } finally {
        socket.close();
    }
});

test('messages sent during the upgrade are neither lost, duplicated nor reordered', async (t) => {
    const client = new Client(['polling', 'websocket']);
    const { socket } = client;
    try {
        await next(socket, 'open', 'open');
        const upgraded = next(socket, 'upgrade', 'upgrade');
        let done = false;
        upgraded.then(() => { done = true; }, () => {});
        // Keep sending, one message per event-loop turn, until the upgrade is complete and
        // then a few more: some go over polling, some while the client probes, the rest over
        // WebSocket.
        const sentOver = {};
        const expected = [];
        let after = 10;
        while ((!done || after-- > 0) && expected.length < 20000) {
            const i = expected.length;
            const phase = socket.upgrading ? 'polling (upgrading)' : socket.transport.name;
            sentOver[phase] = (sentOver[phase] ?? 0) + 1;
            if (i % 5 === 4) {
                socket.send(new Uint8Array([i % 256, i >> 8]));
                expected.push([i % 256, i >> 8]);
            } else {
                socket.send(`m${i}`);
                expected.push(`m${i}`);
            }
            await new Promise((resolve) => setImmediate(resolve));
        }
        await upgraded;
        t.diagnostic(`sent while on: ${JSON.stringify(sentOver)}`);
        for (const [i, want] of expected.entries()) {
            const data = await client.nextMessage(`echo ${i}`);
            if (typeof want === 'string')
                assert.equal(data, want, `message ${i}`);
            else
                assert.deepEqual(bytesOf(data), want, `message ${i}`);
        }
        assert.equal(socket.transport.name, 'websocket');
        await client.expectNothingElse();
    } finally {
        socket.close();
    }
});

test('polling only: echoes text and binary (base64 in the payload)', async () => {
    const client = new Client(['polling']);
    const { socket } = client;
    try {
        await next(socket, 'open', 'open');
        assert.equal(socket.transport.name, 'polling');
        await client.echoText('hello');
        await client.echoText('unicode: h\u00e9llo \u{1F600}');
        await client.echoBinary([1, 2, 3, 4]);
        await client.echoBinary([0, 255, 30, 31]); // 0x1e, the payload separator, in binary
        // Several in one POST payload.
        socket.send('a');
        socket.send(new Uint8Array([9]));
        socket.send('c');
        assert.equal(await client.nextMessage('a'), 'a');
        assert.deepEqual(bytesOf(await client.nextMessage('[9]')), [9]);
        assert.equal(await client.nextMessage('c'), 'c');
        await client.expectNothingElse();
        assert.equal(socket.transport.name, 'polling', 'never upgraded');
        const closed = next(socket, 'close', 'close');
        socket.close();
        const [reason] = await closed;
        assert.equal(reason, 'forced close');
    } finally {
        socket.close();
    }
});

test('websocket only: echoes text and binary', async () => {
    const client = new Client(['websocket']);
    const { socket } = client;
    try {
        await next(socket, 'open', 'open');
        assert.equal(socket.transport.name, 'websocket');
        await client.echoText('hello');
        await client.echoBinary([1, 2, 3, 4]);
        await client.echoText('x'.repeat(100000));
        await client.expectNothingElse();
        await closeAndWaitForWebSocket(socket);
    } finally {
        socket.close();
    }
});

for (const transports of [['polling'], ['websocket']]) {
    test(`heartbeat (${transports[0]}): the session survives several pings`, async () => {
        const client = new Client(transports);
        const { socket } = client;
        try {
            await next(socket, 'open', 'open');
            // Handshake values of the echo server as started by the driver.
            assert.equal(socket._pingInterval, 300);
            assert.equal(socket._pingTimeout, 200);
            for (let i = 1; i <= 3; ++i)
                await next(socket, 'ping', `ping ${i}`);
            assert.equal(socket.readyState, 'open');
            await client.echoText('still here');
            await client.expectNothingElse();
        } finally {
            socket.close();
        }
    });
}
