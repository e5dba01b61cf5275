// SPDX-License-Identifier: MIT
// socketio-inspector as a client (--headless --connect URL, commands on stdin) against real
// servers: npm socket.io 4.8, socket.io 2.x (--eio3) and Debian's python3-socketio 5.7 (aiohttp).
// Each server runs in a process of its own (node-server.mjs, python-server.py) on port 0, so
// that a test can kill it and start it again on the same port.
//
//   SOCKETIO_INSPECTOR=<socketio-inspector> node --test inspector-client.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import https from 'node:https';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import readline from 'node:readline';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const inspector = process.env.SOCKETIO_INSPECTOR;
if (!inspector)
    throw new Error('SOCKETIO_INSPECTOR is not set (the path of the socketio-inspector program)');
const SAFETY_MS = 20000; // a safety net against a hang, not a timing assertion

// Reads a child's stdout lines; next(regex) resolves with the first unseen line that matches.
class Lines {
    constructor(child, what) {
        this.child = child;
        this.what = what;
        this.lines = [];
        this.waiters = [];
        this.stderr = '';
        child.stderr.on('data', (d) => { this.stderr += d; });
        this.exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
        readline.createInterface({ input: child.stdout }).on('line', (line) => {
            this.lines.push({ line, taken: false });
            this.waiters = this.waiters.filter((w) => !w.check());
        });
    }
    next(regex) {
        return new Promise((resolve, reject) => {
            const waiter = {
                check: () => {
                    const entry = this.lines.find((l) => !l.taken && regex.test(l.line));
                    if (!entry)
                        return false;
                    entry.taken = true;
                    clearTimeout(waiter.timer);
                    resolve(entry.line);
                    return true;
                },
            };
            waiter.timer = setTimeout(() => {
                this.waiters = this.waiters.filter((w) => w !== waiter);
                reject(new Error(`${this.what}: timed out waiting for ${regex}; output:\n`
                    + this.lines.map((l) => l.line).join('\n') + '\nstderr:\n' + this.stderr));
            }, SAFETY_MS);
            if (!waiter.check())
                this.waiters.push(waiter);
        });
    }
    all() {
        return this.lines.map((l) => l.line);
    }
}

async function startServer(kind, port = 0) {
    const child = kind === 'python'
        ? spawn('/usr/bin/python3', [path.join(here, 'python-server.py'), String(port)], { stdio: ['ignore', 'pipe', 'pipe'] })
        : spawn(process.execPath, [path.join(here, 'node-server.mjs'), kind === 'v2' ? '2' : '4', String(port)],
            { stdio: ['ignore', 'pipe', 'pipe'] });
    const lines = new Lines(child, `${kind} server`);
    const line = await lines.next(/^port \d+$/);
    return { child, lines, port: Number(line.split(' ')[1]) };
}

async function stopServer(server) {
    server.child.kill('SIGKILL');
    await server.lines.exited;
}

function startInspector(args) {
    const child = spawn(inspector, ['--headless', ...args], {
        stdio: ['pipe', 'pipe', 'pipe'],
        env: { ...process.env, QT_LOGGING_RULES: 'socketio.*.debug=false;socketio.*.info=false' },
    });
    const lines = new Lines(child, 'socketio-inspector');
    return {
        child, lines,
        send: (line) => child.stdin.write(line + '\n'),
        next: (regex) => lines.next(regex),
    };
}

const kinds = [
    { kind: 'socket.io 4.8', server: 'v4', args: [] },
    { kind: 'socket.io 2.x', server: 'v2', args: ['--eio3'] },
    { kind: 'python-socketio 5.7', server: 'python', args: [] },
];

