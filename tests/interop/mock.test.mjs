// SPDX-License-Identifier: MIT
// Mock responders (docs/mock-responders.md) with the real npm socket.io-client 4.8 against
// `socketio-inspector --headless --port 0 --mock rules.json`: acks with templated values, emits
// to the sender / everyone / everyone but the sender, delayed actions (checked by order, never by
// time), the headless note line per fired rule, and examples/mock/rules.json as the chat
// example's stand-in backend. SOCKETIO_INSPECTOR is the inspector binary (set by CTest).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { io } from 'socket.io-client';

const here = path.dirname(fileURLToPath(import.meta.url));
const inspector = process.env.SOCKETIO_INSPECTOR;
if (!inspector)
    throw new Error('SOCKETIO_INSPECTOR is not set (the socketio-inspector binary)');
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

// One inspector process: its URL, its stdout lines, and a promise for the first line matching.
async function startInspector(args) {
    const child = spawn(inspector, ['--headless', '--port', '0', ...args],
                        { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, QT_QPA_PLATFORM: 'offscreen' } });
    const run = { child, lines: [], waiters: [], stderr: '' };
    let buffer = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
        buffer += chunk;
        let newline;
        while ((newline = buffer.indexOf('\n')) >= 0) {
            const line = buffer.slice(0, newline);
            buffer = buffer.slice(newline + 1);
            run.lines.push(line);
            for (const waiter of [...run.waiters]) {
                if (waiter.re.test(line)) {
                    run.waiters.splice(run.waiters.indexOf(waiter), 1);
                    waiter.resolve(line);
                }
            }
        }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => { run.stderr += chunk; });
    run.waitLine = (re) => {
        const seen = run.lines.find((line) => re.test(line));
        if (seen)
            return Promise.resolve(seen);
        return withTimeout(new Promise((resolve) => run.waiters.push({ re, resolve })), `a line matching ${re}`);
    };
    const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
    const listening = await Promise.race([
        run.waitLine(/^listening on port \d+$/),
        exited.then((code) => { throw new Error(`the inspector exited with ${code}: ${run.stderr}`); }),
    ]);
    run.url = `http://127.0.0.1:${listening.match(/\d+/)[0]}`;
    run.stop = async () => {
        child.kill('SIGTERM');
        await exited;
    };
    return run;
}

const rules = {
    version: 1,
    rules: [
        {
            name: 'login',
            event: 'login',
            args: [{ user: { $regex: '^[a-z]+$' }, password: '*' }],
            actions: [{ ack: { ok: true, user: '{{args[0].user}}', token: 'mock-{{socket.id}}', at: '{{now}}',
                               tags: '{{args[0].tags}}' } }],
        },
        { name: 'login refused', event: 'login', actions: [{ ack: [false, 'bad credentials'] }] },
        { name: 'shout', event: 'shout', actions: [{ emit: 'shouted', args: ['{{socket.id}}', '{{args[0]}}'], to: 'all' }] },
        { name: 'whisper', event: 'whisper',
          actions: [{ emit: 'whispered', args: ['{{args[0]}}'], to: 'all', exceptSender: true }] },
        { name: 'slow', event: 'slow', delay: 300, actions: [{ emit: 'late', args: ['{{args[0]}}'] }] },
        { name: 'fast', event: 'fast', actions: [{ emit: 'early', args: ['{{args[0]}}'] }, { ack: 'done' }] },
        { name: 'sync', event: 'sync', actions: [{ ack: [] }] },
    ],
};

let dir;
let server;
before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'mock-test-'));
    const file = path.join(dir, 'rules.json');
    writeFileSync(file, JSON.stringify(rules, null, 2));
    server = await startInspector(['--mock', file]);
});
after(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
});

function client(nsp = '/', options = {}) {
    return io(server.url + (nsp === '/' ? '' : nsp), { forceNew: true, reconnection: false, ...options });
}

test('an ack with templated values, typed as the referenced values', async () => {
    const socket = client();
    try {
        await once(socket, 'connect');
        const reply = await withTimeout(socket.emitWithAck('login', { user: 'ann', password: 'x', tags: ['a', 1] }),
                                        'the login ack');
        assert.equal(reply.ok, true);
        assert.equal(reply.user, 'ann');
        assert.equal(reply.token, `mock-${socket.id}`);
        assert.equal(typeof reply.at, 'number'); // a whole-string template keeps the JSON type
        assert.deepEqual(reply.tags, ['a', 1]);
        // The pattern does not match (no password): the next rule answers, with two arguments.
        const refused = await withTimeout(new Promise((resolve) => socket.emit('login', { user: 'ann' },
                                                                                  (...args) => resolve(args))),
                                          'the refusal');
        assert.deepEqual(refused, [false, 'bad credentials']);
        // The note lines of the headless output, one per fired rule.
        const line = await server.waitLine(/mock: rule ‘login’ → ack /);
        assert.match(line, new RegExp(`"token":"mock-${socket.id}"`));
        await server.waitLine(/mock: rule ‘login refused’ → ack false, "bad credentials"/);
    } finally {
        socket.close();
    }
});

