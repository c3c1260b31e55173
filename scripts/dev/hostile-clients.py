#!/usr/bin/env python3
"""Replays the attacks of the hostile-clients review against a running hub, on loopback, and
prints what the hub's process did (RSS, CPU, descriptors) as JSON lines. For measuring, not for
CI: the regression tests live in tests/ (tst_hostileclients, tst_wstransport, tst_wshubauth,
tst_wshub, tst_channelregistry).

    scripts/dev/hostile-clients.py PID PORT stalled-handshakes [--count 1100]
    scripts/dev/hostile-clients.py PID PORT ping-flood [--pings 1500000]
    scripts/dev/hostile-clients.py PID PORT history-flood [--clients 4] [--seconds 20]
    scripts/dev/hostile-clients.py PID PORT audit-flood --redis-port N --data-dir DIR

PID is the hub's process id (for /proc), PORT its WebSocket port. audit-flood publishes 64 KiB
non-JSON events on channel:inventory:change through the hub's Redis at 1 500/s for 10 s and
reports the size of the data folder.
"""

import argparse
import base64
import json
import os
import socket
import threading
import time


def process_figures(pid):
    with open(f"/proc/{pid}/status") as status:
        rss_kb = next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return {
        "rss_mb": round(rss_kb / 1024, 1),
        "cpu_s": round((int(fields[11]) + int(fields[12])) / ticks, 2),
        "descriptors": len(os.listdir(f"/proc/{pid}/fd")),
    }


def report(pid, stage, **extra):
    print(json.dumps({"stage": stage, **process_figures(pid), **extra}), flush=True)


def frame(opcode, payload):
    """A masked client frame (the mask is zero: the bytes stay as they are)."""
    header = bytes([0x80 | opcode])
    if len(payload) < 126:
        header += bytes([0x80 | len(payload)])
    elif len(payload) <= 0xFFFF:
        header += bytes([0x80 | 126]) + len(payload).to_bytes(2, "big")
    else:
        header += bytes([0x80 | 127]) + len(payload).to_bytes(8, "big")
    return header + b"\0\0\0\0" + payload


def open_websocket(port):
    connection = socket.create_connection(("127.0.0.1", port))
    key = base64.b64encode(os.urandom(16)).decode()
    connection.sendall(
        f"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n".encode()
    )
    answer = b""
    while b"\r\n\r\n" not in answer:
        chunk = connection.recv(4096)
        if not chunk:
            raise RuntimeError("the hub closed the handshake")
        answer += chunk
    if not answer.startswith(b"HTTP/1.1 101"):
        raise RuntimeError(answer.split(b"\r\n")[0].decode())
    return connection


def stalled_handshakes(args):
    report(args.pid, "before")
    held = []
    for i in range(args.count):
        source = f"127.0.0.{2 + i // 60}"  # spread over addresses, as a botnet would be
        try:
            connection = socket.socket()
            connection.bind((source, 0))
            connection.connect(("127.0.0.1", args.port))
            connection.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n")
            held.append(connection)
        except OSError as error:
            print(json.dumps({"stage": "connect failed", "after": i, "error": str(error)}))
            break
    time.sleep(1)
    report(args.pid, "held", connections=len(held))
    cpu = process_figures(args.pid)["cpu_s"]
    time.sleep(3)
    report(args.pid, "3 s later", cpu_used_s=round(process_figures(args.pid)["cpu_s"] - cpu, 2))
    started = time.monotonic()
    open_websocket(args.port).close()
    report(args.pid, "a normal client got in", after_s=round(time.monotonic() - started, 2))
    time.sleep(args.timeout + 1)
    alive = 0
    for connection in held:
        connection.setblocking(False)
        try:
            alive += connection.recv(1) != b""
        except BlockingIOError:
            alive += 1
        except OSError:
            pass
    report(args.pid, f"{args.timeout + 1} s later", still_open=alive)


def ping_flood(args):
    report(args.pid, "before")
    connection = open_websocket(args.port)
    # and never reads what comes back
    batch = frame(0x9, b"p" * 125) * 1000
    sent = 0
    try:
        while sent < args.pings:
            connection.sendall(batch)
            sent += 1000
    except OSError as error:
        print(json.dumps({"stage": "the hub closed the flood", "pings_sent": sent,
                          "error": str(error)}))
    time.sleep(1)
    report(args.pid, "after", pings_sent=sent)


def history_flood(args):
    report(args.pid, "before")
    payload = json.dumps({"blob": "x" * 60_000})
    stop = time.monotonic() + args.seconds
    published = [0] * args.clients

    def publisher(index):
        connection = open_websocket(args.port)
        reader = threading.Thread(target=lambda: [None for _ in iter(lambda: connection.recv(65536), b"")],
                                  daemon=True)
        reader.start()
        n = 0
        while time.monotonic() < stop:
            request = json.dumps({"type": "publish", "channel": f"flood-{index}-{n}", "data": payload})
            connection.sendall(frame(0x1, request.encode()))
            n += 1
            published[index] = n
            time.sleep(1 / 95)  # under the request rate

    threads = [threading.Thread(target=publisher, args=(i,)) for i in range(args.clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    report(args.pid, "after", messages=sum(published), offered_mb=round(sum(published) * 0.06, 1))


def folder_mb(path):
    total = 0
    for root, _, files in os.walk(path):
        total += sum(os.path.getsize(os.path.join(root, name)) for name in files)
    return round(total / 1e6, 1)


def audit_flood(args):
    report(args.pid, "before", data_mb=folder_mb(args.data_dir))
    redis = socket.create_connection(("127.0.0.1", args.redis_port))
    payload = b"x" * 65536
    command = (b"*3\r\n$7\r\nPUBLISH\r\n$24\r\nchannel:inventory:change\r\n$"
               + str(len(payload)).encode() + b"\r\n" + payload + b"\r\n")
    threading.Thread(target=lambda: [None for _ in iter(lambda: redis.recv(65536), b"")],
                     daemon=True).start()
    peak = 0
    started = time.monotonic()
    for tick in range(args.seconds * 10):  # 150 events every 100 ms
        redis.sendall(command * (args.rate // 10))
        peak = max(peak, folder_mb(args.data_dir))
        time.sleep(max(0.0, started + (tick + 1) / 10 - time.monotonic()))
    report(args.pid, "after the flood", data_mb=folder_mb(args.data_dir), peak_data_mb=peak,
           events=args.seconds * args.rate)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("pid", type=int)
    parser.add_argument("port", type=int)
    sub = parser.add_subparsers(dest="attack", required=True)
    stalled = sub.add_parser("stalled-handshakes")
    stalled.add_argument("--count", type=int, default=1100)
    stalled.add_argument("--timeout", type=int, default=5, help="the hub's handshake timeout, s")
    pings = sub.add_parser("ping-flood")
    pings.add_argument("--pings", type=int, default=1_500_000)
    history = sub.add_parser("history-flood")
    history.add_argument("--clients", type=int, default=4)
    history.add_argument("--seconds", type=int, default=20)
    audit = sub.add_parser("audit-flood")
    audit.add_argument("--redis-port", type=int, required=True)
    audit.add_argument("--data-dir", required=True)
    audit.add_argument("--rate", type=int, default=1500)
    audit.add_argument("--seconds", type=int, default=10)
    args = parser.parse_args()
    {"stalled-handshakes": stalled_handshakes, "ping-flood": ping_flood,
     "history-flood": history_flood, "audit-flood": audit_flood}[args.attack](args)


if __name__ == "__main__":
    main()
