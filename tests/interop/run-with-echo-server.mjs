// SPDX-License-Identifier: MIT
// Test driver: starts the echo server on a free loopback port, runs a node:test file against
// it with ECHO_URL set, stops the server and exits with the test's status. ECHO_CONTROL_URL
// lets the test restart the server on the same port (POST /restart).
//
//   node run-with-echo-server.mjs <echo-server binary> <test file> [-- <server arguments>]
//
// Default server arguments: --engine-io --port 0 --ping-interval 300 --ping-timeout 200.
// The server must print "listening on port N" (or "... http://localhost:N/", as socketio-chat
// does) on stdout once it listens; any program taking --port works.
import { spawn } from 'node:child_process';
import http from 'node:http';
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

// One run of the echo server. `exit` resolves when it exits; `stopping` marks an exit we asked for.
function startServer(args) {
    const child = spawn(serverBinary, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    const run = { child, exited: false, stopping: false };
    run.exit = new Promise((resolve) => {
        child.on('exit', (code, signal) => {
            run.exited = true;
            if (!run.stopping)
                console.error(`run-with-echo-server: the echo server exited unexpectedly (code ${code}, signal ${signal})`);
            resolve({ code, signal });
        });
    });
    run.port = new Promise((resolve, reject) => {
        child.on('error', (err) => reject(new Error(`cannot start ${serverBinary}: ${err.message}`)));
        let buffered = '';
        const timer = setTimeout(() => reject(new Error('the echo server did not report its port')),
                                 STARTUP_TIMEOUT_MS);
        const onData = (chunk) => {
            buffered += chunk.toString('utf8');
            let newline;
            while ((newline = buffered.indexOf('\n')) >= 0) {
                const line = buffered.slice(0, newline);
                buffered = buffered.slice(newline + 1);
                const match = /(?:listening on port |http:\/\/localhost:)(\d+)/.exec(line);
                if (match) {
                    clearTimeout(timer);
                    // Keep draining stdout so the server never blocks on a full pipe.
                    child.stdout.off('data', onData);
                    child.stdout.on('data', (data) => process.stdout.write(data));
                    resolve(Number(match[1]));
                    return;
                }
                process.stdout.write(`${line}\n`);
            }
        };
        child.stdout.on('data', onData);
        run.exit.then(() => {
            clearTimeout(timer);
            reject(new Error('the echo server exited before listening'));
        });
    });
    return run;
}

// Stops a run: SIGTERM (or the given signal), SIGKILL if it does not go.
async function stopServer(run, signal = 'SIGTERM') {
    run.stopping = true;
    if (run.exited)
        return;
    run.child.kill(signal);
    const killTimer = setTimeout(() => {
        console.error('run-with-echo-server: the echo server ignored SIGTERM; killing it');
        run.child.kill('SIGKILL');
    }, STOP_TIMEOUT_MS);
    await run.exit;
    clearTimeout(killTimer);
}

let server = startServer(serverArgs);
const port = await server.port.catch((err) => {
    server.child.kill('SIGKILL');
    fail(err.message);
});
let crashed = false; // a run that died on its own during the test

// The test may restart the server: POST /restart on ECHO_CONTROL_URL kills it (SIGKILL, as a
// crash would) and starts it again with the same arguments on the same port; the answer comes
// once it listens again (200, the port as text), or 500 with the reason.
const restartArgs = serverArgs.map((arg, i) => (serverArgs[i - 1] === '--port' ? String(port) : arg));
const control = http.createServer((req, res) => {
    if (req.method !== 'POST' || req.url !== '/restart') {
        res.writeHead(404).end();
        return;
    }
    (async () => {
        if (server.exited && !server.stopping)
            crashed = true;
        await stopServer(server, 'SIGKILL');
        server = startServer(restartArgs);
        const again = await server.port;
        if (again !== port)
            throw new Error(`restarted on port ${again}, not ${port}`);
        console.log(`run-with-echo-server: restarted the echo server on port ${port}`);
        res.writeHead(200, { 'Content-Type': 'text/plain' }).end(String(port));
    })().catch((err) => {
        console.error(`run-with-echo-server: restart failed: ${err.message}`);
        res.writeHead(500, { 'Content-Type': 'text/plain' }).end(err.message);
    });
});
await new Promise((resolve) => control.listen(0, '127.0.0.1', resolve));
const controlUrl = `http://127.0.0.1:${control.address().port}`;

const url = `http://127.0.0.1:${port}`;
console.log(`run-with-echo-server: ${path.basename(serverBinary)} ${serverArgs.join(' ')} -> ${url}`);

const testProcess = spawn(process.execPath, ['--test', testFile], {
    stdio: 'inherit',
    cwd: here,
    env: { ...process.env, ECHO_URL: url, ECHO_CONTROL_URL: controlUrl },
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
control.close();
crashed = crashed || (server.exited && !server.stopping);
await stopServer(server);

if (crashed) {
    console.error('run-with-echo-server: FAIL: the echo server died during the test');
    process.exit(1);
}
process.exit(testStatus);
