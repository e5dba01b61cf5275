// SPDX-License-Identifier: MIT
// Record and replay with the inspector's command line against real socket.io 4.8 servers
// (replay-server.mjs, in this process on port 0): record a scripted client session with
// `--headless --connect URL --record FILE --client-script -` (the headless client connection
// "client 1", stopped by SIGTERM), then
// `--replay FILE --connect URL` against a server whose second order total is one more (exit 1,
// exactly that difference printed) and against the unchanged one (exit 0).
//
//   SOCKETIO_INSPECTOR=<socketio-inspector> node --test record-replay.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { startShop } from './replay-server.mjs';

const inspector = process.env.SOCKETIO_INSPECTOR;
if (!inspector)
    throw new Error('SOCKETIO_INSPECTOR is not set (the path of the socketio-inspector program)');

// A safety net against a hang, not a timing assertion.
const SAFETY_MS = 30000;
const env = { ...process.env, QT_LOGGING_RULES: 'socketio.*.debug=false', QT_QPA_PLATFORM: 'offscreen' };

function run(args) {
    return new Promise((resolve, reject) => {
        const child = spawn(inspector, args, { env });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d) => { stdout += d; });
        child.stderr.on('data', (d) => { stderr += d; });
        const timer = setTimeout(() => {
            child.kill('SIGKILL');
            reject(new Error(`socketio-inspector ${args.join(' ')} hung; stderr: ${stderr}`));
        }, SAFETY_MS);
        child.on('exit', (code) => {
            clearTimeout(timer);
            resolve({ code, stdout, stderr });
        });
    });
}

// Records the shop session: two orders and an upload (each waiting for its ack), then a note.
async function record(url, file) {
    const child = spawn(inspector, ['--headless', '--connect', url, '--record', file, '--client-script', '-'],
        { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    const lines = [];
    const noted = new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no "noted" event; output:\n${lines.join('\n')}\n${stderr}`)),
            SAFETY_MS);
        readline.createInterface({ input: child.stdout }).on('line', (line) => {
            lines.push(line);
            if (/\[client 1\] in .* EVENT noted/.test(line)) {
                clearTimeout(timer);
                resolve();
            }
        });
    });
    const commands = [
        { cmd: 'emit', event: 'order', args: [{ item: 'book', qty: 2, price: 10 }], ack: true },
        { cmd: 'emit', event: 'order', args: [{ item: 'pen', qty: 21, price: 2 }], ack: true },
        { cmd: 'emit', event: 'upload', args: ['a.bin', { $binary: 'AQIDBA==' }], ack: true },
        { cmd: 'emit', event: 'note', args: ['done'] },
    ];
    child.stdin.write(commands.map((c) => JSON.stringify(c) + '\n').join(''));
    await noted;
    child.kill('SIGTERM');
    const { code, signal } = await exited;
    assert.equal(signal, null, `killed by ${signal} instead of quitting on SIGTERM`);
    assert.equal(code, 0, stderr);
    // No own server: only client work was asked for.
    assert.ok(!lines.some((l) => l.startsWith('listening on port')), lines.join('\n'));
    return lines;
}

test('record a scripted session against socket.io 4.8, replay it against a changed server', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sio-replay-'));
    const normal = await startShop();
    const changed = await startShop({ changed: true });
    try {
        const file = path.join(dir, 'shop.jsonl');
        await record(normal.url, file);

        const rows = readFileSync(file, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
        const header = rows.shift();
        assert.equal(header.format, 'socketio-inspector-recording');
        assert.equal(header.version, 1);
        assert.equal(header.url, normal.url);
        assert.deepEqual(header.namespaces, ['/']);
        assert.ok(rows.every((r) => r.seenBy === 'client' && r.source === 'client 1'));
        const emits = rows.filter((r) => r.direction === 'out' && r.event && r.socketIoType.endsWith('EVENT'));
        assert.deepEqual(emits.map((r) => r.event), ['order', 'order', 'upload', 'note']);
        assert.deepEqual(emits[2].attachments, ['AQIDBA==']);
        const binaryAck = rows.find((r) => r.socketIoType === 'BINARY_ACK');
        assert.deepEqual(binaryAck.attachments, ['AQIDBA==']);
        assert.equal(rows.at(-1).event, 'noted'); // the last line is complete

        // "welcome" carries { at: Date.now() }: not a default-ignored key, so it differs...
        const strict = await run(['--replay', file, '--connect', normal.url]);
        assert.equal(strict.code, 1, strict.stderr);
        assert.match(strict.stdout, /^event "welcome" #1 args\[0\]\.at: \d+ → \d+\n$/);

        // ... until ignored. Against the changed server: exactly the changed total.
        const ignore = ['--ignore', 'welcome.args[0].at'];
        const diff = await run(['--replay', file, '--connect', changed.url, ...ignore]);
        assert.equal(diff.code, 1, diff.stderr);
        assert.equal(diff.stdout, 'event "order" #2 args[0].total: 42 → 43\n');
        assert.match(diff.stderr, /1 difference/);

        // The same with recorded timing, and as JSON.
        const json = await run(['--replay', file, '--connect', changed.url, ...ignore, '--replay-timing', 'recorded',
            '--diff-json']);
        assert.equal(json.code, 1, json.stderr);
        const parsed = JSON.parse(json.stdout);
        assert.equal(parsed.equal, false);
        assert.equal(parsed.differences.length, 1);
        assert.deepEqual(
            (({ kind, item, event, index, path: p, recorded, replayed }) => ({ kind, item, event, index, p, recorded, replayed }))(parsed.differences[0]),
            { kind: 'changed', item: 'event', event: 'order', index: 2, p: 'args[0].total', recorded: 42, replayed: 43 });

        // Against the unchanged server: no difference.
        const same = await run(['--replay', file, '--connect', normal.url, ...ignore]);
        assert.equal(same.code, 0, same.stdout + same.stderr);
        assert.equal(same.stdout, '');
        assert.match(same.stderr, /No differences/);

        // Errors: exit 2.
        const gone = await startShop();
        const goneUrl = gone.url;
        await new Promise((resolve) => gone.io.close(() => resolve()));
        const refused = await run(['--replay', file, '--connect', goneUrl]);
        assert.equal(refused.code, 2, refused.stderr);
        assert.match(refused.stderr, /cannot connect/);
        const bad = path.join(dir, 'bad.jsonl');
        writeFileSync(bad, 'not json\n');
        const badFile = await run(['--replay', bad, '--connect', normal.url]);
        assert.equal(badFile.code, 2);
        assert.match(badFile.stderr, /line 1/);
        const badTiming = await run(['--replay', file, '--connect', normal.url, '--replay-timing', 'slow']);
        assert.equal(badTiming.code, 2);
    } finally {
        await new Promise((resolve) => normal.io.close(() => resolve()));
        await new Promise((resolve) => changed.io.close(() => resolve()));
        rmSync(dir, { recursive: true, force: true });
    }
});