test('an emit to everyone reaches a second client; exceptSender skips the sender', async () => {
    const ann = client();
    const bob = client();
    try {
        await Promise.all([once(ann, 'connect'), once(bob, 'connect')]);
        const toAnn = once(ann, 'shouted');
        const toBob = once(bob, 'shouted');
        ann.emit('shout', 'hello');
        assert.deepEqual(await toAnn, [ann.id, 'hello']);
        assert.deepEqual(await toBob, [ann.id, 'hello']);

        const whispered = [];
        ann.on('whispered', (...args) => whispered.push(args));
        const toBob2 = once(bob, 'whispered');
        ann.emit('whisper', 'psst');
        assert.deepEqual(await toBob2, ['psst']);
        // Ann's next ack comes after anything the server sent her for the whisper.
        await withTimeout(ann.emitWithAck('sync'), 'the sync ack');
        assert.deepEqual(whispered, []);
        await server.waitLine(/mock: rule ‘whisper’ → emit whispered "psst" → all except sender/);
    } finally {
        ann.close();
        bob.close();
    }
});

test('a delayed action comes after the ones without delay', async () => {
    const socket = client('/', { transports: ['websocket'] });
    try {
        await once(socket, 'connect');
        const order = [];
        socket.on('late', (value) => order.push(`late ${value}`));
        socket.on('early', (value) => order.push(`early ${value}`));
        const late = once(socket, 'late');
        socket.emit('slow', 1); // asked first, answered last
        const ack = await withTimeout(socket.emitWithAck('fast', 2), 'the fast ack');
        order.push(`ack ${ack}`);
        await late;
        assert.deepEqual(order, ['early 2', 'ack done', 'late 1']);
        await server.waitLine(/mock: rule ‘slow’ → emit late 1 → sender after 300 ms/);
    } finally {
        socket.close();
    }
});

test('examples/mock/rules.json stands in for the chat example backend', async () => {
    const chat = await startInspector(['--mock', path.join(here, '../../examples/mock/rules.json')]);
    const ann = io(`${chat.url}/chat`, { forceNew: true, reconnection: false });
    const bob = io(`${chat.url}/chat`, { forceNew: true, reconnection: false });
    try {
        await Promise.all([once(ann, 'connect'), once(bob, 'connect')]);
        await Promise.all([chat.waitLine(/mock: rule ‘chat: join the lobby’ → join lobby/)]);
        const welcome = once(ann, 'hello_ack');
        const joined = once(bob, 'joined');
        assert.equal(await withTimeout(ann.emitWithAck('hello', 'Ann'), 'hello ack'), 'hello Ann');
        assert.deepEqual(await welcome, ['Welcome, Ann!']);
        assert.deepEqual(await joined, ['Ann']);
        const toAnn = once(ann, 'chat');
        const toBob = once(bob, 'chat');
        ann.emit('chat', 'hi all');
        assert.deepEqual(await toAnn, ['Ann', 'hi all']);
        assert.deepEqual(await toBob, ['Ann', 'hi all']);
        // The bot: the message itself first (continue), its delayed answer after.
        const messages = [];
        bob.on('chat', (...args) => messages.push(args));
        const pong = new Promise((resolve) => bob.on('chat', (name) => { if (name === 'bot') resolve(); }));
        ann.emit('chat', '!ping');
        await withTimeout(pong, 'the bot');
        assert.deepEqual(messages[0], ['Ann', '!ping']);
        assert.equal(messages[1][0], 'bot');
        assert.match(messages[1][1], /^pong \(Ann asked at \d{4}-/);
        const left = once(bob, 'left');
        ann.disconnect();
        assert.deepEqual(await left, ['Ann', 'client namespace disconnect']);
    } finally {
        ann.close();
        bob.close();
        await chat.stop();
    }
});

test('the note lines follow --event and --namespace as the packets do', async () => {
    const filtered = await startInspector(['--mock', path.join(dir, 'rules.json'), '--event', 'login']);
    const socket = io(filtered.url, { forceNew: true, reconnection: false });
    try {
        await once(socket, 'connect');
        const shouted = once(socket, 'shouted');
        socket.emit('shout', 'unseen');
        await shouted;
        await withTimeout(socket.emitWithAck('login', { user: 'bob', password: 'p' }), 'the login ack');
        await filtered.waitLine(/mock: rule ‘login’ → ack /);
        // The shout came first: its note would be printed by now.
        assert.equal(filtered.lines.filter((line) => line.includes('mock: rule ‘shout’')).length, 0);
        assert.equal(filtered.lines.filter((line) => line.includes('EVENT shout')).length, 0);
    } finally {
        socket.close();
        await filtered.stop();
    }
});

test('a bad rules file is refused with where and what', async () => {
    const file = path.join(dir, 'bad.json');
    writeFileSync(file, '{"version": 1,\n "rules": [\n  {"event": "x", "actions": [{"emit": "y", "to": "room"}]}\n]}');
    const child = spawn(inspector, ['--headless', '--port', '0', '--mock', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    const code = await withTimeout(new Promise((resolve) => child.on('exit', resolve)), 'the exit');
    assert.equal(code, 2);
    assert.match(stderr, /bad\.json: rule 1: actions\[0\]: an emit to a room needs "room"/);
});
