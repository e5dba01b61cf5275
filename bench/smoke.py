#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# CTest smoke test (label bench): the load generator against our bench server for a few hundred
# messages per workload, and our client's bench program (bench/client) if given; checks the counts
# in their JSON output, never the timings.
import json
import re
import signal
import subprocess
import sys

server_bin, loadgen = sys.argv[1], sys.argv[2]
client_bench = sys.argv[3] if len(sys.argv) > 3 else None
server = subprocess.Popen([server_bin, '--port', '0'], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
port = None
for line in server.stdout:
    m = re.search(r'listening on port (\d+)', line)
    if m:
        port = m.group(1)
        break
if not port:
    sys.exit('bench server did not start')

cases = [
    (['--mode', 'echo', '--clients', '5', '--messages', '300'], 'ops', 300),
    (['--mode', 'echo', '--transport', 'polling', '--clients', '3', '--messages', '100'], 'ops', 100),
    (['--mode', 'broadcast', '--clients', '20', '--inflight', '2', '--messages', '400'], 'deliveries', 400),
    (['--mode', 'broadcast', '--clients', '20', '--rooms', '2', '--messages', '200'], 'deliveries', 200),
    (['--mode', 'connect', '--clients', '50'], 'ops', 50),
    (['--mode', 'connect', '--transport', 'upgrade', '--clients', '20'], 'ops', 20),
    (['--mode', 'idle', '--clients', '30', '--hold', '0.1'], 'ops', 30),
    (['--mode', 'chat', '--clients', '20', '--rooms', '2', '--rate', '200', '--messages', '50'], 'ops', 50),
]
failed = 0
try:
    for args, key, want in cases:
        r = subprocess.run([loadgen, '--port', port, '--warmup', '0'] + args, capture_output=True, text=True,
                           timeout=60)
        try:
            res = json.loads(r.stdout.strip().splitlines()[-1])
        except (IndexError, ValueError):
            res = {}
        ok = r.returncode == 0 and res.get(key, 0) >= want and res.get('errors', 1) == 0
        print(('PASS' if ok else 'FAIL'), ' '.join(args), f'{key}={res.get(key)} errors={res.get("errors")}')
        if not ok:
            print(r.stderr, file=sys.stderr)
            failed += 1
    if client_bench:
        for extra in ([], ['--qt-dispatcher']):
            args = ['--clients', '30', '--messages', '300'] + extra
            r = subprocess.run([client_bench, '--port', port] + args, capture_output=True, text=True, timeout=60)
            try:
                res = json.loads(r.stdout.strip().splitlines()[-1])
            except (IndexError, ValueError):
                res = {}
            ok = (r.returncode == 0 and res.get('ops', 0) >= 300 and res.get('errors', 1) == 0
                  and res.get('connected') == 30 and res.get('kb_per_conn', 0) > 0)
            print(('PASS' if ok else 'FAIL'), 'client bench', ' '.join(args), f'ops={res.get("ops")}')
            if not ok:
                print(r.stderr, file=sys.stderr)
                failed += 1
finally:
    server.send_signal(signal.SIGTERM)
    server.wait(timeout=30)
sys.exit(1 if failed else 0)
