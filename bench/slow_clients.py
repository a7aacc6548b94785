#!/usr/bin/env python3
"""Slow and silent clients against a running server on 127.0.0.1 (bench/reliability.sh).

Opens COUNT connections of one kind and keeps them open, measures the server's RSS
before and after, then times a normal client (a fresh connection per request, as
curl does) for a few seconds while they are held. Prints one JSON line.

Kinds:  silent   connect and send nothing
        idle     send one GET /api/todos, never read the answer
        stalled  send 256 GET /api/todos back to back and never read (the
                 server's writes block once the socket buffers fill)

Bounded: COUNT connections, every wait has a deadline, loopback only.
"""
import argparse
import json
import resource
import socket
import subprocess
import time

REQUEST = b"GET /api/todos HTTP/1.1\r\nHost: bench\r\n\r\n"


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def server_connections(port):
    out = subprocess.run(
        ["ss", "-tnH", "state", "established", f"( sport = :{port} )"],
        capture_output=True, text=True, check=False).stdout
    return sum(1 for line in out.splitlines() if line.strip())


def open_all(port, count, kind, deadline):
    socks = []
    for _ in range(count):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        if kind == "stalled":
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        s.setblocking(False)
        try:
            s.connect(("127.0.0.1", port))
        except BlockingIOError:
            pass
        socks.append(s)
        if time.time() > deadline:
            break
    # Wait until each is connected (writable), then send what the kind sends.
    pending = list(socks)
    while pending and time.time() < deadline:
        still = []
        for s in pending:
            err = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            if err:
                continue
            try:
                if kind == "idle":
                    s.send(REQUEST)
                elif kind == "stalled":
                    # ~10 KB of requests: their answers overflow the server's send
                    # buffer and this socket's small receive buffer several times.
                    s.send(REQUEST * 256)
            except BlockingIOError:
                still.append(s)
            except OSError:
                continue
        pending = still
        if pending:
            time.sleep(0.05)
    return socks


def normal_client(port, seconds):
    latencies = []
    failures = 0
    end = time.time() + seconds
    while time.time() < end:
        started = time.time()
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
                s.sendall(b"GET /api/heartbeat HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n")
                data = b""
                while b"\r\n\r\n" not in data:
                    chunk = s.recv(4096)
                    if not chunk:
                        break
                    data += chunk
                if not data.startswith(b"HTTP/1.1 204"):
                    failures += 1
                    continue
        except OSError:
            failures += 1
            continue
        latencies.append(time.time() - started)
    latencies.sort()

    def pct(p):
        if not latencies:
            return None
        return round(latencies[min(len(latencies) - 1, int(len(latencies) * p))] * 1000, 2)

    return {"requests": len(latencies), "failures": failures,
            "p50_ms": pct(0.50), "p99_ms": pct(0.99),
            "max_ms": round(latencies[-1] * 1000, 2) if latencies else None}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--pid", type=int, required=True)
    ap.add_argument("--count", type=int, default=10050)
    ap.add_argument("--kind", choices=["silent", "idle", "stalled"], default="stalled")
    ap.add_argument("--normal-secs", type=float, default=10)
    ap.add_argument("--settle-secs", type=float, default=2)
    args = ap.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    before = rss_kb(args.pid)
    socks = open_all(args.port, args.count, args.kind, time.time() + 60)
    time.sleep(args.settle_secs)
    held = server_connections(args.port)
    after = rss_kb(args.pid)
    normal = normal_client(args.port, args.normal_secs)
    peak = rss_kb(args.pid)
    result = {
        "kind": args.kind, "attempted": args.count, "held_by_server": held,
        "rss_before_mb": round(before / 1024, 1), "rss_held_mb": round(after / 1024, 1),
        "rss_after_normal_mb": round(peak / 1024, 1),
        "kb_per_connection": round((after - before) / held, 1) if held else None,
        "normal_client": normal,
    }
    print(json.dumps(result))
    for s in socks:
        s.close()


if __name__ == "__main__":
    main()
