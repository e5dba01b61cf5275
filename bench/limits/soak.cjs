// The mixed soak of scripts/soak (issue 15): every abuse at once, bounded in time, against one or
// more servers of bench/servers (same handlers; "stats" answers the server's event-loop lateness).
//
//   node soak.cjs --ports P1[,P2] --pids PID1[,PID2] [--seconds 120] [--clients 1000]
//        [--churn 50] [--stalled 50] [--flooders 10] [--redis-port P --redis-restart-every 30]
//
// Clients are spread over the servers (several servers share rooms through Redis):
//   steady   CLIENTS npm socket.io-clients in room "all", each an acked "echo" every 2 s;
//   churn    CHURN clients a second connect, have one "echo" acked and disconnect;
//   stalled  STALLED raw WebSocket clients join room "stall" and stop reading, while a driver has
//            200 messages of 1 KB a second sent to that room (the server must cap their output;
//            the ping timeout frees them after 45 s anyway; a paused socket does not see its close);
//   flooders half send valid events as fast as the socket takes them (no ack asked), half send
//            malformed frames and reconnect each time the server closes them;
//   a driver on each server broadcasts 10 messages a second to room "all" (every steady client
//            gets every message from every server: counted against what was expected);
//   redis    with --redis-port, redis-server is shut down every N seconds (a loop in scripts/soak
//            restarts it): broadcasts may be lost while it is away, acks must not.
// One JSON line a second (RSS of each server, the worst event-loop lateness each reports, acks
// sent/answered/late, deliveries), then a summary. Acks still unanswered 10 s after the end are
// lost; a steady client that was disconnected is counted. Exits 1 if a server stopped answering.
'use strict';
const path = require('path');
const net = require('net');
const fs = require('fs');
const { execFile } = require('child_process');
const { io } = require(path.join(__dirname, '../../tests/interop/node_modules/socket.io-client'));

const opt = { seconds: 120, clients: 1000, churn: 50, stalled: 50, flooders: 10, 'redis-restart-every': 30 };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i += 2) opt[argv[i].replace(/^--/, '')] = argv[i + 1];
const ports = String(opt.ports).split(',').map(Number);
const pids = String(opt.pids).split(',').map(Number);
const seconds = Number(opt.seconds);
const now = () => Number(process.hrtime.bigint()) / 1e6;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const urlOf = (i) => `http://127.0.0.1:${ports[i % ports.length]}`;
const clientOpts = { transports: ['websocket'], reconnection: false, forceNew: true };