for (const { kind, server: serverKind, args } of kinds) {
    test(`${kind}: connect, events with arguments, acks both ways, reconnection after a restart`, async () => {
        let server = await startServer(serverKind);
        const url = `http://127.0.0.1:${server.port}`;
        const client = startInspector(['--connect', `${url}/`, '--connect', `${url}/chat`,
            '--auth', '{"token":"t1"}', ...args]);
        try {
            // State notes and the welcome event the server emits on connect, with its arguments.
            const connected = await client.next(/\[client 1\] --- connected \(sid \S+, polling\)/);
            assert.ok(connected);
            await client.next(/\[client 1\] --- \/ connected as \S+/);
            await client.next(/\[client 1\] --- \/chat connected as \S+/);
            const token = serverKind === 'v2' ? 'null' : '"t1"'; // socket.io 2.x has no auth payload
            const welcome = await client.next(/\[client 1\] in  \/ +\S+ EVENT welcome /);
            assert.ok(welcome.endsWith(`"/", 42, {"k":"v"}, ${token}`), welcome);
            const chat = await client.next(/\[client 1\] in  \/chat +\S+ EVENT welcome /);
            assert.ok(chat.endsWith(`"/chat", 42, {"k":"v"}, ${token}`), chat);
            // The own server is not started for a client-only run.
            assert.ok(!client.lines.all().some((l) => l.startsWith('listening on port')));

            // The client emits with an ack: the reply is printed.
            client.send('emit-ack echo {"a":[1,2]} "two words" 3');
            const ack = await client.next(/\[client 1\] --- ack echo \(\d+ ms\): /);
            assert.ok(ack.endsWith('["echoed",{"a":[1,2]},"two words",3]'), ack);
            await client.next(/\[client 1\] in  \/ +\S+ ACK \d+ echo/);

            // The server emits with an ack: the client answers, with the fixed reply once set.
            client.send('emit ask 5');
            await client.next(/\[client 1\] in  \/ +\S+ EVENT question \[ack \d+\]  5$/);
            await client.next(/\[client 1\] out \/ +\S+ ACK \d+ question/);
            const empty = await client.next(/\[client 1\] in  \/ +\S+ EVENT answered/);
            assert.ok(/EVENT answered$/.test(empty), empty); // an empty ack: no arguments
            client.send('ack-reply question "yes" {"n":2}');
            client.send('emit /chat ask 6');
            await client.next(/\[client 1\] in  \/chat +\S+ EVENT question \[ack \d+\]  6$/);
            const answered = await client.next(/\[client 1\] in  \/chat +\S+ EVENT answered/);
            assert.ok(answered.endsWith('"yes", {"n":2}'), answered);

            // Reconnection: the server is killed and started again on the same port.
            const port = server.port;
            await stopServer(server);
            await client.next(/\[client 1\] --- disconnected \(transport (close|error)\)/);
            await client.next(/\[client 1\] --- reconnecting \(attempt 1\)/);
            server = await startServer(serverKind, port);
            assert.equal(server.port, port);
            await client.next(/\[client 1\] --- connected \(sid \S+, polling\)/);
            await client.next(/\[client 1\] --- reconnected after \d+ attempt/);
            const again = await client.next(/\[client 1\] in  \/ +\S+ EVENT welcome /);
            assert.ok(again.endsWith(`"/", 42, {"k":"v"}, ${token}`), again);
            await client.next(/\[client 1\] in  \/chat +\S+ EVENT welcome /);
            // Still scriptable after the reconnection.
            client.send('emit-ack /chat echo after');
            const after = await client.next(/\[client 1\] --- ack echo \(\d+ ms\): /);
            assert.ok(after.endsWith('["echoed","after"]'), after);

            client.send('quit');
            assert.equal(await client.lines.exited, 0);
        } finally {
            client.child.kill('SIGKILL');
            await stopServer(server);
        }
    });
}

test('socket.io 4.8: --transports websocket, --header, query in the URL, --event filter', async () => {
    const server = await startServer('v4');
    const client = startInspector(['--connect', `http://127.0.0.1:${server.port}/chat?token=q1`,
        '--transports', 'websocket', '--header', 'X-Test: 1', '--event', 'welcome,answered']);
    try {
        await client.next(/\[client 1\] --- connected \(sid \S+, websocket\)/);
        const welcome = await client.next(/\[client 1\] in  \/chat +\S+ EVENT welcome /);
        assert.ok(welcome.endsWith('"/chat", 42, {"k":"v"}, "q1"'), welcome); // the query reached it
        client.send('emit-ack header x-test');
        const header = await client.next(/--- ack header \(\d+ ms\): /);
        assert.ok(header.endsWith('["1"]'), header);
        client.send('emit ask 1');
        await client.next(/EVENT answered/);
        // The event filter left out the CONNECT packets, the ask and the question.
        assert.ok(!client.lines.all().some((l) => / CONNECT | EVENT ask| EVENT question/.test(l)), client.lines.all().join('\n'));
        client.send('quit');
        assert.equal(await client.lines.exited, 0);
    } finally {
        client.child.kill('SIGKILL');
        await stopServer(server);
    }
});

