// SPDX-License-Identifier: MIT
// socketio-inspector --headless --attach URL (docs/attach.md) against servers it did not start:
// node's socket.io 4.8 instrumented by the npm @socket.io/admin-ui 0.5 and our echo server
// (--admin-raw-packets: the wire frames), with a real socket.io-client; a wrong password.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import test from 'node:test';
import { HASH, PASSWORD, connectClient, startServer, waiter } from './helpers.mjs';

// The inspector, headless, attached to urls; its lines in order, and waiting for them.
function startInspector(urls, { env = {}, args = [] } = {}) {
    const all = ['--headless', ...urls.flatMap((url) => ['--attach', url]), ...args];
    const child = spawn(process.env.INSPECTOR, all, {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, SOCKETIO_ADMIN_PASSWORD: '', ...env },
    });
    let out = '';
    let err = '';
    const wait = waiter();
    child.stdout.on('data', (chunk) => {
        out += chunk;
        wait.check();
    });
    child.stderr.on('data', (chunk) => {
        err += chunk;
        wait.check();
    });
    const exited = new Promise((resolve) => child.on('exit', (code) => {
        wait.check();
        resolve(code);
    }));
    const lines = () => out.split('\n').filter((l) => l.length > 0);
    return {
        lines, stdout: () => out, stderr: () => err, exited,
        untilLine: (pattern) => wait.until(() => lines().some((l) => pattern.test(l)), `a line matching ${pattern}`)
            .catch((error) => {
                console.error(`inspector stdout:\n${out}\nstderr:\n${err}`);
                throw error;
            }),
        async stop() {
            child.kill('SIGTERM');
            await exited;
        },
    };
}

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

test('node socket.io 4.8 + @socket.io/admin-ui: sockets, events with their arguments, joins', async () => {
    const server = await startServer('node', ['--admin-auth', `admin:${HASH}`]);
    const inspector = startInspector([server.url], { env: { SOCKETIO_ADMIN_PASSWORD: PASSWORD },
                                                     args: ['--admin-user', 'admin'] });
    try {
        const source = `\\[attach: 127\\.0\\.0\\.1:${server.port}\\]`;
        await inspector.untilLine(new RegExp(`${source} --- attached to ${escape(server.url)} \\(EMIT JOIN`));
        const client = await connectClient(server, '/', { transports: ['websocket'] });
        const id = escape(client.id);
        client.emit('message', 'hello', { a: 1 });
        client.emit('join', 'red');
        await inspector.untilLine(new RegExp(`${source} --- /\\s+${id} connected \\(websocket\\)$`));
        await inspector.untilLine(new RegExp(`${source} in  /\\s+${id} EVENT message  "hello", \\{"a":1\\}$`));
        await inspector.untilLine(new RegExp(`${source} out /\\s+${id} EVENT message-back  "hello", \\{"a":1\\}$`));
        await inspector.untilLine(new RegExp(`${source} --- /\\s+${id} joined room red$`));
        client.close();
        await inspector.untilLine(new RegExp(`${source} --- /\\s+${id} disconnected \\(client namespace disconnect\\)$`));
        // Only attached: the inspector's own server did not start.
        assert.ok(!/listening on port/.test(inspector.stdout()));
    } finally {
        await inspector.stop();
        await server.stop();
    }
});

test('our echo server with --admin-raw-packets: the wire frames of its clients', async () => {
    const server = await startServer('qt', ['--admin-raw-packets']);
    const inspector = startInspector([`${server.url}/admin`]);
    try {
        const source = `\\[attach: 127\\.0\\.0\\.1:${server.port}\\]`;
        await inspector.untilLine(new RegExp(`${source} --- attached to .* \\(raw packets\\)$`));
        const client = await connectClient(server, '/', { transports: ['websocket'] });
        const id = escape(client.id);
        const sid = escape(client.io.engine.id);
        client.emit('message', 'hello', { a: 1 });
        // Engine.IO and Socket.IO packets as the wire had them, seen from the server.
        await inspector.untilLine(new RegExp(`${source} out -\\s+sid:${sid} open  \\{"sid":"${sid}"`));
        await inspector.untilLine(new RegExp(`${source} in  /\\s+${id} CONNECT$`));
        await inspector.untilLine(new RegExp(`${source} out /\\s+${id} CONNECT  \\{"sid":"${id}"\\}$`));
        await inspector.untilLine(new RegExp(`${source} in  /\\s+${id} EVENT message  "hello", \\{"a":1\\}$`));
        await inspector.untilLine(new RegExp(`${source} out /\\s+${id} EVENT message-back  "hello", \\{"a":1\\}$`));
        client.close();
        await inspector.untilLine(new RegExp(`${source} in  /\\s+${id} DISCONNECT$`));
        // The raw stream replaces event_received / event_sent: each event once.
        const hello = inspector.lines().filter((l) => / in  \/\s+\S+ EVENT message  "hello"/.test(l));
        assert.equal(hello.length, 1, inspector.stdout());
        // The admin's own packets are not in the stream.
        assert.ok(!inspector.lines().some((l) => /(in |out) \/admin /.test(l)), inspector.stdout());
    } finally {
        await inspector.stop();
        await server.stop();
    }
});

for (const kind of ['node', 'qt']) {
    test(`${kind}: a wrong password ends the inspector with "invalid credentials" and a non-zero exit code`, async () => {
        const server = await startServer(kind, ['--admin-auth', `admin:${HASH}`]);
        const inspector = startInspector([server.url], { env: { SOCKETIO_ADMIN_PASSWORD: 'wrong' },
                                                         args: ['--admin-user', 'admin'] });
        try {
            const code = await inspector.exited;
            assert.notEqual(code, 0);
            assert.match(inspector.stderr(), new RegExp(`attach: 127\\.0\\.0\\.1:${server.port}: invalid credentials`));
            assert.ok(!/--- attached/.test(inspector.stdout()));
        } finally {
            await inspector.stop();
            await server.stop();
        }
    });
}

test('two servers side by side: node and ours, each line with its source', async () => {
    const node = await startServer('node');
    const ours = await startServer('qt', ['--admin']);
    const inspector = startInspector([node.url, ours.url]);
    try {
        for (const server of [node, ours])
            await inspector.untilLine(new RegExp(`\\[attach: 127\\.0\\.0\\.1:${server.port}\\] --- attached`));
        const a = await connectClient(node, '/', { transports: ['websocket'] });
        const b = await connectClient(ours, '/', { transports: ['websocket'] });
        a.emit('message', 'to node');
        b.emit('message', 'to ours');
        await inspector.untilLine(new RegExp(`\\[attach: 127\\.0\\.0\\.1:${node.port}\\] in  /\\s+${escape(a.id)} EVENT message  "to node"$`));
        await inspector.untilLine(new RegExp(`\\[attach: 127\\.0\\.0\\.1:${ours.port}\\] in  /\\s+${escape(b.id)} EVENT message  "to ours"$`));
        a.close();
        b.close();
    } finally {
        await inspector.stop();
        await node.stop();
        await ours.stop();
    }
});
