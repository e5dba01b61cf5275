// SPDX-License-Identifier: MIT
// Shared by the multi-node tests: child processes whose stdout lines can be awaited, our own
// redis-server on a unix socket in a temp dir, our test servers, recording socket.io clients.
// Every wait has a STEP_TIMEOUT_MS safety net that fails the test instead of hanging; nothing
// waits for a fixed time.
import { spawn } from 'node:child_process';
import { mkdtempSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const here = path.dirname(fileURLToPath(import.meta.url));
export const require = createRequire(path.join(here, 'package.json'));
export const STEP_TIMEOUT_MS = 15000; // a safety net against hangs, never a synchronisation

export function need(pkg) {
    try {
        return require(pkg);
    } catch {
        throw new Error(`the npm package "${pkg}" is not installed in ${here}/node_modules: ` +
                        'run scripts/install-deps (or: cd tests/redis && npm ci)');
    }
}
const { io: connectClient } = need('socket.io-client');

export const REDIS_SERVER = process.env.REDIS_SERVER;
export const QT_SERVER = process.env.QT_SERVER;
export const ECHO_SERVER = process.env.ECHO_SERVER;
export const INSPECTOR = process.env.INSPECTOR;
if (!REDIS_SERVER || !existsSync(REDIS_SERVER))
    throw new Error(`redis-server not found (REDIS_SERVER=${REDIS_SERVER}): install Debian's redis-server (scripts/install-deps)`);
if (!QT_SERVER || !existsSync(QT_SERVER))
    throw new Error(`the test server was not built (QT_SERVER=${QT_SERVER})`);

export function withTimeout(promise, what) {
    let timer;
    return Promise.race([
        promise.finally(() => clearTimeout(timer)),
        new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), STEP_TIMEOUT_MS);
        }),
    ]);
}

// A child process whose stdout lines can be awaited (lines seen since a mark, or future ones).
// With mergeStderr, stderr lines (Qt's log) are awaitable too.
export function startProcess(name, binary, args, { mergeStderr = false } = {}) {
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', mergeStderr ? 'pipe' : 'inherit'] });
    const proc = { name, child, lines: [], waiters: [], exited: false, expectedExit: false };
    const readLines = (stream, echo) => {
        let buffer = '';
        stream.setEncoding('utf8');
        stream.on('data', (chunk) => {
            if (echo)
                process.stderr.write(chunk);
            buffer += chunk;
            let index;
            while ((index = buffer.indexOf('\n')) >= 0) {
                const line = buffer.slice(0, index);
                buffer = buffer.slice(index + 1);
                proc.lines.push(line);
                for (const waiter of [...proc.waiters])
                    waiter();
            }
        });
    };
    readLines(child.stdout, false);
    if (mergeStderr)
        readLines(child.stderr, true);
    proc.exit = new Promise((resolve) => child.on('exit', (code, signal) => {
        proc.exited = true;
        proc.exitStatus = { code, signal };
        for (const waiter of [...proc.waiters])
            waiter();
        resolve({ code, signal });
    }));
    proc.mark = () => proc.lines.length;
    proc.waitForLine = (regex, from = 0) => withTimeout(new Promise((resolve, reject) => {
        const check = () => {
            for (let i = from; i < proc.lines.length; ++i) {
                const match = regex.exec(proc.lines[i]);
                if (match) {
                    proc.waiters.splice(proc.waiters.indexOf(check), 1);
                    resolve(match);
                    return;
                }
            }
            if (proc.exited) {
                proc.waiters.splice(proc.waiters.indexOf(check), 1);
                reject(new Error(`${name} exited (${JSON.stringify(proc.exitStatus)}) before printing ${regex}`));
            }
        };
        proc.waiters.push(check);
        check();
    }), `${name}: ${regex}`);
    proc.stop = async (signal = 'SIGTERM') => {
        if (proc.exited)
            return proc.exitStatus;
        proc.expectedExit = true;
        child.kill(signal);
        return proc.exit;
    };
    return proc;
}

export const tmp = mkdtempSync(path.join(os.tmpdir(), 'socketio-redis-'));
export const redisSocket = path.join(tmp, 'redis.sock');
export const redisUrl = `redis+unix://${redisSocket}`;
export const fleet = { redis: null };

export async function startRedis() {
    // Redis writes its log to stdout; "ready to accept connections" once it listens.
    const redis = startProcess('redis-server', REDIS_SERVER, [
        '--port', '0', '--unixsocket', redisSocket, '--unixsocketperm', '700',
        '--dir', tmp, '--save', '', '--appendonly', 'no', '--loglevel', 'notice',
    ]);
    fleet.redis = redis;
    await redis.waitForLine(/ready to accept connections/i);
    return redis;
}

export async function startQt(name, extraArgs = []) {
    const proc = startProcess(name, QT_SERVER, ['--port', '0', '--redis', redisUrl, '--requests-timeout', '3000', ...extraArgs]);
    const [, port] = await proc.waitForLine(/^listening on port (\d+)$/);
    await proc.waitForLine(/^redis: connected$/);
    proc.port = Number(port);
    return proc;
}

// A client that records every event it receives; next(event) waits for the next one not yet taken.
export async function client(port, name, options = {}) {
    const socket = connectClient(`http://127.0.0.1:${port}`, { transports: ['websocket'], forceNew: true, reconnection: false, ...options });
    socket.name = name;
    socket.received = [];
    socket.waiters = [];
    socket.onAny((event, ...args) => {
        socket.received.push({ event, args });
        for (const waiter of [...socket.waiters])
            waiter();
    });
    socket.next = (event) => withTimeout(new Promise((resolve) => {
        const check = () => {
            const index = socket.received.findIndex((r) => r.event === event && !r.taken);
            if (index >= 0) {
                socket.received[index].taken = true;
                socket.waiters.splice(socket.waiters.indexOf(check), 1);
                resolve(socket.received[index].args);
            }
        };
        socket.waiters.push(check);
        check();
    }), `${name} to receive "${event}"`);
    socket.got = (event) => socket.received.some((r) => r.event === event);
    await withTimeout(new Promise((resolve, reject) => {
        socket.on('connect', resolve);
        socket.on('connect_error', reject);
    }), `${name} to connect`);
    return socket;
}

export const call = (socket, ...args) => withTimeout(socket.emitWithAck(...args), `${socket.name}: ack of ${args[0]}`);

