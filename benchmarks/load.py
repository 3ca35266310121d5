"""Loopback load on the real app: directory, search, organisation page and match, on SQLite and
PostgreSQL, with a bare FastAPI JSON endpoint on the same server as the ceiling.

    .venv/bin/python benchmarks/load.py [--duration 10] [--connections 64]
        [--backends sqlite postgresql] [--gzip]

Needs `wrk` (Debian package). One uvicorn worker serves the app in its own process; wrk runs
with 2 threads. The API rate limit is turned off for the run (all load comes from one
loopback address, which the default 600 requests/min per IP would throttle at once). With
`--gzip` every request accepts gzip, as browsers do; the transfer size of each target is printed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from sqlalchemy import text

ROOT = Path(__file__).resolve().parents[1]
PG_URL = os.environ.get(
    "INNOCHAIN_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
MATCH_LUA = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"text": "面向800V平台的车规级碳化硅功率模块 SiC power module", "limit": 10}'
"""
TARGETS = {
    "bare": "/bare",
    "directory page": "/organizations",
    "directory page, filtered": "/organizations?kind=supplier&province=Jiangsu",
    "search API": "/api/v1/organizations?q=%E7%94%B5%E6%B1%A0",
    "organisation page": "/organizations/catl",
    "match API": "/api/v1/match",
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _database(backend: str, folder: Path) -> str:
    from innochain.data import load_bundled
    from innochain.store import make_engine, upgrade
    from innochain.store.db import make_sessionmaker, session_scope

    if backend == "sqlite":
        url = f"sqlite:///{folder / 'load.sqlite3'}"
    else:
        admin = make_engine(PG_URL)
        with admin.begin() as connection:
            connection.execute(text('DROP SCHEMA IF EXISTS "bench_load" CASCADE'))
            connection.execute(text('CREATE SCHEMA "bench_load"'))
        admin.dispose()
        url = f"{PG_URL}?options=-csearch_path%3Dbench_load"
    engine = make_engine(url)
    upgrade(engine)
    with session_scope(make_sessionmaker(engine)) as session:
        load_bundled(session)
    engine.dispose()
    return url


def _serve(url: str, port: int, cache_seconds: float) -> subprocess.Popen[bytes]:
    env = os.environ | {
        "INNOCHAIN_PAGE_CACHE_SECONDS": str(cache_seconds),
        "INNOCHAIN_DATABASE_URL": url,
        "INNOCHAIN_ENVIRONMENT": "test",
        "INNOCHAIN_API_RATE_PER_MINUTE": "0",
        "PYTHONPATH": str(ROOT),
    }
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "--factory",
        "benchmarks.load_app:make_app",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        "1",
        "--log-level",
        "warning",
        "--no-access-log",
    ]
    process = subprocess.Popen(command, env=env, cwd=ROOT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/bare", timeout=1).read()
            return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("the server did not start")


def _seconds(value: str) -> float:
    found = re.match(r"([\d.]+)(us|ms|s|m)", value)
    if found is None:  # wrk prints no latency when nothing completed
        return float("nan")
    number, unit = found.groups()
    return float(number) * {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}[unit]


def _wrk(
    url: str, *, duration: int, connections: int, script: Path | None, gzip: bool
) -> dict[str, Any]:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", url]
    if gzip:
        command[1:1] = ["-H", "Accept-Encoding: gzip"]
    if script:
        command[1:1] = ["-s", str(script)]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    p50 = _seconds(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1))  # type: ignore[union-attr]
    p99 = _seconds(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1))  # type: ignore[union-attr]
    errors = 0
    if found := re.search(r"Non-2xx or 3xx responses: (\d+)", output):
        errors += int(found.group(1))
    if found := re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    ):
        errors += sum(int(g) for g in found.groups())
    transfer = re.search(r"Transfer/sec:\s+([\d.]+)(\w+)", output)
    per_second = float(transfer.group(1)) * _UNITS[transfer.group(2)]  # type: ignore[union-attr]
    return {
        "rps": rps,
        "p50_ms": p50 * 1000,
        "p99_ms": p99 * 1000,
        "errors": errors,
        "kb_per_response": per_second / rps / 1024 if rps else float("nan"),
    }


_UNITS = {"B": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--backends", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument(
        "--page-cache-seconds", type=float, default=10.0, help="0 measures uncached reads"
    )
    parser.add_argument("--gzip", action="store_true", help="accept gzip, as browsers do")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed: apt-get install wrk")
    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "match.lua"
        script.write_text(MATCH_LUA, encoding="utf-8")
        for backend in args.backends:
            url = _database(backend, Path(tmp))
            port = _free_port()
            server = _serve(url, port, args.page_cache_seconds)
            try:
                base = f"http://127.0.0.1:{port}"
                for name, path in TARGETS.items():  # warm every cache and the matcher first
                    body = b'{"text": "warm up"}' if name == "match API" else None
                    headers = {"Content-Type": "application/json"}
                    urllib.request.urlopen(
                        urllib.request.Request(base + path, body, headers)
                    ).read()
                for name, path in TARGETS.items():
                    run = _wrk(
                        base + path,
                        duration=args.duration,
                        connections=args.connections,
                        script=script if name == "match API" else None,
                        gzip=args.gzip,
                    )
                    results[f"{backend}: {name}"] = run
                    ceiling = results[f"{backend}: bare"]["rps"]
                    print(
                        f"{backend:10} {name:26} {run['rps']:8.0f} req/s "
                        f"({run['rps'] / ceiling:5.1%} of bare)  p50 {run['p50_ms']:6.1f} ms  "
                        f"p99 {run['p99_ms']:6.1f} ms  {run['kb_per_response']:6.1f} kB  "
                        f"errors {run['errors']}",
                        flush=True,
                    )
            finally:
                server.terminate()
                server.wait(timeout=30)
    if args.json:
        print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
