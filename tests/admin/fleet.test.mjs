// SPDX-License-Identifier: MIT
// Two instrumented echo servers sharing a redis-server (--redis): an admin on the first sees the
// stats of both, all_sockets lists the second's sockets, and its commands reach them.
//   REDIS_SERVER=/usr/bin/redis-server ECHO_SERVER=... node --test fleet.test.mjs
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'node:test';
import { connectAdmin, connectClient, startServer } from './helpers.mjs';

async function startRedis() {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'socketio-admin-redis-'));
    const socket = path.join(dir, 'redis.sock');
    const child = spawn(process.env.REDIS_SERVER || 'redis-server',
                        ['--port', '0', '--unixsocket', socket, '--save', '', '--appendonly', 'no'],
                        { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise((resolve, reject) => {
        let out = '';
        child.on('exit', (code) => reject(new Error(`redis-server exited (${code})`)));
        child.stdout.on('data', (d) => {
            out += d;
            if (/ready to accept connections/i.test(out))
                resolve();
        });
    });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    return {
        url: `redis+unix://${socket}`,
        async stop() {
            child.kill('SIGTERM');
            await exited;
            rmSync(dir, { recursive: true, force: true });
        },
    };
}

test('an admin on one server of a Redis fleet sees every server', async () => {
    const redis = await startRedis();
    const servers = [];
    try {
        for (let i = 0; i < 2; ++i)
            servers.push(await startServer('qt', ['--admin', '--redis', redis.url]));
        const [a, b] = servers;
        const client = await connectClient(b, '/', { transports: ['websocket'] });
        const clientId = client.id;
        client.emit('join', 'fleet');
        await new Promise((resolve) => client.emit('whoami', resolve)); // the join was handled

        const admin = connectAdmin(a);
        await admin.connected;
        await admin.until('all_sockets');
        const listed = admin.events.find((e) => e[0] === 'all_sockets')[1].find((s) => s.id === clientId);
        assert.ok(listed, 'all_sockets lacks the other server\'s socket');
        assert.deepEqual([listed.nsp, listed.rooms], ['/', [clientId, 'fleet']]);
        assert.match(listed.handshake.time, /^\w{3} \w{3} \d\d \d{4} \d\d:\d\d:\d\d GMT[+-]\d{4} \(.+\)$/);

        // server_stats from both processes (one serverId, the host name, as node's; two pids).
        await admin.until('server_stats', () => new Set(admin.events.filter((e) => e[0] === 'server_stats')
            .map((e) => e[1].pid)).size === 2);

        const got = new Promise((resolve) => client.once('hello', (...args) => resolve(args)));
        admin.socket.emit('emit', '/', 'fleet', 'hello', 1);
        assert.deepEqual(await got, [1]);
        client.close();
        admin.socket.close();
    } finally {
        for (const server of servers)
            await server.stop();
        await redis.stop();
    }
});

// socketio-inspector --headless --attach to one server of the fleet (docs/attach.md): a note per
// server that reports, both pids (one serverId, the host name, on both).
test('the inspector attached to one server lists every server of the fleet', async () => {
    const redis = await startRedis();
    const servers = [];
    let inspector;
    try {
        for (let i = 0; i < 2; ++i)
            servers.push(await startServer('qt', ['--admin', '--redis', redis.url]));
        const [a] = servers;
        inspector = spawn(process.env.INSPECTOR, ['--headless', '--attach', a.url],
                          { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, SOCKETIO_ADMIN_PASSWORD: '' } });
        let out = '';
        const seen = (pattern) => new Promise((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error(`no line matching ${pattern} in:\n${out}`)), 15000);
            const check = () => {
                if (pattern.test(out)) {
                    clearTimeout(timer);
                    inspector.stdout.off('data', check);
                    resolve();
                }
            };
            inspector.stdout.on('data', check);
            check();
        });
        inspector.stdout.on('data', (chunk) => {
            out += chunk;
        });
        const source = `\\[attach: 127\\.0\\.0\\.1:${a.port}\\]`;
        await seen(new RegExp(`${source} --- attached`));
        for (const server of servers)
            await seen(new RegExp(`${source} --- server \\S+ on \\S+ \\(pid ${server.pid}\\)`));
    } finally {
        if (inspector) {
            inspector.kill('SIGTERM');
            await new Promise((resolve) => inspector.once('exit', resolve));
        }
        for (const server of servers)
            await server.stop();
        await redis.stop();
    }
});
