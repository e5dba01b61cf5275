// SPDX-License-Identifier: MIT
// What the Admin UI instrumentation costs per event: the server's CPU time (utime + stime from
// /proc) for the same stream of client events, with and without an admin attached.
//   node bench/admin/admin-overhead.mjs build/examples/echo-server/socketio-echo-server [events]
// Runs (each a fresh server): plain (no --admin); --admin with nobody attached; --admin with an
// admin attached in development mode (every event streamed with its arguments); and in
// production mode (aggregated counts only). Uses the npm packages of tests/admin (npm ci there).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '../../tests/admin/package.json'));
const { io } = require('socket.io-client');

const binary = process.argv[2];
const events = Number(process.argv[3] || 100000);
const CLIENTS = 4;
const BATCH = 500; // events between acked round trips (keeps the clients at the server's pace)
const ticksPerSecond = 100; // USER_HZ on Linux

function cpuMs(pid) {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
}

async function start(args) {
    const child = spawn(binary, ['--port', '0', ...args], { stdio: ['ignore', 'pipe', 'ignore'],
        env: { ...process.env, QT_LOGGING_RULES: 'socketio.*=false' } });
    const port = await new Promise((resolve) => {
        child.stdout.on('data', (d) => {
            const m = /listening on port (\d+)/.exec(d.toString());
            if (m)
                resolve(Number(m[1]));
        });
    });
    return { child, url: `http://127.0.0.1:${port}` };
}

async function run(label, args, attach) {
    const server = await start(args);
    let admin;
    let adminEvents = 0;
    if (attach) {
        admin = io(`${server.url}/admin`, { transports: ['websocket'], forceNew: true });
        admin.onAny(() => ++adminEvents);
        await new Promise((resolve) => admin.once('config', resolve));
    }
    const clients = await Promise.all(Array.from({ length: CLIENTS }, async () => {
        const c = io(server.url, { transports: ['websocket'], forceNew: true });
        await new Promise((resolve) => c.once('auth', resolve));
        return c;
    }));
    const payload = { user: 'ada', text: 'hello world', n: 42, tags: ['a', 'b'] };
    const before = cpuMs(server.child.pid);
    const started = process.hrtime.bigint();
    const perClient = events / CLIENTS;
    await Promise.all(clients.map(async (c) => {
        for (let i = 0; i < perClient; ++i) {
            c.emit('event', payload, i);
            if (i % BATCH === BATCH - 1)
                await c.emitWithAck('message-with-ack', i);
        }
        await c.emitWithAck('message-with-ack', 'done');
    }));
    const cpu = cpuMs(server.child.pid) - before;
    const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
    console.log(`${label.padEnd(36)} ${(cpu * 1000 / events).toFixed(2).padStart(6)} us CPU/event` +
                `  (${cpu.toFixed(0)} ms CPU, ${wallMs.toFixed(0)} ms wall, ${events} events` +
                (attach ? `, admin received ${adminEvents}` : '') + ')');
    for (const c of clients)
        c.close();
    admin?.close();
    server.child.kill('SIGTERM');
    await new Promise((resolve) => server.child.on('exit', resolve));
    return cpu / events;
}

console.log(`${CLIENTS} clients, ${events} events of 2 arguments, server CPU time from /proc`);
const plain = await run('no instrumentation', [], false);
const idle = await run('--admin, no admin attached', ['--admin'], false);
const dev = await run('--admin, admin attached (development)', ['--admin'], true);
const prod = await run('--admin, admin attached (production)', ['--admin', '--admin-mode', 'production'], true);
const us = (x) => `${(x * 1000).toFixed(2)} us`;
console.log(`overhead per event: no admin ${us(idle - plain)}, development ${us(dev - plain)}, production ${us(prod - plain)}`);
process.exit(0);
