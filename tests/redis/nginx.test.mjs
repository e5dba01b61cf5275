// SPDX-License-Identifier: MIT
// docs/multi-node.md, run for real (CTest redis_nginx): Debian's nginx, unprivileged in a temp
// prefix on a free port, with examples/multi-node/nginx-socketio.conf (ports replaced) in front
// of two of our servers sharing one redis-server. A long-polling client and an upgrading client
// go through nginx; a client connected straight to one server reaches them through Redis.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, rmSync, existsSync, mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

import { here, tmp, fleet, startProcess, startRedis, startQt, client, call, withTimeout } from './helpers.mjs';

const NGINX = process.env.NGINX;
if (!NGINX || !existsSync(NGINX))
    throw new Error(`nginx not found (NGINX=${NGINX}): install Debian's nginx (scripts/install-deps)`);

// A port nobody listens on right now (nginx cannot listen on port 0 and tell us which one).
function freePort() {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.on('error', reject);
        server.listen(0, '127.0.0.1', () => {
            const { port } = server.address();
            server.close(() => resolve(port));
        });
    });
}

let qt1, qt2, nginx, nginxPort;
const clients = [];

async function startNginx() {
    const prefix = path.join(tmp, 'nginx');
    mkdirSync(prefix, { recursive: true });
    const example = readFileSync(path.join(here, '../../examples/multi-node/nginx-socketio.conf'), 'utf8');
    for (let attempt = 0; attempt < 5; ++attempt) {
        nginxPort = await freePort();
        const site = example
            .replace('listen 3000;', `listen 127.0.0.1:${nginxPort};`)
            .replace('server 127.0.0.1:3001;', `server 127.0.0.1:${qt1.port};`)
            .replace('server 127.0.0.1:3002;', `server 127.0.0.1:${qt2.port};`);
        assert.notEqual(site, example);
        writeFileSync(path.join(prefix, 'site.conf'), site);
        // The main context Debian's /etc/nginx/nginx.conf would give, with everything in the prefix.
        writeFileSync(path.join(prefix, 'nginx.conf'), `
daemon off;
worker_processes 1;
pid ${prefix}/nginx.pid;
error_log stderr notice;
events { worker_connections 256; }
http {
    access_log off;
    client_body_temp_path ${prefix}/body;
    proxy_temp_path ${prefix}/proxy;
    fastcgi_temp_path ${prefix}/fastcgi;
    uwsgi_temp_path ${prefix}/uwsgi;
    scgi_temp_path ${prefix}/scgi;
    include ${prefix}/site.conf;
}
`);
        // nginx logs to stderr; run it through a shell that moves stderr to stdout for waitForLine.
        const proc = startProcess('nginx', '/bin/sh', ['-c', `exec "$0" -p "$1" -c "$1/nginx.conf" -e stderr 2>&1`, NGINX, prefix]);
        const [line] = await proc.waitForLine(/start worker process|bind\(\) to .* failed/);
        if (line.includes('start worker process'))
            return proc;
        await proc.stop('SIGKILL'); // someone took the port in between: another one
    }
    throw new Error('nginx could not bind a free port in five attempts');
}

before(async () => {
    await startRedis();
    qt1 = await startQt('qt1');
    qt2 = await startQt('qt2');
    nginx = await startNginx();
});

after(async () => {
    for (const socket of clients)
        socket.disconnect();
    await nginx?.stop('SIGTERM'); // fast shutdown: a graceful one waits for the long-polls
    for (const proc of [qt1, qt2]) {
        if (!proc)
            continue;
        assert.equal(proc.exited, false, `${proc.name} exited during the test: ${JSON.stringify(proc.exitStatus)}`);
        await proc.stop();
    }
    await fleet.redis?.stop();
    rmSync(tmp, { recursive: true, force: true });
});

test('through nginx: long-polling sticks to one server, broadcasts cross servers through Redis', async () => {
    const polling = await client(nginxPort, 'polling', { transports: ['polling'] });
    clients.push(polling);
    assert.equal(polling.io.engine.transport.name, 'polling');
    // Many separate HTTP requests of one session: each must reach the server that has it.
    for (let i = 0; i < 20; ++i)
        assert.equal(await call(polling, 'redis-state'), 'connected');
    await call(polling, 'join', 'lobby');

    const direct1 = await client(qt1.port, 'direct1');
    const direct2 = await client(qt2.port, 'direct2');
    clients.push(direct1, direct2);
    await call(direct1, 'join', 'lobby');
    await call(direct2, 'join', 'lobby');
    // From either server, whichever one nginx chose for the polling client.
    await call(direct1, 'to-room', 'lobby', 'from-1', 1);
    await call(direct2, 'to-room', 'lobby', 'from-2', 2);
    assert.deepEqual(await polling.next('from-1'), [1]);
    assert.deepEqual(await polling.next('from-2'), [2]);
    assert.deepEqual(await direct2.next('from-1'), [1]);
    assert.deepEqual(await direct1.next('from-2'), [2]);
    assert.equal(polling.connected, true);
});

test('through nginx: polling upgrades to WebSocket', async () => {
    const upgrading = await client(nginxPort, 'upgrading', { transports: ['polling', 'websocket'] });
    clients.push(upgrading);
    if (upgrading.io.engine.transport.name !== 'websocket')
        await withTimeout(new Promise((resolve) => upgrading.io.engine.once('upgrade', resolve)), 'the upgrade');
    assert.equal(upgrading.io.engine.transport.name, 'websocket');
    await call(upgrading, 'join', 'ws-room');
    const direct = await client(qt2.port, 'direct');
    clients.push(direct);
    await call(direct, 'to-room', 'ws-room', 'over-ws', 'x');
    assert.deepEqual(await upgrading.next('over-ws'), ['x']);
});
