// SPDX-License-Identifier: MIT
// node's side of the client benchmark (scripts/bench --client): socket.io-client 4.8 doing what
// bench/client/main.cpp does. N connections (forceNew: one Manager each) over WebSocket to one
// server, a closed loop of "echo" emits with an ack per connection; prints one JSON line with its
// own process CPU time per echo (process.cpuUsage) and RSS growth per connection (after a GC when
// node runs with --expose-gc, once the first 10 are connected and once all are, divided by the
// connections added).
//   --port P --clients N --size BYTES --warmup S --duration S | --messages M
'use strict';
const { io } = require('socket.io-client');

const o = { port: 3000, clients: 100, size: 32, warmup: 1, duration: 2, messages: 0 };
for (let i = 2; i + 1 < process.argv.length; i += 2) {
  const k = process.argv[i].replace(/^--/, '');
  if (k in o) o[k] = Number(process.argv[i + 1]);
}

const gc = () => { if (global.gc) global.gc(); };
const cpuSeconds = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
const rssKb = () => process.memoryUsage().rss / 1024;

const payload = 'x'.repeat(o.size);
gc();
const rssBefore = rssKb();
const sockets = [];
let connected = 0, echoes = 0, errors = 0, running = false;
let rssConnected = 0, cpuStart = 0, echoesStart = 0, wallStart = 0;

function send(s) {
  s.emit('echo', payload, () => {
    ++echoes;
    if (o.messages && echoes >= o.messages) return finish();
    if (running) send(s);
  });
}

function finish() {
  const cpu = cpuSeconds() - cpuStart;
  const ops = echoes - echoesStart;
  const secs = (Date.now() - wallStart) / 1000;
  running = false;
  process.stdout.write(JSON.stringify({
    client: 'node', clients: o.clients, connected, ops, errors, cpu_s: cpu, wall_s: secs,
    us_per_op: ops ? cpu * 1e6 / ops : 0, cpu_util: secs > 0 ? cpu / secs : 0,
    rss_before_kb: rssBefore, rss_base_kb: rssBase, base_clients: base, rss_connected_kb: rssConnected,
    kb_per_conn: o.clients > base ? (rssConnected - rssBase) / (o.clients - base) : (rssConnected - rssBefore) / o.clients,
  }) + '\n', () => process.exit(0));
}

function start() {
  gc();
  rssConnected = rssKb();
  running = true;
  for (const s of sockets) send(s);
  if (o.messages) { cpuStart = cpuSeconds(); wallStart = Date.now(); return; }
  setTimeout(() => {
    cpuStart = cpuSeconds();
    echoesStart = echoes;
    wallStart = Date.now();
    setTimeout(finish, o.duration * 1000);
  }, o.warmup * 1000);
}

// Memory: the first `base` connections carry the one-time costs (modules, JIT, first
// allocations); the figure is the RSS growth from them to all, per connection added.
const base = o.clients > 20 ? 10 : o.clients;
let rssBase = rssBefore;
function connectOne() {
  const s = io(`http://127.0.0.1:${o.port}`, { transports: ['websocket'], forceNew: true, reconnection: false });
  s.on('connect', () => {
    ++connected;
    if (connected === o.clients) start();
    else if (connected === base) {
      gc();
      rssBase = rssKb();
      while (sockets.length < o.clients) connectOne();
    }
  });
  s.on('connect_error', (e) => { console.error('connect error:', e.message); process.exit(1); });
  sockets.push(s);
}
while (sockets.length < base) connectOne();
setTimeout(() => { console.error(`timed out (${connected} of ${o.clients} connected)`); process.exit(1); }, 60000).unref();
