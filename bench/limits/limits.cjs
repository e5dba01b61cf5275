// Issue 15's two measurements against any server of bench/servers (same handlers: "join",
// "broadcast", "echo"), driven by the npm socket.io-client (tests/interop/node_modules):
//
//   node limits.cjs rooms PORT [ROOMS]            one client joins ROOMS distinct rooms (default
//        80000), every join acked, 1000 in flight; a bystander echoes every 20 ms. Prints the
//        time until the last ack and the bystander's worst echo round trip (event-loop freeze).
//   node limits.cjs stalled PORT PID [CLIENTS] [SECONDS] [RATE] [SIZE]
//        CLIENTS raw WebSocket clients (default 200) join room "stall" and stop reading (their
//        TCP sockets paused); a driver has RATE (1000) messages of SIZE (1024) bytes per second
//        sent to the room for SECONDS (30); a bystander in the room reads and echoes. Prints the
//        server's RSS (from /proc/PID) each second, the messages the bystander got and its echo
//        round trips. (A paused socket does not see the server close it: scripts/soak counts the
//        closes in our server's log.)
//   node limits.cjs storm PORT PID [ROUNDS] [CLIENTS]
//        ROUNDS (5) rounds of CLIENTS (10000) clients connecting and then killed; the server's RSS
//        after each round once settled: is the memory of a connection storm given back?
// Bounded in time; exits non-zero if the server stops answering the bystander.
'use strict';
const path = require('path');
const net = require('net');
const fs = require('fs');
const { io } = require(path.join(__dirname, '../../tests/interop/node_modules/socket.io-client'));

const [mode, portArg, ...rest] = process.argv.slice(2);
const port = Number(portArg);
const url = `http://127.0.0.1:${port}`;
const opts = { transports: ['websocket'], reconnection: false, forceNew: true };
const now = () => Number(process.hrtime.bigint()) / 1e6;

function rssMb(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024;
}

function percentile(values, p) {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

// Echoes every interval ms; records round trips, and the oldest unanswered one at the end.
function startBystander(socket, interval) {
  const rtts = [];
  let pending = null;
  let worst = 0; // since the last worstSince() call
  const timer = setInterval(() => {
    if (pending !== null) return; // one at a time: a frozen server shows as one long round trip
    const sent = now();
    pending = sent;
    socket.emit('echo', 1, () => {
      rtts.push(now() - sent);
      worst = Math.max(worst, now() - sent);
      pending = null;
    });
  }, interval);
  return {
    worstSince() {
      const w = Math.max(worst, pending !== null ? now() - pending : 0);
      worst = 0;
      return +w.toFixed(1);
    },
    stop() {
      clearInterval(timer);
      if (pending !== null) rtts.push(now() - pending);
      return rtts;
    },
  };
}

function connect() {
  return new Promise((resolve, reject) => {
    const socket = io(url, opts);
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

async function rooms(count) {
  const bystander = await connect();
  const joiner = await connect();
  const watch = startBystander(bystander, 20);
  const start = now();
  await new Promise((resolve) => {
    let next = 0;
    let done = 0;
    const send = () => {
      const i = next++;
      joiner.emit('join', `room-${i}`, () => {
        if (++done === count) resolve();
        else if (next < count) send();
      });
    };
    for (let i = 0; i < Math.min(1000, count); ++i) send();
  });
  const elapsed = now() - start;
  await new Promise((r) => setTimeout(r, 100));
  const rtts = watch.stop();
  console.log(JSON.stringify({ mode: 'rooms', rooms: count, joinSeconds: +(elapsed / 1000).toFixed(3),
    bystanderMaxMs: +Math.max(...rtts).toFixed(1), bystanderP99Ms: +percentile(rtts, 99).toFixed(1) }));
  joiner.close();
  bystander.close();
}

// A WebSocket client by hand: handshake, CONNECT, join "stall", then its socket is paused.
// storm: only handshake and CONNECT (nothing joined, still reading).
function stalledClient(stall = true) {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let buffer = Buffer.alloc(0);
    let stage = 0;
    const frame = (text) => {
      const payload = Buffer.from(text);
      const mask = Buffer.from([1, 2, 3, 4]);
      const head = Buffer.from([0x81, 0x80 | payload.length]);
      const masked = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]));
      return Buffer.concat([head, mask, masked]);
    };
    const state = { closed: false, socket };
    socket.on('close', () => { state.closed = true; });
    socket.on('error', () => { state.closed = true; });
    socket.on('connect', () => {
      socket.write('GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1\r\n' +
        'Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n' +
        'Sec-WebSocket-Version: 13\r\n\r\n');
    });
    socket.on('data', (chunk) => {
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
        if (stall) {
          socket.write(frame('42["join","stall"]'));
          socket.pause(); // from now on nothing is read
        }
        resolve(state);
      }
    });
    setTimeout(() => reject(new Error('stalled client: no CONNECT')), 10000);
  });
}

