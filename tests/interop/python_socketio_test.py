#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Debian's python3-socketio client against our echo server (Socket.IO mode).

Usage: python_socketio_test.py <socketio-echo-server>
Starts the server on port 0, reads its port, runs the checks, stops it. Exits non-zero on
any failure. Waits on events with timeouts as safety nets only.
"""
import subprocess
import sys
import threading

import socketio

TIMEOUT = 10


def start_server(binary):
    server = subprocess.Popen([binary, '--port', '0'], stdout=subprocess.PIPE, text=True)
    for line in server.stdout:
        if line.startswith('listening on port '):
            return server, int(line.split()[-1])
    raise RuntimeError('the echo server exited before listening')


def check(transports, url):
    client = socketio.Client(reconnection=False)
    auth_seen = threading.Event()
    back = []
    back_seen = threading.Event()
    custom_auth = []
    custom_seen = threading.Event()

    @client.on('auth')
    def on_auth(data):
        auth_seen.set()

    @client.on('message-back')
    def on_back(*args):
        back.append(args)
        back_seen.set()

    @client.on('auth', namespace='/custom')
    def on_custom_auth(data):
        custom_auth.append(data)
        custom_seen.set()

    questions = []

    @client.on('question')
    def on_question(a, b):
        questions.append((a, b))
        return a + b, b'\x07'

    custom_gone = threading.Event()

    @client.on('disconnect', namespace='/custom')
    def on_custom_disconnect():
        custom_gone.set()

    client.connect(url, transports=transports, namespaces=['/', '/custom'], auth={'token': 'py'})
    assert auth_seen.wait(TIMEOUT), 'no auth event'
    assert custom_seen.wait(TIMEOUT), 'no auth event on /custom'
    assert custom_auth == [{'token': 'py'}], custom_auth
    client.emit('message', (1, '2', {'3': [True]}, b'\x01\x02\x03'))
    assert back_seen.wait(TIMEOUT), 'no message-back'
    assert back == [(1, '2', {'3': [True]}, b'\x01\x02\x03')], back
    reply = client.call('message-with-ack', ('x', b'\x04\x05'), timeout=TIMEOUT)
    assert reply == ('x', b'\x04\x05'), reply
    # The server asks with an ack; the handler's return value is the answer.
    answer = client.call('ask', (5000, 'question', 1, 2), timeout=TIMEOUT)
    assert questions == [(1, 2)], questions
    assert answer == {'status': 'received', 'args': [3, b'\x07']}, answer
    # The server disconnects /custom; the main namespace stays.
    client.emit('disconnect-me', namespace='/custom')
    assert custom_gone.wait(TIMEOUT), 'no disconnect on /custom'
    assert '/custom' not in client.namespaces, client.namespaces
    assert client.call('message-with-ack', 'still', timeout=TIMEOUT) == 'still'
    print(f'{"+".join(transports)}: connected over {client.transport()}, echo, binary, acks both ways, '
          '/custom, server disconnect ok')
    client.disconnect()
    assert not client.connected


def main():
    server, port = start_server(sys.argv[1])
    url = f'http://127.0.0.1:{port}'
    failures = 0
    try:
        for transports in (['polling', 'websocket'], ['polling'], ['websocket']):
            try:
                check(transports, url)
            except Exception as error:  # report every case, then fail
                failures += 1
                print(f'FAIL {"+".join(transports)}: {error!r}')
    finally:
        server.terminate()
        server.wait(TIMEOUT)
    print(f'{3 - failures} passed, {failures} failed')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
