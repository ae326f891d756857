#!/usr/bin/env python3
"""One SQLite instance, one PostgreSQL instance and two PostgreSQL instances, side by side in one run, on the same
canned Klaros upstream (nginx): queued throughput (stored, and stored and delivered) and the synchronous send path.

Run through bench/instances, which builds the release binary and starts a throwaway PostgreSQL cluster."""
import argparse, datetime, json, os, re, shutil, subprocess, sys, tempfile, threading, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402  (the send-path benchmark's helpers)

SECOND = 19085
SECTION = "## Several instances on PostgreSQL"


class Instances(bench.Bench):
    def __init__(self, binary, duration, workdir, admin_url):
        super().__init__(binary, None, duration, workdir)
        self.admin_url = admin_url
        self.databases = 0

    def storage(self, kind):
        if kind == "sqlite":
            return {"sqlite": os.path.join(self.dir, f"db{self.databases}.sqlite")}
        self.databases += 1
        name = f"bench_{self.databases}"
        host, port = self.admin_url.split("@", 1)[1].split("/", 1)[0].split(":")
        subprocess.run(["psql", "-h", host, "-p", port, "-U", "postgres", "-d", "switchboard_test", "-qc",
                        f"CREATE DATABASE {name}"], check=True)
        return {"postgres": self.admin_url.rsplit("/", 1)[0] + "/" + name}

    def start(self, kind, count, name):
        """`count` instances on one new database; returns their ports and processes."""
        storage = self.storage(kind)
        started = []
        for index, port in enumerate((bench.GATEWAY, SECOND)[:count]):
            config = {"server": {"host": "127.0.0.1", "port": port}, "storage": storage, "apiKeys": [bench.KEY],
                      "accounts": bench.CANNED_KLAROS, "routes": [{"name": "all", "targets": ["klaros"]}]}
            path = os.path.join(self.dir, f"{name}-{index}.json")
            with open(path, "w") as f:
                json.dump(config, f)
            proc = self.spawn([self.binary, "serve", "--config", path, "--providers", os.path.join(bench.ROOT, "providers"),
                               "--log-level", "error"], f"{name}-{index}.log")
            deadline = time.time() + 60
            while True:
                try:
                    if bench.call("GET", port, "/healthz")[0] == 200:
                        break
                except OSError:
                    pass
                if time.time() > deadline:
                    raise RuntimeError(f"{name} did not start; see {self.dir}/{name}-{index}.log")
                time.sleep(0.05)
            started.append((port, proc))
        return started

    def load(self, ports, connections, script):
        """wrk against every port at once, the connections split between them; the runs summed."""
        results = [None] * len(ports)
        def run(index, port):
            results[index] = bench.wrk(f"http://127.0.0.1:{port}/v1/messages", connections // len(ports), self.duration, script)
        threads = [threading.Thread(target=run, args=(i, p)) for i, p in enumerate(ports)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return {"rps": sum(r["rps"] for r in results), "requests": sum(r["requests"] for r in results),
                "errors": sum(r["non2xx"] + r["socket_errors"] for r in results),
                "p50": max(r["p50"] for r in results), "p99": max(r["p99"] for r in results),
                "accepted": sum(r["requests"] - r["non2xx"] for r in results)}

    def drained(self, port, started):
        deadline = time.time() + 600
        headers = {"Authorization": f"Bearer {bench.KEY}"}
        while time.time() < deadline:
            queued = json.loads(bench.call("GET", port, "/v1/messages?status=queued&limit=1", headers=headers)[1])["data"]
            sending = json.loads(bench.call("GET", port, "/v1/messages?status=sending&limit=1", headers=headers)[1])["data"]
            if not queued and not sending:
                break
            time.sleep(0.1)
        return time.time() - started

    def measure(self, kind, count):
        label = f"{count} × {'SQLite' if kind == 'sqlite' else 'PostgreSQL'}"
        print(f"== {label}", flush=True)
        result = {}
        instances = self.start(kind, count, f"{kind}{count}-queued")
        ports = [port for port, _ in instances]
        started = time.time()
        run = self.load(ports, 64, bench.queued_lua(self.dir))
        took = self.drained(ports[0], started)
        result["stored_per_s"] = run["accepted"] / self.duration
        result["delivered_per_s"] = run["accepted"] / took
        result["queued_errors"] = run["errors"]
        for _, proc in instances:
            self.stop(proc)
        instances = self.start(kind, count, f"{kind}{count}-sync")
        ports = [port for port, _ in instances]
        # A new recipient each time, as real traffic has: WhatsApp lets one customer get a message every 6 s, and one
        # recipient for every send would make its customer row the one lock every send waits for on PostgreSQL.
        script = bench.lua(os.path.join(self.dir, "sync.lua"), "",
                           {"Content-Type": "application/json", "Authorization": f"Bearer {bench.KEY}"},
                           dynamic_to='{"to":"+1%010d","text":"benchmark"}')
        one = bench.wrk(f"http://127.0.0.1:{ports[0]}/v1/messages", 1, self.duration, script)
        result.update(sync1_p50=one["p50"], sync1_p99=one["p99"])
        many = self.load(ports, 64, script)
        result.update(sync64_rps=many["rps"], sync64_p99=many["p99"], sync_errors=one["non2xx"] + many["errors"])
        for _, proc in instances:
            self.stop(proc)
        return label, result


def report(rows, duration):
    base = dict(rows)["1 × PostgreSQL"]
    lines = [SECTION, "", f"- date: {datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}",
             f"- machine: {bench.machine()}", f"- command: `bench/instances{f' --duration {duration}' if duration != 8 else ''}`",
             "- each configuration on a new database; a canned Klaros upstream (nginx); wrk at 64 connections split",
             "  between the instances, 1 connection for latency; a new recipient for every send, queued or synchronous;",
             "  PostgreSQL 15 on the same 2 cores, fsync off", "",
             "| instances | queued: stored/s | queued: stored and delivered/s | sync p50 ms (1 conn) | sync p99 ms (1 conn) "
             "| sync req/s (64 conns) | errors |", "|---|---|---|---|---|---|---|"]
    for label, r in rows:
        lines.append(f"| {label} | {r['stored_per_s']:.0f} | {r['delivered_per_s']:.0f} | {r['sync1_p50']:.3f} | "
                     f"{r['sync1_p99']:.3f} | {r['sync64_rps']:.0f} | {r['queued_errors'] + r['sync_errors']} |")
    two = dict(rows)["2 × PostgreSQL"]
    lines += ["", "| ratio (same run) | queued delivered | sync req/s | target |", "|---|---|---|---|",
              f"| 2 × PostgreSQL ÷ 1 × PostgreSQL | {two['delivered_per_s'] / base['delivered_per_s']:.2f} | "
              f"{two['sync64_rps'] / base['sync64_rps']:.2f} | ≥ 1.5 |",
              f"| 1 × PostgreSQL ÷ 1 × SQLite | {base['delivered_per_s'] / dict(rows)['1 × SQLite']['delivered_per_s']:.2f} | "
              f"{base['sync64_rps'] / dict(rows)['1 × SQLite']['sync64_rps']:.2f} | |", ""]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--postgres", required=True, help="an admin URL of a throwaway cluster")
    parser.add_argument("--duration", type=int, default=8)
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="switchboard-instances-bench-")
    runner = Instances(args.binary, args.duration, workdir, args.postgres)
    try:
        runner.start_nginx()
        rows = [runner.measure("sqlite", 1), runner.measure("postgres", 1), runner.measure("postgres", 2)]
        text = report(rows, args.duration)
        print(text)
        path = os.path.join(bench.ROOT, "bench", "RESULTS.md")
        with open(path) as f:
            old = f.read()
        start = old.find(SECTION)
        if start >= 0:
            end = old.find("\n## ", start + len(SECTION))
            old = old[:start] + old[end + 1:] if end >= 0 else old[:start]
        with open(path, "w") as f:
            f.write(old.rstrip("\n") + "\n\n" + text)
    finally:
        runner.close()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
