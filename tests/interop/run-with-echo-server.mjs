// SPDX-License-Identifier: MIT
// Test driver: starts the echo server on a free loopback port, runs a node:test file against
// it with ECHO_URL set, stops the server and exits with the test's status.
//
//   node run-with-echo-server.mjs <echo-server binary> <test file> [-- <server arguments>]
//
// Default server arguments: --engine-io --port 0 --ping-interval 300 --ping-timeout 200.
// The server must print "listening on port N" on stdout once it listens.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const STARTUP_TIMEOUT_MS = 15000; // safety nets, not synchronisation
const TEST_TIMEOUT_MS = 240000;
const STOP_TIMEOUT_MS = 5000;

function fail(message) {
    console.error(`run-with-echo-server: ${message}`);
    process.exit(1);
}

const argv = process.argv.slice(2);
const dashes = argv.indexOf('--');
const [serverBinary, testFile] = dashes < 0 ? argv : argv.slice(0, dashes);
const serverArgs = dashes < 0
    ? ['--engine-io', '--port', '0', '--ping-interval', '300', '--ping-timeout', '200']
    : argv.slice(dashes + 1);
if (!serverBinary || !testFile)
    fail('usage: run-with-echo-server.mjs <echo-server binary> <test file> [-- <server arguments>]');
if (!existsSync(serverBinary))
    fail(`echo server not found: ${serverBinary}`);

// The npm clients must be installed; a missing client is a failure, never a skip.
const require = createRequire(path.join(here, 'package.json'));
for (const pkg of ['engine.io-client', 'socket.io-client', 'socket.io-client-v2']) {
    try {
        require.resolve(pkg);
    } catch {
        fail(`the npm package "${pkg}" is not installed in ${here}/node_modules.\n` +
             '    Run scripts/install-deps (or: cd tests/interop && npm ci) and try again.');
    }
}

const server = spawn(serverBinary, serverArgs, { stdio: ['ignore', 'pipe', 'inherit'] });
let serverExited = false;
let stopping = false;
const serverExit = new Promise((resolve) => {
    server.on('exit', (code, signal) => {
        serverExited = true;
        if (!stopping)
            console.error(`run-with-echo-server: the echo server exited unexpectedly (code ${code}, signal ${signal})`);
        resolve({ code, signal });
    });
});
server.on('error', (err) => fail(`cannot start ${serverBinary}: ${err.message}`));

const port = await new Promise((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => reject(new Error('the echo server did not report its port')),
                             STARTUP_TIMEOUT_MS);
    const onData = (chunk) => {
        buffered += chunk.toString('utf8');
        let newline;
        while ((newline = buffered.indexOf('\n')) >= 0) {
            const line = buffered.slice(0, newline);
            buffered = buffered.slice(newline + 1);
            const match = /listening on port (\d+)/.exec(line);
            if (match) {
                clearTimeout(timer);
                // Keep draining stdout so the server never blocks on a full pipe.
                server.stdout.off('data', onData);
                server.stdout.on('data', (data) => process.stdout.write(data));
                resolve(Number(match[1]));
                return;
            }
            process.stdout.write(`${line}\n`);
        }
    };
    server.stdout.on('data', onData);
    serverExit.then(() => {
        clearTimeout(timer);
        reject(new Error('the echo server exited before listening'));
    });
}).catch((err) => {
    server.kill('SIGKILL');
    fail(err.message);
});

const url = `http://127.0.0.1:${port}`;
console.log(`run-with-echo-server: ${path.basename(serverBinary)} ${serverArgs.join(' ')} -> ${url}`);

const testProcess = spawn(process.execPath, ['--test', testFile], {
    stdio: 'inherit',
    cwd: here,
    env: { ...process.env, ECHO_URL: url },
});
const testTimer = setTimeout(() => {
    console.error(`run-with-echo-server: the test run took longer than ${TEST_TIMEOUT_MS} ms; killing it`);
    testProcess.kill('SIGKILL');
}, TEST_TIMEOUT_MS);
const testStatus = await new Promise((resolve) => {
    testProcess.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    testProcess.on('error', (err) => {
        console.error(`run-with-echo-server: cannot run node --test: ${err.message}`);
        resolve(1);
    });
});
clearTimeout(testTimer);

// Stop the server; it must still be running (a crash during the test is a failure).
const crashed = serverExited;
stopping = true;
if (!serverExited) {
    server.kill('SIGTERM');
    const killTimer = setTimeout(() => {
        console.error('run-with-echo-server: the echo server ignored SIGTERM; killing it');
        server.kill('SIGKILL');
    }, STOP_TIMEOUT_MS);
    await serverExit;
    clearTimeout(killTimer);
}

if (crashed) {
    console.error('run-with-echo-server: FAIL: the echo server died during the test');
    process.exit(1);
}
process.exit(testStatus);
