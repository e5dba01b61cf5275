// SPDX-License-Identifier: MIT
// Drives our `socketio-client --json` (the Qt client) through its contract (PROTOCOL.md,
// "socketio-client"): commands as JSON lines on stdin, output as JSON lines on stdout.
import { spawn } from 'node:child_process';
import readline from 'node:readline';

export const cliBinary = process.env.SOCKETIO_CLIENT;
if (!cliBinary)
    throw new Error('SOCKETIO_CLIENT is not set (the path of the socketio-client program)');

// A safety net against a hang, not a timing assertion.
export const SAFETY_MS = 15000;

export class QtClient {
    constructor(url, args = []) {
        this.lines = [];
        this.waiters = [];
        this.stderr = '';
        this.child = spawn(cliBinary, ['--json', url, ...args], {
            stdio: ['pipe', 'pipe', 'pipe'],
            env: { ...process.env, QT_LOGGING_RULES: 'socketio.*.debug=false' },
        });
        this.child.stderr.on('data', (d) => { this.stderr += d; });
        this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)));
        readline.createInterface({ input: this.child.stdout }).on('line', (line) => {
            let message;
            try {
                message = JSON.parse(line);
            } catch (e) {
                message = { type: 'unparsable', line };
            }
            message.raw = line;
            this.lines.push(message);
            this.waiters = this.waiters.filter((w) => !w.check());
        });
    }

    send(command) {
        this.child.stdin.write(JSON.stringify(command) + '\n');
    }
    sendRaw(line) {
        this.child.stdin.write(line + '\n');
    }

    // Resolves with the first output line (from `from` on) that matches; consumed lines are
    // remembered so a test can look at what came before.
    next(predicate, what, from = 0) {
        return new Promise((resolve, reject) => {
            const waiter = {
                check: () => {
                    const index = this.lines.findIndex((l, i) => i >= from && !l.taken && predicate(l));
                    if (index < 0)
                        return false;
                    this.lines[index].taken = true;
                    clearTimeout(waiter.timer);
                    resolve(this.lines[index]);
                    return true;
                },
            };
            waiter.timer = setTimeout(() => {
                this.waiters = this.waiters.filter((w) => w !== waiter);
                reject(new Error(`timed out waiting for ${what}; output so far:\n`
                    + this.lines.map((l) => l.raw).join('\n') + '\nstderr:\n' + this.stderr));
            }, SAFETY_MS);
            if (!waiter.check())
                this.waiters.push(waiter);
        });
    }
    type(type, nsp) {
        return this.next((l) => l.type === type && (nsp === undefined || l.nsp === nsp), `${type} ${nsp ?? ''}`);
    }
    event(name, nsp = '/') {
        return this.next((l) => l.type === 'event' && l.event === name && l.nsp === nsp, `event ${name} on ${nsp}`);
    }
    ack(id) {
        return this.next((l) => l.type === 'ack' && l.id === id, `ack ${id}`);
    }

    // End of stdin: the client closes every namespace and exits 0.
    async end() {
        this.child.stdin.end();
        const code = await Promise.race([
            this.exited,
            new Promise((resolve) => setTimeout(() => resolve('no exit'), SAFETY_MS)),
        ]);
        if (code === 'no exit')
            this.child.kill('SIGKILL');
        return code;
    }
}