test('a server that never answers: exit 1 once reconnection is exhausted', async () => {
    // A port that was free a moment ago: nobody listens there.
    const server = await startServer('v4');
    const port = server.port;
    await stopServer(server);
    const client = startInspector(['--connect', `http://127.0.0.1:${port}`, '--reconnection-attempts', '2']);
    await client.next(/\[client 1\] --- connect_error: /);
    await client.next(/\[client 1\] --- reconnecting \(attempt 2\)/);
    await client.next(/\[client 1\] --- reconnection failed: giving up after 2 attempt/);
    assert.equal(await client.lines.exited, 1);
});

test('bad command lines and bad commands', async () => {
    const bad = startInspector(['--connect', 'http://127.0.0.1:1', '--transports', 'carrier-pigeon']);
    assert.equal(await bad.lines.exited, 2);
    assert.match(bad.lines.stderr, /invalid transports/);
    const server = await startServer('v4');
    const client = startInspector(['--connect', `http://127.0.0.1:${server.port}`]);
    try {
        await client.next(/--- \/ connected as/);
        client.send('emit');
        await client.next(/--- error: usage: emit/);
        client.send('emit x {"open": 1');
        await client.next(/--- error: unbalanced JSON/);
        client.send('frobnicate');
        await client.next(/--- error: unknown command frobnicate/);
        client.send('emit /nowhere x');
        await client.next(/--- error: no client connection has \/nowhere/);
        client.send('emit-ack disconnect');
        await client.next(/--- error: cannot emit disconnect/);
        client.send('quit');
        assert.equal(await client.lines.exited, 0);
    } finally {
        client.child.kill('SIGKILL');
        await stopServer(server);
    }
});

test('socket.io 4.8 over TLS: https and wss with --ca; without it a connect error and exit 1', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'inspector-client-tls-'));
    const keyFile = path.join(dir, 'key.pem');
    const certFile = path.join(dir, 'cert.pem');
    const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile,
        '-out', certFile, '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1']);
    assert.equal(made.status, 0, String(made.stderr));
    const { Server } = createRequire(new URL('../interop/package.json', import.meta.url))('socket.io');
    const httpsServer = https.createServer({ key: readFileSync(keyFile), cert: readFileSync(certFile) });
    const io = new Server(httpsServer);
    io.on('connection', (socket) => socket.emit('welcome', 'tls', socket.conn.transport.name));
    await new Promise((resolve) => httpsServer.listen(0, '127.0.0.1', resolve));
    const url = `https://127.0.0.1:${httpsServer.address().port}`;
    try {
        const client = startInspector(['--connect', url, '--ca', certFile]);
        try {
            await client.next(/\[client 1\] --- connected \(sid \S+, polling\)/);
            const welcome = await client.next(/\[client 1\] in  \/ +\S+ EVENT welcome /);
            assert.ok(welcome.endsWith('"tls", "polling"'), welcome);
            await client.next(/\[client 1\] --- upgraded to websocket/); // wss with the same CA
            client.send('quit');
            assert.equal(await client.lines.exited, 0);
        } finally {
            client.child.kill('SIGKILL');
        }
        const untrusted = startInspector(['--connect', url, '--reconnection-attempts', '0']);
        const error = await untrusted.next(/\[client 1\] --- connect_error: /);
        assert.match(error, /SSL|certificate|TLS/i);
        assert.equal(await untrusted.lines.exited, 1);
    } finally {
        io.close();
        rmSync(dir, { recursive: true, force: true });
    }
});