function rssMb(pid) {
  try {
    return +(Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024).toFixed(1);
  } catch {
    return null; // the server died
  }
}
function percentile(values, p) {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
function connect(i) {
  return new Promise((resolve, reject) => {
    const socket = io(urlOf(i), clientOpts);
    const timer = setTimeout(() => { socket.close(); reject(new Error('connect timeout')); }, 15000);
    socket.once('connect', () => { clearTimeout(timer); resolve(socket); });
    socket.once('connect_error', (e) => { clearTimeout(timer); socket.close(); reject(e); });
  });
}

// A WebSocket client by hand (masked text frames), for stalled readers and flooders.
function frame(payload, opcode = 0x1) {
  const data = Buffer.isBuffer(payload) ? payload : Buffer.from(payload);
  const mask = Buffer.from([1, 2, 3, 4]);
  const head = data.length < 126 ? Buffer.from([0x80 | opcode, 0x80 | data.length])
    : Buffer.from([0x80 | opcode, 0x80 | 126, data.length >> 8, data.length & 0xff]);
  return Buffer.concat([head, mask, Buffer.from(data.map((b, i) => b ^ mask[i % 4]))]);
}
function rawClient(i, onReady) {
  const socket = net.connect(ports[i % ports.length], '127.0.0.1');
  let buffer = Buffer.alloc(0);
  let stage = 0;
  const state = { socket, closed: false };
  socket.on('close', () => { state.closed = true; });
  socket.on('error', () => {});
  socket.on('connect', () => socket.write('GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\n' +
    'Host: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n'));
  socket.on('data', (chunk) => {
    if (stage === 2) {
      if (chunk[0] === 0x88) socket.destroy(); // the server's close frame: do not keep it waiting
      return;
    }
    buffer = Buffer.concat([buffer, chunk]);
    if (stage === 0) {
      const end = buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      buffer = buffer.subarray(end + 4);
      stage = 1;
      socket.write(frame('40'));
    }
    if (stage === 1 && buffer.includes('40{"sid"')) {
      stage = 2;
      buffer = null;
      onReady(state);
    }
  });
  return state;
}

const stats = {
  acksSent: 0, acksAnswered: 0, ackRtts: [], late: 0, churnCycles: 0, churnFailed: 0,
  delivered: 0, broadcastsSent: 0, steadyDropped: 0, stalledClosed: 0, junkCloses: 0, floodEvents: 0,
};
const pending = new Map(); // ack serial -> time sent
let serial = 0;
function echo(socket) {
  const id = ++serial;
  const sent = now();
  pending.set(id, sent);
  ++stats.acksSent;
  socket.emit('echo', id, () => {
    if (!pending.delete(id)) return;
    ++stats.acksAnswered;
    stats.ackRtts.push(now() - sent);
  });
}

let running = true;
(async () => {
  const rssStart = pids.map(rssMb);
  // Steady clients, 100 at a time.
  const steady = [];
  for (let i = 0; i < Number(opt.clients); i += 100) {
    const batch = [];
    for (let j = i; j < Math.min(Number(opt.clients), i + 100); ++j) {
      batch.push(connect(j).then((s) => new Promise((r) => s.emit('join', 'all', () => r(s)))));
    }
    steady.push(...(await Promise.all(batch)));
  }
  steady.forEach((s) => {
    s.on('msg', () => { ++stats.delivered; });
    s.on('disconnect', () => { if (running) ++stats.steadyDropped; });
    setTimeout(() => { const t = setInterval(() => { if (s.connected) echo(s); else clearInterval(t); }, 2000); }, Math.random() * 2000);
  });
  const probes = await Promise.all(ports.map((_, i) => connect(i)));
  const drivers = await Promise.all(ports.map((_, i) => connect(i)));

  // Stalled readers in room "stall", and a driver feeding it.
  const stalled = [];
  for (let i = 0; i < Number(opt.stalled); ++i) {
    stalled.push(await new Promise((resolve) => rawClient(i, (state) => {
      state.socket.write(frame('42["join","stall"]'));
      state.socket.pause();
      resolve(state);
    })));
  }
  const kilobyte = 'x'.repeat(1024);
  const timers = [];
  timers.push(setInterval(() => drivers[0].emit('broadcast', 'stall', 2, kilobyte), 10));
  // Broadcasts to "all" from every server: 10 a second each.
  timers.push(setInterval(() => drivers.forEach((d) => {
    if (d.connected) { d.emit('broadcast', 'all', 1, 'hello'); ++stats.broadcastsSent; }
  }), 100));

  // Flooders: valid events as fast as the socket drains; junk that gets them closed, reconnecting.
  const flooders = [];
  for (let i = 0; i < Number(opt.flooders); ++i) {
    const junk = i % 2 === 1;
    const start = () => {
      if (!running) return;
      const state = rawClient(i, (st) => {
        const pump = () => {
          if (!running || st.closed) return;
          if (junk) {
            st.socket.write(frame(['42[', '9x', '4', '2["echo"', '45-["a",{"_placeholder":true}]'][Math.floor(Math.random() * 5)]));
            return;
          }
          let ok = true;
          for (let k = 0; k < 100 && ok; ++k) { ok = st.socket.write(frame('42["flood",1]')); ++stats.floodEvents; }
          if (ok) setImmediate(pump); else st.socket.once('drain', pump);
        };
        pump();
      });
      state.socket.on('close', () => { if (junk) { ++stats.junkCloses; setTimeout(start, 20); } });
      flooders.push(state);
    };
    start();
  }

  // Churn: connect, one echo acked, disconnect.
  timers.push(setInterval(() => {
    for (let k = 0; k < Number(opt.churn); ++k) {
      connect(serial + k).then((s) => {
        const id = ++serial;
        pending.set(id, now());
        ++stats.acksSent;
        const sent = now();
        s.emit('echo', id, () => {
          if (pending.delete(id)) { ++stats.acksAnswered; stats.ackRtts.push(now() - sent); }
          ++stats.churnCycles;
          s.close();
        });
      }, () => { ++stats.churnFailed; });
    }
  }, 1000));

  // Redis restarts (scripts/soak's loop brings it back).
  if (opt['redis-port']) {
    timers.push(setInterval(() => {
      execFile('redis-cli', ['-p', String(opt['redis-port']), 'shutdown', 'nosave'], () => {});
      console.log(JSON.stringify({ event: 'redis shut down' }));
    }, Number(opt['redis-restart-every']) * 1000));
  }

  const samples = [];
  let failed = false;
  for (let t = 1; t <= seconds; ++t) {
    await sleep(1000);
    const lateness = await Promise.all(probes.map((p) => new Promise((resolve) => {
      const timer = setTimeout(() => resolve(null), 5000);
      p.emit('stats', (s) => { clearTimeout(timer); resolve(s.latenessMs); });
    })));
    let late = 0;
    for (const sent of pending.values()) if (now() - sent > 5000) ++late;
    const sample = { t, rssMb: pids.map(rssMb), latenessMs: lateness, acksSent: stats.acksSent,
      acksAnswered: stats.acksAnswered, acksLate5s: late, churnCycles: stats.churnCycles,
      delivered: stats.delivered, junkCloses: stats.junkCloses, steadyDropped: stats.steadyDropped };
    samples.push(sample);
    console.log(JSON.stringify(sample));
    if (lateness.some((l) => l === null)) failed = true;
  }
  running = false;
  timers.forEach(clearInterval);
  for (let t = 0; t < 100 && pending.size; ++t) await sleep(100); // 10 s for the last acks
  const steadyConnected = steady.filter((s) => s.connected).length;
  const expectedDeliveries = stats.broadcastsSent * steadyConnected;
  const latenessAll = samples.flatMap((s) => s.latenessMs).filter((l) => l !== null);
  const summary = {
    mode: 'soak', seconds, servers: ports.length, clients: Number(opt.clients),
    rssStartMb: rssStart, rssMaxMb: pids.map((_, i) => Math.max(...samples.map((s) => s.rssMb[i] ?? 0))),
    rssEndMb: pids.map(rssMb),
    latenessP99Ms: percentile(latenessAll, 99), latenessMaxMs: latenessAll.length ? Math.max(...latenessAll) : null,
    acksSent: stats.acksSent, acksAnswered: stats.acksAnswered, acksLost: pending.size,
    ackP99Ms: +(percentile(stats.ackRtts, 99) ?? 0).toFixed(1),
    churnCycles: stats.churnCycles, churnFailed: stats.churnFailed,
    broadcastDeliveries: `${stats.delivered}/${expectedDeliveries}`,
    floodEvents: stats.floodEvents,
    junkCloses: stats.junkCloses, steadyDropped: stats.steadyDropped,
  };
  console.log(JSON.stringify(summary));
  stalled.forEach((s) => s.socket.destroy());
  flooders.forEach((s) => s.socket.destroy());
  [...steady, ...probes, ...drivers].forEach((s) => s.close());
  process.exit(failed ? 1 : 0);
})().catch((e) => { console.error(e.stack || e.message); process.exit(1); });