async function stalled(pid, clients, seconds, rate, size) {
  const rssStart = rssMb(pid);
  const stalledClients = [];
  for (let i = 0; i < clients; ++i) stalledClients.push(await stalledClient());
  const bystander = await connect();
  let received = 0;
  bystander.on('msg', () => { ++received; });
  await new Promise((r) => bystander.emit('join', 'stall', r));
  const driver = await connect();
  const watch = startBystander(bystander, 100);
  const data = 'x'.repeat(size);
  const perTick = Math.max(1, Math.round(rate / 100));
  let sent = 0;
  const tick = setInterval(() => { driver.emit('broadcast', 'stall', perTick, data); sent += perTick; }, 10);
  const samples = [];
  for (let s = 1; s <= seconds; ++s) {
    await new Promise((r) => setTimeout(r, 1000));
    const sample = { t: s, rssMb: +rssMb(pid).toFixed(1), sent, bystanderGot: received,
      bystanderWorstMs: watch.worstSince() };
    samples.push(sample);
    console.log(JSON.stringify(sample));
  }
  clearInterval(tick);
  await new Promise((r) => setTimeout(r, 2000)); // let the bystander catch up
  const rtts = watch.stop();
  const result = { mode: 'stalled', clients, seconds, rate, size, rssStartMb: +rssStart.toFixed(1),
    rssMaxMb: Math.max(...samples.map((s) => s.rssMb)), rssEndMb: +rssMb(pid).toFixed(1),
    sent, bystanderGot: received,
    bystanderP99Ms: +percentile(rtts, 99).toFixed(1), bystanderMaxMs: +Math.max(...rtts).toFixed(1) };
  console.log(JSON.stringify(result));
  for (const c of stalledClients) c.socket.destroy();
  driver.close();
  bystander.close();
}

// ROUNDS rounds of CLIENTS raw WebSocket clients that connect (handshake and CONNECT, 500 at a
// time) and are then all killed (TCP reset, no close packet). Prints the server's RSS with the
// clients connected and after each round once it has settled (no change over 2 s, at most 15 s):
// what a connection storm leaves behind.
async function storm(pid, rounds, clients) {
  const rssStart = rssMb(pid);
  const after = [];
  for (let round = 1; round <= rounds; ++round) {
    const open = [];
    for (let i = 0; i < clients; i += 500) {
      const batch = [];
      for (let j = i; j < Math.min(clients, i + 500); ++j) batch.push(stalledClient(false));
      open.push(...(await Promise.all(batch)));
    }
    const connectedMb = +rssMb(pid).toFixed(1);
    for (const c of open) c.socket.resetAndDestroy ? c.socket.resetAndDestroy() : c.socket.destroy();
    let last = rssMb(pid);
    let stable = 0;
    for (let t = 0; t < 30 && stable < 4; ++t) {
      await new Promise((r) => setTimeout(r, 500));
      const rss = rssMb(pid);
      stable = Math.abs(rss - last) < 1 ? stable + 1 : 0;
      last = rss;
    }
    after.push(+last.toFixed(1));
    console.log(JSON.stringify({ round, clients, connectedRssMb: connectedMb, afterRssMb: +last.toFixed(1) }));
  }
  console.log(JSON.stringify({ mode: 'storm', rounds, clients, rssStartMb: +rssStart.toFixed(1), rssAfterRoundsMb: after }));
}

(async () => {
  if (mode === 'storm') await storm(Number(rest[0]), Number(rest[1] || 5), Number(rest[2] || 10000));
  else if (mode === 'rooms') await rooms(Number(rest[0] || 80000));
  else if (mode === 'stalled') {
    await stalled(Number(rest[0]), Number(rest[1] || 200), Number(rest[2] || 30), Number(rest[3] || 1000),
      Number(rest[4] || 1024));
  } else {
    console.error('usage: limits.cjs rooms PORT [ROOMS] | stalled PORT PID [CLIENTS] [SECONDS] [RATE] [SIZE]');
    process.exit(2);
  }
  process.exit(0);
})().catch((e) => { console.error(e.message); process.exit(1); });
