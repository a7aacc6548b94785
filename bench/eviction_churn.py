#!/usr/bin/env python3
"""Acknowledged writes lost under eviction churn (bench/reliability.sh).

Against a running multi-user server started with a small --max-challengers (and
--unlimited-todos), registers LEARNERS challengers, then WORKERS keep-alive clients
POST todos for learners picked at random for SECONDS, so learners are evicted and
reloaded all the time. Every 201 is an acknowledged write; afterwards each learner's
unpaged export must hold every acknowledged id. Prints one JSON line.
Bounded: fixed counts and duration, loopback only.
"""
import argparse
import asyncio
import json
import random
import time


async def request(reader, writer, method, path, headers=None, body=b""):
    head = f"{method} {path} HTTP/1.1\r\nHost: bench\r\nContent-Length: {len(body)}\r\n"
    for k, v in (headers or {}).items():
        head += f"{k}: {v}\r\n"
    writer.write(head.encode() + b"\r\n" + body)
    await writer.drain()
    status_line = await reader.readline()
    status = int(status_line.split()[1])
    length = 0
    response_headers = {}
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b""):
            break
        name, _, value = line.decode().partition(":")
        response_headers[name.strip().lower()] = value.strip()
        if name.lower() == "content-length":
            length = int(value)
    data = await reader.readexactly(length) if length else b""
    return status, response_headers, data


async def worker(port, learners, end, acked, counts):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    n = 0
    while time.time() < end:
        guid = random.choice(learners)
        body = json.dumps({"title": f"churn {n}"}).encode()
        status, _, data = await request(reader, writer, "POST", "/api/todos",
                                        {"X-CHALLENGER": guid, "Content-Type": "application/json"},
                                        body)
        counts[status] = counts.get(status, 0) + 1
        if status == 201:
            acked.setdefault(guid, []).append(json.loads(data)["id"])
        n += 1
    writer.close()


async def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--learners", type=int, default=200)
    ap.add_argument("--workers", type=int, default=32)
    ap.add_argument("--seconds", type=float, default=30)
    args = ap.parse_args()
    reader, writer = await asyncio.open_connection("127.0.0.1", args.port)
    learners = []
    for _ in range(args.learners):
        status, headers, _ = await request(reader, writer, "POST", "/api/challenger")
        assert status == 201, status
        learners.append(headers["x-challenger"])
    acked, counts = {}, {}
    started = time.time()
    end = started + args.seconds
    await asyncio.gather(*(worker(args.port, learners, end, acked, counts)
                           for _ in range(args.workers)))
    elapsed = time.time() - started
    # The registering connection sat idle past the keep-alive timeout: a fresh one.
    writer.close()
    reader, writer = await asyncio.open_connection("127.0.0.1", args.port)
    lost = duplicates = total = 0
    for guid in learners:
        status, _, data = await request(reader, writer, "GET", f"/api/challenger/database/{guid}",
                                        {"X-CHALLENGER": guid})
        stored = {t["id"] for t in json.loads(data)["todos"]} if status == 200 else set()
        ids = acked.get(guid, [])
        total += len(ids)
        duplicates += len(ids) - len(set(ids))
        lost += sum(1 for i in ids if i not in stored)
    writer.close()
    print(json.dumps({"learners": args.learners, "workers": args.workers,
                      "seconds": round(elapsed, 1), "statuses": counts,
                      "acknowledged": total, "lost": lost, "duplicate_ids": duplicates,
                      "creates_per_s": round(total / elapsed)}))


if __name__ == "__main__":
    asyncio.run(main())
