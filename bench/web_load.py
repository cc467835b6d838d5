"""``make bench`` (web part): a bounded load test of ``reportgen serve`` on loopback.

Starts the server as its own process on a free port with a fresh data folder, creates one
case from the demo export, then runs N simulated users (threads, each its own session)
for S seconds: each loops over the case list, the case page, the mapping page, the texts
page and a preview with changed text, and now and then starts a build. Reports p50/p95
page time per kind of page and overall, the build queue time (job created → started, from
the database) and the error count: a page that is not 200, a preview without the document, a
build request refused, or a build that failed. Goal (issue 11): 0 errors and p95 page time
under 200 ms on a two-core machine, builds queued, not failed. Options: --users (20),
--seconds (60), --build-every (25).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "fixtures" / "demo"
PASSWORD = "bench-adgangskode"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def token(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def log_in(base: str) -> tuple[httpx.Client, str]:
    c = httpx.Client(base_url=base, follow_redirects=True, timeout=300)
    tok = token(c.get("/log-ind").text)
    r = c.post("/log-ind", data={"csrf_token": tok, "brugernavn": "admin", "adgangskode": PASSWORD})
    r.raise_for_status()
    return c, token(r.text)


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--users", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--build-every", type=int, default=25, help="a user starts a build every N loops")
    args = ap.parse_args()
    data = Path(tempfile.mkdtemp(prefix="reportgen-web-bench-"))
    pw = data / "pw"
    pw.write_text(PASSWORD)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([sys.executable, "-m", "reportgen.cli", "serve", "--port", str(port), "--data",
                               str(data / "d"), "--admin-password-file", str(pw)], start_new_session=True,
                              stdout=subprocess.DEVNULL)
    try:
        for _ in range(300):
            try:
                socket.create_connection(("127.0.0.1", port), 0.5).close()
                break
            except OSError:
                time.sleep(0.2)
        c, tok = log_in(base)
        files = {n: (f"{n}.csv", (DEMO / f"{n}.csv").read_bytes()) for n in ("besvarelser", "katalog", "inviterede")}
        r = c.post("/sager/ny", data={"csrf_token": tok, "titel": "Belastningstest", "kommune": "Norddjurs Kommune",
                                      "udvalg": "Arbejdsmarkedsudvalget"}, files=files)
        case = int(r.url.path.split("/")[2])
        form = {"titel": "Belastningstest", "kommune": "Norddjurs Kommune", "udvalg": "Arbejdsmarkedsudvalget"}
        t0 = time.perf_counter()
        c.post(f"/sager/{case}/forhaandsvisning", data=form, headers={"X-CSRF-Token": tok})  # warm the analysis cache
        warm = time.perf_counter() - t0
        times: dict[str, list[float]] = defaultdict(list)
        errors: list[str] = []
        lock = threading.Lock()
        stop = time.monotonic() + args.seconds

        def user(i: int) -> None:
            client, t = log_in(base)
            rnd = random.Random(i)
            loop = 0
            pages = [("sager", "GET", "/sager"), ("sag", "GET", f"/sager/{case}"),
                     ("kortlaegning", "GET", f"/sager/{case}/kortlaegning"), ("tekster", "GET", f"/sager/{case}/tekster"),
                     ("forhaandsvisning", "POST", f"/sager/{case}/forhaandsvisning")]
            while time.monotonic() < stop:
                loop += 1
                for kind, method, path in pages:
                    start = time.perf_counter()
                    try:
                        if method == "GET":
                            resp = client.get(path)
                        else:
                            text = f"at udvalget drøfter punkt {rnd.randint(1, 999)}."
                            resp = client.post(path, data={**form, "indstilling_punkter": text},
                                               headers={"X-CSRF-Token": t})
                        ok = resp.status_code == 200 and (method == "GET" or "srcdoc" in resp.text)
                    except httpx.HTTPError as exc:
                        ok, resp = False, exc
                    took = time.perf_counter() - start
                    with lock:
                        times[kind].append(took)
                        if not ok:
                            errors.append(f"{kind}: {getattr(resp, 'status_code', resp)}")
                if loop % args.build_every == i % args.build_every:
                    resp = client.post(f"/sager/{case}/dan", data={"csrf_token": t})
                    with lock:
                        times["dan (start)"].append(resp.elapsed.total_seconds())
                        if resp.status_code != 200:
                            errors.append(f"dan: {resp.status_code}")
                time.sleep(rnd.uniform(0.2, 0.6))  # think time

        threads = [threading.Thread(target=user, args=(i,)) for i in range(args.users)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        from sqlalchemy import create_engine, text

        eng = create_engine(f"sqlite:///{data / 'd' / 'reportgen.sqlite3'}")
        with eng.connect() as conn:
            jobs = conn.execute(text("select state, created_at, started_at, finished_at from jobs")).all()
        import datetime as dt

        def secs(a: object, b: object) -> float:
            return (dt.datetime.fromisoformat(str(b)) - dt.datetime.fromisoformat(str(a))).total_seconds()

        queued = [secs(j[1], j[2]) for j in jobs if j[2]]
        built = [secs(j[2], j[3]) for j in jobs if j[3] and j[0] == "færdig"]
        states = defaultdict(int)
        for j in jobs:
            states[j[0]] += 1
        every = [t for v in times.values() for t in v]
        print(f"Belastningstest af reportgen serve: {args.users} brugere i {args.seconds:.0f} s på 127.0.0.1 "
              f"({os.cpu_count()} kerner); første forhåndsvisning (kold): {warm:.1f} s")
        print(f"{'side':<18}{'antal':>7}{'p50 ms':>9}{'p95 ms':>9}")
        for kind, v in sorted(times.items()):
            print(f"{kind:<18}{len(v):>7}{pct(v, .5) * 1000:>9.0f}{pct(v, .95) * 1000:>9.0f}")
        print(f"{'alle sider':<18}{len(every):>7}{pct(every, .5) * 1000:>9.0f}{pct(every, .95) * 1000:>9.0f}")
        print(f"Dannelser: {dict(states)}; ventetid i kø p50 {pct(queued, .5):.0f} s, maks {max(queued, default=0):.0f} s; "
              f"dannelsestid p50 {pct(built, .5):.0f} s")
        failed = [j for j in jobs if j[0] == "fejlet"]  # builds must wait in the queue, never fail
        errors += [f"dannelse fejlet ({len(failed)})"] if failed else []
        print(f"Fejl: {len(errors)}" + (f" (fx {errors[:3]})" if errors else ""))
        return 1 if errors else 0
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())
