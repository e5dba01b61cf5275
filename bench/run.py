#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The side-by-side benchmark driver (called by scripts/bench).

Runs every workload against our bench server, node socket.io 4.8 and python-socketio, with the
server pinned to one core and the load generator to the other, interleaved over the repeats, and
prints a markdown table: the median with min-max of each server's cost per unit of work, and the
ratios ours/node and ours/python. Server CPU is the busy time of the server's core from
/proc/stat (softirq included), divided by the operations of the measured window.
"""
import argparse
import datetime
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SERVER_CPU = 0
GEN_CPU = 1


def log(*args):
    print(*args, file=sys.stderr, flush=True)


class Server:
    def __init__(self, name, argv, cwd=None, env=None):
        self.name, self.argv, self.cwd, self.env = name, argv, cwd, env
        self.proc = None

    def start(self, port):
        argv = ['taskset', '-c', str(SERVER_CPU)] + [a.replace('{port}', str(port)) for a in self.argv]
        env = dict(os.environ)
        env.update(self.env or {})
        self.errlog = open(f'/tmp/socketio-bench-{self.name.split()[0]}.log', 'w')
        self.proc = subprocess.Popen(argv, cwd=self.cwd, env=env, stdout=subprocess.PIPE,
                                     stderr=self.errlog, text=True, start_new_session=True)
        deadline = time.time() + 20
        while time.time() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            if re.search(r'listening on port \d+', line):
                return self.proc.pid
        self.stop()
        with open(self.errlog.name) as f:
            raise RuntimeError(f'{self.name} did not start on port {port}: {f.read()[-300:]}')

    def stop(self):
        if not self.proc:
            return
        try:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.proc = None
        self.errlog.close()


# name -> (unit label, loadgen arguments, metric)
# metric: 'us'    cpu0 busy microseconds per operation (lower is better)
#         'rss'   KB of server RSS per idle client (rss_steps gives 1k/5k/10k)
#         'cpu%'  cpu0 busy percent at a fixed load, with the p99 latency
def workloads(quick):
    d = ['--warmup', '0.5', '--duration', '1.5'] if quick else ['--warmup', '0.8', '--duration', '2']
    w = []

    def add(name, unit, args, metric='us', quick_ok=True, server_env=None):
        if quick and not quick_ok:
            return
        w.append({'name': name, 'unit': unit, 'args': args, 'metric': metric, 'server_env': server_env})

    add('connect 1k, WebSocket', 'µs/connection', ['--mode', 'connect', '--clients', '1000'])
    add('connect 5k, WebSocket', 'µs/connection', ['--mode', 'connect', '--clients', '5000'], quick_ok=False)
    add('connect 1k, polling + upgrade', 'µs/connection',
        ['--mode', 'connect', '--transport', 'upgrade', '--clients', '1000'])
    add('connect 5k, polling + upgrade', 'µs/connection',
        ['--mode', 'connect', '--transport', 'upgrade', '--clients', '5000'], quick_ok=False)
    add('echo+ack 100 clients, 32 B', 'µs/echo', ['--mode', 'echo', '--clients', '100', '--size', '32'] + d)
    # The msgpack parser (docs/msgpack.md) next to the JSON row above; python is not set up for it.
    add('echo+ack 100 clients, 32 B, msgpack', 'µs/echo',
        ['--mode', 'echo', '--clients', '100', '--size', '32', '--parser', 'msgpack'] + d,
        server_env={'SOCKETIO_BENCH_PARSER': 'msgpack'})
    add('echo+ack 100 clients, 1 KiB', 'µs/echo', ['--mode', 'echo', '--clients', '100', '--size', '1024'] + d,
        quick_ok=False)
    add('echo+ack 1000 clients, 32 B', 'µs/echo', ['--mode', 'echo', '--clients', '1000', '--size', '32'] + d,
        quick_ok=False)
    add('echo+ack 1000 clients, 1 KiB', 'µs/echo',
        ['--mode', 'echo', '--clients', '1000', '--size', '1024'] + d)
    add('broadcast 1k receivers, 1 in flight', 'µs/delivery',
        ['--mode', 'broadcast', '--clients', '1000', '--inflight', '1'] + d)
    add('broadcast 1k receivers, 16 in flight', 'µs/delivery',
        ['--mode', 'broadcast', '--clients', '1000', '--inflight', '16'] + d)
    add('broadcast 5k receivers, 1 in flight', 'µs/delivery',
        ['--mode', 'broadcast', '--clients', '5000', '--inflight', '1'] + d, quick_ok=False)
    add('broadcast 5k receivers, 16 in flight', 'µs/delivery',
        ['--mode', 'broadcast', '--clients', '5000', '--inflight', '16'] + d, quick_ok=False)
    add('broadcast to rooms (1k in 10 rooms, 16 in flight)', 'µs/delivery',
        ['--mode', 'broadcast', '--clients', '1000', '--rooms', '10', '--inflight', '16'] + d)
    add('idle clients', 'KB/client', ['--mode', 'idle', '--clients', '10000' if not quick else '5000',
                                      '--steps', '1000,5000', '--hold', '2'], metric='rss')
    add('echo+ack 100 clients with 5k idle', 'µs/echo',
        ['--mode', 'echo', '--clients', '100', '--size', '32', '--idle', '5000'] + d)
    add('long-polling echo+ack, 100 clients', 'µs/echo',
        ['--mode', 'echo', '--transport', 'polling', '--clients', '100', '--size', '32'] + d)
    add('chat mix: 1k clients, 10 rooms, 400 msg/s', 'cpu0 %',
        ['--mode', 'chat', '--clients', '1000', '--rooms', '10', '--rate', '400', '--size', '64'] + d,
        metric='cpu%')
    return w


def run_one(server, loadgen, wl, port):
    # A workload may set the server's environment (the msgpack row: SOCKETIO_BENCH_PARSER).
    saved_env = server.env
    if wl.get('server_env'):
        server.env = dict(saved_env or {}, **wl['server_env'])
    try:
        return run_one_with_env(server, loadgen, wl, port)
    finally:
        server.env = saved_env


def run_one_with_env(server, loadgen, wl, port):
    try:
        pid = server.start(port)
    except RuntimeError as e:  # once more on another port
        log(f'  {e}')
        port += 500
        pid = server.start(port)
    try:
        time.sleep(0.3)
        argv = ['taskset', '-c', str(GEN_CPU), loadgen, '--port', str(port), '--server-pid', str(pid),
                '--server-cpu', str(SERVER_CPU), '--gen-cpu', str(GEN_CPU)] + wl['args']
        out = subprocess.run(argv, capture_output=True, text=True, timeout=600)
        if out.returncode != 0 or not out.stdout.strip():
            log(f'  {server.name}: loadgen failed ({out.returncode}): {out.stderr.strip()[-300:]}')
            return None
        return json.loads(out.stdout.strip().splitlines()[-1])
    finally:
        server.stop()


def fmt(v, digits=1):
    if v is None:
        return '–'
    if v >= 100:
        return f'{v:.0f}'
    return f'{v:.{digits}f}'


def summary(values):
    values = [v for v in values if v is not None]
    if not values:
        return None
    return statistics.median(values), min(values), max(values)


def cell(s, digits=1):
    if not s:
        return 'n/a'
    med, lo, hi = s
    return f'{fmt(med, digits)} ({fmt(lo, digits)}–{fmt(hi, digits)})'


def ratio(a, b):
    if not a or not b or not b[0]:
        return 'n/a'
    return f'{a[0] / b[0]:.2f}x'


def callgrind_total(path):
    with open(path) as f:
        for line in f:
            if line.startswith('totals:') or line.startswith('summary:'):
                return int(line.split()[1])
    raise RuntimeError(f'no totals in {path}')


def callgrind(build_dir, loadgen, qt):
    """Instructions (Ir) per echo and per broadcast delivery of our server, under callgrind.

    Each workload runs twice with a different number of operations on a fresh server; the
    difference of the two totals divided by the difference of the operations cancels start-up,
    connection setup and shutdown."""
    out_dir = os.path.join(build_dir, 'callgrind')
    os.makedirs(out_dir, exist_ok=True)
    cases = [
        ('echo+ack (1 client, 32 B)', 'Ir/echo', ['--mode', 'echo', '--clients', '1', '--size', '32'], 500, 3000),
        ('echo+ack (1 client, 1 KiB)', 'Ir/echo', ['--mode', 'echo', '--clients', '1', '--size', '1024'], 500, 3000),
        ('broadcast delivery (100 receivers, 32 B)', 'Ir/delivery',
         ['--mode', 'broadcast', '--clients', '100', '--size', '32'], 2000, 12000),
    ]
    rows = []
    port = 22950
    for name, unit, args, n1, n2 in cases:
        totals = []
        for n in (n1, n2):
            port += 1
            out = os.path.join(out_dir, f'callgrind.{port}.out')
            proc = subprocess.Popen(['valgrind', '--tool=callgrind', f'--callgrind-out-file={out}', qt,
                                     '--port', str(port)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                    text=True, env=dict(os.environ, QT_LOGGING_RULES='socketio.*.info=false'))
            while True:
                line = proc.stdout.readline()
                if not line:
                    raise RuntimeError('bench server under valgrind did not start')
                if 'listening on port' in line:
                    break
            r = subprocess.run([loadgen, '--port', str(port), '--warmup', '0', '--messages', str(n)] + args,
                               capture_output=True, text=True, timeout=900)
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=120)
            res = json.loads(r.stdout.strip().splitlines()[-1])
            totals.append((res['ops'], callgrind_total(out)))
            log(f'{name}: {res["ops"]} ops, {totals[-1][1]} Ir')
        (o1, t1), (o2, t2) = totals
        rows.append((name, unit, (t2 - t1) / max(1, o2 - o1)))
    print('| Operation | Unit | Instructions |')
    print('|---|---|---|')
    for name, unit, v in rows:
        print(f'| {name} | {unit} | {v:,.0f} |')
    print()
    print(f'valgrind --tool=callgrind on socketio-bench-server (Release); (Ir(N2) - Ir(N1)) / (N2 - N1). '
          f'{machine_info()}')


# --- the client benchmark (scripts/bench --client) ---
# name -> bench client arguments; both clients print us_per_op and kb_per_conn.
def client_workloads(quick):
    d = ['--warmup', '0.5', '--duration', '1.5'] if quick else ['--warmup', '0.8', '--duration', '2']
    w = [('echo+ack 100 connections, 32 B', ['--clients', '100', '--size', '32'] + d),
         ('echo+ack 1000 connections, 32 B', ['--clients', '1000', '--size', '32'] + d)]
    if not quick:
        w.insert(1, ('echo+ack 100 connections, 1 KiB', ['--clients', '100', '--size', '1024'] + d))
    return w


def run_client(server, argv, port):
    """One client run against a fresh server: server on SERVER_CPU, client on GEN_CPU."""
    try:
        server.start(port)
    except RuntimeError as e:
        log(f'  {e}')
        port += 500
        server.start(port)
    try:
        time.sleep(0.3)
        out = subprocess.run(['taskset', '-c', str(GEN_CPU)] + argv + ['--port', str(port)],
                             capture_output=True, text=True, timeout=300)
        if out.returncode != 0 or not out.stdout.strip():
            log(f'  client failed ({out.returncode}): {out.stderr.strip()[-300:]}')
            return None
        return json.loads(out.stdout.strip().splitlines()[-1])
    finally:
        server.stop()


def client_bench(args, qt_server):
    ours = os.path.join(args.build_dir, 'bench/client/socketio-client-bench')
    node_dir = os.path.join(ROOT, 'bench/client-node')
    clients = {'qt': ('ours (Qt client)', [ours]),
               'qt-stock': ("ours, Qt's dispatcher", [ours, '--qt-dispatcher']),
               'node': ('node socket.io-client', ['node', '--expose-gc', os.path.join(node_dir, 'client.js')])}
    if args.callgrind:
        client_callgrind(args.build_dir, ours, qt_server)
        return
    repeats = args.repeats or (2 if args.quick else 5)
    wls = client_workloads(args.quick)
    if args.only:
        wls = [w for w in wls if re.search(args.only, w[0])]
    results = {(w[0], c): [] for w in wls for c in clients}
    port = 24000
    started = time.time()
    for rep in range(repeats):
        for name, wargs in wls:
            for c, (_, argv) in clients.items():
                port = port + 1 if port < 24400 else 24001
                log(f'[{rep + 1}/{repeats}] {name}: {c}')
                try:
                    r = run_client(qt_server, argv + wargs, port)
                except Exception as e:
                    log(f'  {c}: {e}')
                    r = None
                results[(name, c)].append(r)
                if r:
                    log(f'  ops {r["ops"]} errors {r["errors"]} cpu {r["cpu_util"]:.2f} us/op '
                        f'{r["us_per_op"]:.1f} KB/conn {r["kb_per_conn"]:.1f}')
    elapsed = time.time() - started
    if args.json:
        with open(args.json, 'w') as f:
            json.dump({f'{k[0]} | {k[1]}': v for k, v in results.items()}, f, indent=1)

    def s(name, c, key):
        return summary([r[key] for r in results[(name, c)] if r and r['ops'] and not r['errors']])

    rows = []
    for name, wargs in wls:
        rows.append((name + ', client CPU', 'µs/echo', {c: s(name, c, 'us_per_op') for c in clients}))
        rows.append((name + ', client memory', 'KB RSS/connection', {c: s(name, c, 'kb_per_conn') for c in clients}))
    head = ['Workload', 'Unit'] + [clients[c][0] for c in clients] + ['ours/node', "ours (Qt's dispatcher)/node"]
    print('| ' + ' | '.join(head) + ' |')
    print('|' + '---|' * len(head))
    for name, unit, sm in rows:
        print('| ' + ' | '.join([name, unit] + [cell(sm[c]) for c in clients]
                                + [ratio(sm['qt'], sm['node']), ratio(sm['qt-stock'], sm['node'])]) + ' |')
    print()
    print(f'Median (min–max) of {repeats} interleaved repeats; our bench server pinned to cpu{SERVER_CPU}, '
          f'the client to cpu{GEN_CPU}; CPU = the client process\'s own CPU time (getrusage / '
          f'process.cpuUsage) per acknowledged echo; memory = RSS growth from 10 connections to all, '
          f'per connection (node after a GC). "ours" runs on the library\'s epoll event dispatcher '
          f'(SocketIo::installEventDispatcher(), as the bench server), "Qt\'s dispatcher" on Qt\'s '
          f'stock one. Run time {elapsed / 60:.1f} min.')
    print()
    print(machine_info() + f' socket.io-client {client_version()}.')


def client_version():
    try:
        with open(os.path.join(ROOT, 'bench/client-node/node_modules/socket.io-client/package.json')) as f:
            return json.load(f)['version']
    except OSError:
        return '?'


def client_callgrind(build_dir, ours, qt_server):
    """Instructions (Ir) per echo of our client under callgrind, against our bench server."""
    out_dir = os.path.join(build_dir, 'callgrind')
    os.makedirs(out_dir, exist_ok=True)
    cases = [('client echo+ack (1 connection, 32 B)', ['--clients', '1', '--size', '32'], 500, 3000),
             ('client echo+ack (100 connections, 32 B)', ['--clients', '100', '--size', '32'], 2000, 12000),
             ('client echo+ack (1 connection, 1 KiB)', ['--clients', '1', '--size', '1024'], 500, 3000)]
    rows = []
    port = 24900
    for name, wargs, n1, n2 in cases:
        totals = []
        for n in (n1, n2):
            port += 1
            out = os.path.join(out_dir, f'callgrind.client.{port}.out')
            qt_server.start(port)
            try:
                r = subprocess.run(['valgrind', '--tool=callgrind', f'--callgrind-out-file={out}', ours,
                                    '--port', str(port), '--messages', str(n)] + wargs,
                                   capture_output=True, text=True, timeout=900,
                                   env=dict(os.environ, QT_LOGGING_RULES='socketio.*.info=false'))
            finally:
                qt_server.stop()
            res = json.loads(r.stdout.strip().splitlines()[-1])
            totals.append((echoes_total(res), callgrind_total(out)))
            log(f'{name}: {totals[-1][0]} echoes, {totals[-1][1]} Ir')
        (o1, t1), (o2, t2) = totals
        rows.append((name, (t2 - t1) / max(1, o2 - o1)))
    print('| Operation | Unit | Instructions |')
    print('|---|---|---|')
    for name, v in rows:
        print(f'| {name} | Ir/echo | {v:,.0f} |')
    print()
    print(f'valgrind --tool=callgrind on socketio-client-bench (Release), against our bench server; '
          f'(Ir(N2) - Ir(N1)) / (N2 - N1). {machine_info()}')


def echoes_total(res):
    return res['ops']


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--callgrind', action='store_true')
    ap.add_argument('--client', action='store_true', help='the client benchmark (ours against node socket.io-client)')
    ap.add_argument('--build-dir', required=True)
    ap.add_argument('--quick', action='store_true')
    ap.add_argument('--repeats', type=int)
    ap.add_argument('--servers', default='qt,node,python')
    ap.add_argument('--only', help='regular expression: run the workloads whose name matches')
    ap.add_argument('--json', help='write every raw result to this file')
    args = ap.parse_args()

    loadgen = os.path.join(args.build_dir, 'bench/loadgen/socketio-loadgen')
    qt = os.path.join(args.build_dir, 'bench/servers/qt/socketio-bench-server')
    all_servers = {
        'qt': Server('ours', [qt, '--port', '{port}'], env={'QT_LOGGING_RULES': 'socketio.*.info=false'}),
        'qt-stock': Server('ours (Qt dispatcher)', [qt, '--port', '{port}', '--qt-dispatcher'],
                           env={'QT_LOGGING_RULES': 'socketio.*.info=false'}),
        'qt-plain': Server('plain QWebSocketServer', [os.path.join(args.build_dir, 'bench/servers/qt-plain/socketio-bench-plain'),
                                                      '{port}']),
        'node': Server('node', ['node', 'server.js', '{port}'], cwd=os.path.join(ROOT, 'bench/servers/node')),
        'python': Server('python', ['/usr/bin/python3', 'server.py', '{port}'],
                         cwd=os.path.join(ROOT, 'bench/servers/python')),
    }
    if args.client:
        client_bench(args, all_servers['qt'])
        return
    if args.callgrind:
        callgrind(args.build_dir, loadgen, qt)
        return
    names = [n for n in args.servers.split(',') if n in all_servers]
    repeats = args.repeats or (2 if args.quick else 5)
    wls = workloads(args.quick)
    if args.only:
        wls = [w for w in wls if re.search(args.only, w['name'])]

    results = {(w['name'], n): [] for w in wls for n in names}
    port = 21000
    started = time.time()
    # Interleaved: every repeat runs every workload on every server, in turn.
    for rep in range(repeats):
        for w in wls:
            for n in names:
                port = port + 1 if port < 21400 else 21001
                log(f'[{rep + 1}/{repeats}] {w["name"]}: {n}')
                try:
                    r = run_one(all_servers[n], loadgen, w, port)
                except Exception as e:  # a server that does not start counts as missing
                    log(f'  {n}: {e}')
                    r = None
                results[(w['name'], n)].append(r)
                if r:
                    log(f'  ops {r["ops"]} cpu0 {r["cpu0_util"]:.2f} gen {r["gen_cpu_util"]:.2f} '
                        f'us/op {r["us_per_op"]:.1f} errors {r["errors"]}')
    elapsed = time.time() - started

    if args.json:
        with open(args.json, 'w') as f:
            json.dump({f'{k[0]} | {k[1]}': v for k, v in results.items()}, f, indent=1)

    # --- the table ---
    rows = []
    notes = []

    def metric_values(w, n, key):
        out = []
        for r in results[(w['name'], n)]:
            if not r:
                continue
            out.append(key(r))
        return out

    def bound_note(w, n):
        rs = [r for r in results[(w['name'], n)] if r]
        if not rs or w['metric'] != 'us' or w['args'][1] in ('connect', 'idle'):
            return ''
        cpu0 = statistics.median(r['cpu0_util'] for r in rs)
        gen = statistics.median(r['gen_cpu_util'] for r in rs)
        if cpu0 < 0.95 or gen >= 0.85:
            return f'{n}: cpu0 {cpu0 * 100:.0f}%, generator core {gen * 100:.0f}%'
        return ''

    echo_plain = {}
    for w in wls:
        if w['metric'] == 'us':
            s = {n: summary(metric_values(w, n, lambda r: r['us_per_op'] if r['ops'] else None)) for n in names}
            rows.append((w['name'], w['unit'], s, 1))
            bn = [b for b in (bound_note(w, n) for n in names) if b]
            if bn:
                notes.append(f'{w["name"]}: not server-bound by the rule ({"; ".join(bn)})')
            if w['name'] == 'echo+ack 100 clients, 32 B':
                echo_plain = {n: summary(metric_values(w, n, lambda r: r['throughput'])) for n in names}
            if w['name'] == 'echo+ack 100 clients with 5k idle' and echo_plain:
                thr = {n: summary(metric_values(w, n, lambda r: r['throughput'])) for n in names}
                rel = {}
                for n in names:
                    if thr.get(n) and echo_plain.get(n):
                        v = thr[n][0] / echo_plain[n][0]
                        rel[n] = (v, v, v)
                    else:
                        rel[n] = None
                rows.append(('echo throughput with 5k idle / without', 'ratio', rel, 2))
        elif w['metric'] == 'rss':
            for step in (1000, 5000, 10000):
                def per_client(r, step=step):
                    for n_clients, kb in r.get('rss_steps', []):
                        if n_clients == step and r['rss_before_kb']:
                            return (kb - r['rss_before_kb']) / n_clients
                    return None
                s = {n: summary(metric_values(w, n, per_client)) for n in names}
                if any(s.values()):
                    rows.append((f'idle memory at {step // 1000}k clients', 'KB RSS/client', s, 1))
        elif w['metric'] == 'cpu%':
            s = {n: summary(metric_values(w, n, lambda r: r['cpu0_util'] * 100)) for n in names}
            rows.append((w['name'], 'cpu0 %', s, 1))
            s = {n: summary(metric_values(w, n, lambda r: r['p99_us'] / 1000)) for n in names}
            rows.append((w['name'] + ', p99 ack latency', 'ms', s, 2))

    head = ['Workload', 'Unit'] + [all_servers[n].name for n in names]
    if 'qt' in names and 'node' in names:
        head.append('ours/node')
    if 'qt' in names and 'python' in names:
        head.append('ours/python')
    lines = ['| ' + ' | '.join(head) + ' |', '|' + '---|' * len(head)]
    for name, unit, s, digits in rows:
        cells = [name, unit] + [cell(s.get(n), digits) for n in names]
        if 'qt' in names and 'node' in names:
            cells.append(ratio(s.get('qt'), s.get('node')))
        if 'qt' in names and 'python' in names:
            cells.append(ratio(s.get('qt'), s.get('python')))
        lines.append('| ' + ' | '.join(cells) + ' |')
    print('\n'.join(lines))
    print()
    print(f'Median (min–max) of {repeats} interleaved repeats; server pinned to cpu{SERVER_CPU}, '
          f'load generator to cpu{GEN_CPU}; CPU = busy time of cpu{SERVER_CPU} (/proc/stat, softirq '
          f'included) per unit. Run time {elapsed / 60:.1f} min.')
    for note in notes:
        print(f'- {note}')
    print()
    print(machine_info())


def version(cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=10).stdout.strip()
    except Exception:
        return '?'


def machine_info():
    cpu = '?'
    try:
        with open('/proc/cpuinfo') as f:
            for line in f:
                if line.startswith('model name'):
                    cpu = line.split(':', 1)[1].strip()
                    break
    except OSError:
        pass
    node_sio = '?'
    try:
        with open(os.path.join(ROOT, 'bench/servers/node/node_modules/socket.io/package.json')) as f:
            node_sio = json.load(f)['version']
    except OSError:
        pass
    pysio = version(['/usr/bin/python3', '-c', 'import importlib.metadata as m; print(m.version("python-socketio"), m.version("aiohttp"))'])
    qt = version(['qtpaths6', '--qt-version']) or version(['qmake6', '-query', 'QT_VERSION'])
    return (f'Machine: {cpu}, {os.cpu_count()} cores, Linux {platform.release()}; '
            f'Qt {qt}; node {version(["node", "--version"])} with socket.io {node_sio}; '
            f'python-socketio/aiohttp {pysio}; '
            f'date {datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")}.')


if __name__ == '__main__':
    main()
