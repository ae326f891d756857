#!/usr/bin/env python3
"""Orchestrates the benchmark runs: nginx canned upstream, nginx proxy, the gateway (release), wrk as the load.

Only loopback addresses are used. Every loop is bounded in count and time."""
import argparse, datetime, json, os, platform, re, shutil, signal, socket, sqlite3, subprocess, sys, tempfile, time
import http.client
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
UPSTREAM, PROXY, GATEWAY, SIM_KLAROS, SIM_KALEYRA, SIM_CONTROL = 19081, 19082, 19080, 19110, 19101, 19199
FLOOR, FLOOR_STORED = 19083, 19084
KEY = "bench-key-0123456789"
CANNED = '{"waMessageId":"wamid.bench","sentStatus":"sent"}'
# One Klaros account on nginx's canned answer, with no rate of its own to wait for.
CANNED_KLAROS = [{"id": "klaros", "provider": "klaros", "baseURL": f"http://127.0.0.1:{UPSTREAM}", "apiKey": "uni_live_bench", "ratePerSecond": 1e9}]


def wait_port(port, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"port {port} did not open")


def call(method, port, path, body=None, headers=None, timeout=10):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    conn.request(method, path, body=body, headers=headers or {})
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response.status, data


def proc_stats(pid):
    """(rss_kb, peak_rss_kb, cpu_seconds) from /proc."""
    status = open(f"/proc/{pid}/status").read()
    rss = int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
    hwm = int(re.search(r"VmHWM:\s+(\d+)", status).group(1))
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return rss, hwm, (int(fields[11]) + int(fields[12])) / ticks


def wrk(url, connections, duration, script, threads=None):
    threads = threads or (1 if connections == 1 else 2)
    out = subprocess.run(["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", "-s", script, url],
                         capture_output=True, text=True, timeout=duration + 60).stdout
    def ms(label):
        m = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)", out, re.M)
        if not m:
            return None
        value, unit = float(m.group(1)), m.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
    found = re.search(r"(\d+) requests in", out)
    if not found:
        raise RuntimeError(f"wrk against {url} printed no result:\n{out}")
    total = int(found.group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": ms("50"), "p99": ms("99"), "requests": total,
        "non2xx": int(non2xx.group(1)) if non2xx else 0,
        "socket_errors": sum(int(x) for x in socket_errors.groups()) if socket_errors else 0,
        "raw": out,
    }


def lua(path, body, headers, dynamic_to=None):
    lines = ['wrk.method = "POST"', f"wrk.body = {json.dumps(body)}"]
    for name, value in headers.items():
        lines.append(f'wrk.headers["{name}"] = "{value}"')
    if dynamic_to:
        # Distinct recipients per request (and per thread), so the pair rate does not serialise a queued run.
        lines += [
            "local counter = 0", "local base = 0", "local threads = 0",
            "function setup(thread) threads = threads + 1; thread:set('base', threads * 10000000) end",
            "function init(args) base = tonumber(wrk.thread:get('base')) or 0 end",
            "function request() counter = counter + 1; local body = string.format(%s, base + counter); return wrk.format(nil, nil, nil, body) end"
            % json.dumps(dynamic_to),
        ]
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    return path


def queued_lua(directory):
    """Queued sends to a new recipient each, so one pair's pace does not serialise the run."""
    return lua(os.path.join(directory, "queued.lua"), "", {"Content-Type": "application/json", "Authorization": f"Bearer {KEY}"},
               dynamic_to='{"to":"+1%010d","text":"queued","mode":"queued"}')


class Bench:
    def __init__(self, binary, floor, duration, workdir):
        self.binary, self.floor, self.duration, self.dir = binary, floor, duration, workdir
        self.procs = []
        self.results = {}

    def spawn(self, args, log):
        proc = subprocess.Popen(args, stdout=open(os.path.join(self.dir, log), "w"), stderr=subprocess.STDOUT)
        self.procs.append(proc)
        return proc

    def stop(self, proc):
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    def close(self):
        for proc in self.procs:
            self.stop(proc)

    def start_nginx(self):
        conf = os.path.join(self.dir, "nginx.conf")
        with open(conf, "w") as f:
            f.write(f"""
worker_processes 1; daemon off; pid {self.dir}/nginx.pid; error_log {self.dir}/nginx-error.log warn;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  upstream canned {{ server 127.0.0.1:{UPSTREAM}; keepalive 128; }}
  server {{ listen 127.0.0.1:{UPSTREAM} backlog=4096; location / {{ default_type application/json; return 200 '{CANNED}'; }} }}
  server {{ listen 127.0.0.1:{PROXY} backlog=4096; location / {{ proxy_pass http://canned; proxy_http_version 1.1; proxy_set_header Connection ""; }} }}
}}
""")
        self.spawn(["nginx", "-c", conf], "nginx.log")
        wait_port(UPSTREAM)
        wait_port(PROXY)

    def gateway_config(self, name, accounts, routes, policy=None, extra=None):
        config = {"server": {"host": "127.0.0.1", "port": GATEWAY}, "storage": {"sqlite": os.path.join(self.dir, f"{name}.sqlite")},
                  "apiKeys": [KEY], "accounts": accounts, "routes": routes}
        if policy:
            config["policy"] = policy
        config.update(extra or {})
        path = os.path.join(self.dir, f"{name}.json")
        with open(path, "w") as f:
            json.dump(config, f)
        return path

    def start_gateway(self, config, name):
        proc = self.spawn([self.binary, "serve", "--config", config, "--providers", os.path.join(ROOT, "providers"), "--log-level", "error"], f"{name}.log")
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                if call("GET", GATEWAY, "/healthz")[0] == 200:
                    return proc
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("gateway did not start; see " + os.path.join(self.dir, f"{name}.log"))

    # The runs ---------------------------------------------------------------------------------------------

    def send_path(self):
        klaros = CANNED_KLAROS
        config = self.gateway_config("sendpath", klaros, [{"name": "all", "targets": ["klaros"]}])
        gateway = self.start_gateway(config, "sendpath")
        time.sleep(1)
        idle_rss, _, _ = proc_stats(gateway.pid)
        direct_lua = lua(os.path.join(self.dir, "direct.lua"), '{"to":"15551234567","text":"benchmark"}',
                         {"Content-Type": "application/json", "Authorization": "Bearer uni_live_bench"})
        gateway_lua = lua(os.path.join(self.dir, "gateway.lua"), '{"to":"+15551234567","text":"benchmark"}',
                          {"Content-Type": "application/json", "Authorization": f"Bearer {KEY}"})
        # The stack's floor: the gateway's own libraries relaying, then relaying with two plain GRDB commits.
        upstream = f"http://127.0.0.1:{UPSTREAM}/api/v1/messages"
        self.spawn([self.floor, "--port", str(FLOOR), "--upstream", upstream], "floor.log")
        self.spawn([self.floor, "--port", str(FLOOR_STORED), "--upstream", upstream, "--sqlite", os.path.join(self.dir, "floor.sqlite")], "floor-stored.log")
        wait_port(FLOOR)
        wait_port(FLOOR_STORED)
        runs = {}
        for connections in (1, 64):
            runs[("direct", connections)] = wrk(f"http://127.0.0.1:{UPSTREAM}/api/v1/messages", connections, self.duration, direct_lua)
            runs[("nginx", connections)] = wrk(f"http://127.0.0.1:{PROXY}/api/v1/messages", connections, self.duration, direct_lua)
            runs[("floor", connections)] = wrk(f"http://127.0.0.1:{FLOOR}/v1/messages", connections, self.duration, gateway_lua)
            runs[("floor+sqlite", connections)] = wrk(f"http://127.0.0.1:{FLOOR_STORED}/v1/messages", connections, self.duration, gateway_lua)
            _, _, cpu_before = proc_stats(gateway.pid)
            runs[("gateway", connections)] = wrk(f"http://127.0.0.1:{GATEWAY}/v1/messages", connections, self.duration, gateway_lua)
            _, _, cpu_after = proc_stats(gateway.pid)
            run = runs[("gateway", connections)]
            run["cpu_per_1000"] = (cpu_after - cpu_before) / max(run["requests"], 1) * 1000
        _, peak_rss, _ = proc_stats(gateway.pid)
        stored = json.loads(call("GET", GATEWAY, "/v1/messages?limit=1", headers={"Authorization": f"Bearer {KEY}"})[1])["data"]
        self.stop(gateway)
        self.results["send_path"] = {"runs": runs, "idle_rss_mb": idle_rss / 1024, "peak_rss_mb": peak_rss / 1024, "persisted": bool(stored)}

    def ensure_simulators(self):
        if getattr(self, "simulators", None):
            return
        sim_config = os.path.join(self.dir, "simulators.json")
        with open(sim_config, "w") as f:
            json.dump({"accounts": [{"id": "x", "provider": "klaros", "baseURL": "http://127.0.0.1:1", "apiKey": "unused-key"}],
                       "routes": [{"name": "r", "targets": ["x"]}],
                       "simulators": {"controlPort": SIM_CONTROL,
                                      "kaleyra": {"pods": {"in": SIM_KALEYRA}, "accounts": [{"sid": "HXBENCH", "apiKey": "kal-bench", "pod": "in", "lines": ["+919000000001"]}],
                                                  "callbackStatuses": []},
                                      "klaros": [{"id": "primary", "port": SIM_KLAROS, "apiKey": "uni_live_primary", "numbers": ["111"], "windowsOpen": True}]}}, f)
        self.simulators = self.spawn([self.binary, "simulate", "--config", sim_config, "--providers", os.path.join(ROOT, "providers")], "simulators.log")
        wait_port(SIM_CONTROL)

    def failover(self):
        self.ensure_simulators()
        accounts = [
            {"id": "primary", "provider": "klaros", "baseURL": f"http://127.0.0.1:{SIM_KLAROS}", "apiKey": "uni_live_primary", "ratePerSecond": 1e9},
            {"id": "backup", "provider": "klaros", "baseURL": f"http://127.0.0.1:{UPSTREAM}", "apiKey": "uni_live_bench", "ratePerSecond": 1e9},
        ]
        policy = {"attemptTimeoutMs": 1000, "deadlineMs": 5000, "circuitBreaker": {"failureThreshold": 5, "cooldownMs": 60000}}
        script = lua(os.path.join(self.dir, "failover.lua"), '{"to":"+15551234567","text":"failover"}',
                     {"Content-Type": "application/json", "Authorization": f"Bearer {KEY}"})
        phases = {}
        for mode, fault in [("503", {"mode": "unavailable"}), ("refused", {"mode": "refuse"}), ("hang", {"mode": "hang", "hangSeconds": 30})]:
            call("DELETE", SIM_CONTROL, "/faults")
            call("DELETE", SIM_CONTROL, "/requests")
            time.sleep(0.3)
            config = self.gateway_config(f"failover-{mode}", accounts, [{"name": "all", "targets": ["primary", "backup"]}], policy)
            gateway = self.start_gateway(config, f"failover-{mode}")
            load = subprocess.Popen(["wrk", "-t2", "-c8", f"-d{self.duration}s", "--latency", "-s", script, f"http://127.0.0.1:{GATEWAY}/v1/messages"],
                                    stdout=subprocess.PIPE, text=True)
            time.sleep(2)
            before = len(json.loads(call("GET", SIM_CONTROL, "/requests")[1]))
            call("PUT", SIM_CONTROL, "/faults/klaros.primary", body=json.dumps(fault))
            switched = time.time()
            opened = None
            while time.time() - switched < self.duration - 2:
                accounts_now = json.loads(call("GET", GATEWAY, "/v1/accounts", headers={"Authorization": f"Bearer {KEY}"})[1])["data"]
                if next(a for a in accounts_now if a["id"] == "primary")["circuit"] == "open":
                    opened = time.time() - switched
                    break
                time.sleep(0.01)
            out, _ = load.communicate(timeout=self.duration + 60)
            after = len(json.loads(call("GET", SIM_CONTROL, "/requests")[1]))
            non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
            total = int(re.search(r"(\d+) requests in", out).group(1))
            auth = {"Authorization": f"Bearer {KEY}"}
            held = len(json.loads(call("GET", GATEWAY, "/v1/messages?status=unknown&limit=200", headers=auth)[1])["data"])
            failed = len(json.loads(call("GET", GATEWAY, "/v1/messages?status=failed&limit=200", headers=auth)[1])["data"])
            phases[mode] = {"client_errors": int(non2xx.group(1)) if non2xx else 0, "requests": total,
                            "reached_dead": after - before, "open_after_s": opened, "held": held, "failed": failed}
            self.stop(gateway)
        call("DELETE", SIM_CONTROL, "/faults")
        self.results["failover"] = phases

    def batch(self):
        self.ensure_simulators()
        accounts = [{"id": "kaleyra-in", "provider": "kaleyra", "pod": "in", "sid": "HXBENCH", "apiKey": "kal-bench", "from": "+919000000001",
                     "baseURL": f"http://127.0.0.1:{SIM_KALEYRA}", "ratePerSecond": 1e9}]
        config = self.gateway_config("batch", accounts, [{"name": "all", "targets": ["kaleyra-in"]}])
        gateway = self.start_gateway(config, "batch")
        headers = {"Authorization": f"Bearer {KEY}", "Content-Type": "application/json"}
        numbers = [f"+9198{n:08d}" for n in range(100)]
        call("POST", GATEWAY, "/v1/messages", body=json.dumps({"to": "+919700000000", "text": "warm"}), headers=headers)
        call("DELETE", SIM_CONTROL, "/requests")
        started = time.time()
        status, _ = call("POST", GATEWAY, "/v1/messages", body=json.dumps({"to": numbers, "text": "batch"}), headers=headers, timeout=60)
        one_request = time.time() - started
        batched_calls = len(json.loads(call("GET", SIM_CONTROL, "/requests")[1]))
        call("DELETE", SIM_CONTROL, "/requests")
        conn = http.client.HTTPConnection("127.0.0.1", GATEWAY, timeout=30)
        started = time.time()
        for number in numbers:
            conn.request("POST", "/v1/messages", body=json.dumps({"to": number, "text": "single"}), headers=headers)
            conn.getresponse().read()
        singles = time.time() - started
        conn.close()
        single_calls = len(json.loads(call("GET", SIM_CONTROL, "/requests")[1]))
        self.stop(gateway)
        self.results["batch"] = {"batched_ms": one_request * 1000, "batched_provider_calls": batched_calls,
                                 "singles_ms": singles * 1000, "single_provider_calls": single_calls, "status": status}

    def queued(self):
        klaros = CANNED_KLAROS
        routes = [{"name": "all", "targets": ["klaros"]}]
        script = queued_lua(self.dir)
        url = f"http://127.0.0.1:{GATEWAY}/v1/messages"

        # Storing and delivering at once, as a busy gateway does.
        gateway = self.start_gateway(self.gateway_config("queued", klaros, routes), "queued")
        started = time.time()
        run = wrk(url, 64, self.duration, script)
        drained = self.wait_until_drained(started)
        self.stop(gateway)
        accepted = run["requests"] - run["non2xx"]
        result = {"stored_per_s": accepted / self.duration, "accepted": accepted, "delivered_per_s": accepted / drained,
                  "drain_s": drained, "errors": run["non2xx"] + run["socket_errors"]}

        # Each half alone: store with the line held to one message a minute, stop (the drain puts the waiting sends
        # back in the queue), then deliver the backlog with the line open.
        storage = {"storage": {"sqlite": os.path.join(self.dir, "backlog.sqlite")}}
        held = [dict(klaros[0], ratePerSecond=1 / 60)]
        gateway = self.start_gateway(self.gateway_config("backlog-store", held, routes, extra=storage), "backlog-store")
        run = wrk(url, 64, self.duration, script)
        stopping = time.time()
        self.stop(gateway)
        result["stop_with_backlog_s"] = time.time() - stopping
        backlog = run["requests"] - run["non2xx"]
        result["store_only_per_s"] = backlog / self.duration
        started = time.time()
        gateway = self.start_gateway(self.gateway_config("backlog-send", klaros, routes, extra=storage), "backlog-send")
        took = self.wait_until_drained(started)
        self.stop(gateway)
        with sqlite3.connect(storage["storage"]["sqlite"]) as db:
            statuses = dict(db.execute("SELECT status, COUNT(*) FROM message GROUP BY status").fetchall())
        delivered = sum(statuses.get(status, 0) for status in ("accepted", "sent", "delivered", "read"))
        result.update(deliver_only_per_s=delivered / took, backlog=backlog, backlog_statuses=statuses)
        self.results["queued"] = result

    def wait_until_drained(self, started):
        """Seconds from `started` until no message is queued or being sent."""
        headers = {"Authorization": f"Bearer {KEY}"}
        deadline = time.time() + 300
        while time.time() < deadline:
            queued = json.loads(call("GET", GATEWAY, "/v1/messages?status=queued&limit=1", headers=headers)[1])["data"]
            sending = json.loads(call("GET", GATEWAY, "/v1/messages?status=sending&limit=1", headers=headers)[1])["data"]
            if not queued and not sending:
                break
            time.sleep(0.1)
        return time.time() - started


def machine():
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
    mem = next((int(l.split()[1]) // 1024 // 1024 for l in open("/proc/meminfo") if l.startswith("MemTotal")), 0)
    return f"{os.cpu_count()} cores ({cpu}), {mem} GiB, {platform.system()} {platform.release()}"


def report(bench, command):
    """The full report when every run was made; an --only run reports the sections it has."""
    r = bench.results
    lines = [f"# Benchmark results", "", f"- date: {datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}",
             f"- machine: {machine()}", f"- command: `{command}`", f"- gateway: release build, SQLite persistence on (WAL), every message stored with its attempt",
             "- load: wrk, one thread at 1 connection, two at 64; nginx 1 worker; everything on loopback, sharing the 2 cores",
             "- latency: wrk's percentiles, which correct for coordinated omission: a request that stalls S ms while requests",
             "  normally take I ms also counts S/I synthetic samples, so at one connection a single 50 ms stall in a run moves p99", ""]
    for key, section in (("send_path", send_path_lines), ("failover", failover_lines), ("batch", batch_lines), ("queued", queued_lines)):
        if key in r:
            lines += section(r[key])
    return "\n".join(lines)


def send_path_lines(sp_result):
    sp = sp_result["runs"]
    lines = ["## Send path (POST /v1/messages → Klaros-shaped canned upstream)", "",
             "| target | conns | req/s | p50 ms | p99 ms | errors |", "|---|---|---|---|---|---|"]
    for connections in (1, 64):
        for target in ("direct", "nginx", "floor", "floor+sqlite", "gateway"):
            run = sp[(target, connections)]
            lines.append(f"| {target} | {connections} | {run['rps']:.0f} | {run['p50']:.3f} | {run['p99']:.3f} | {run['non2xx'] + run['socket_errors']} |")
    g1, d1, n64, g64, d64 = sp[("gateway", 1)], sp[("direct", 1)], sp[("nginx", 64)], sp[("gateway", 64)], sp[("direct", 64)]
    f1, fs1, f64, fs64 = sp[("floor", 1)], sp[("floor+sqlite", 1)], sp[("floor", 64)], sp[("floor+sqlite", 64)]
    lines += ["", "`floor` is `stack-floor` (bench/StackFloor): Hummingbird and AsyncHTTPClient, configured as the gateway configures",
              "them, relaying each request to the same upstream and nothing else; `floor+sqlite` also writes a row before the call",
              "and updates it after (two GRDB commits, WAL, synchronous NORMAL, SQLite's own checkpoints, so its p99 is no bound).",
              "Nothing built on these libraries relays faster, so their req/s and p50 bound what the targets can ask here."]
    return lines + ["", "| headline | value | target |", "|---|---|---|",
                    f"| gateway ÷ nginx throughput (64 conns) | {g64['rps'] / n64['rps']:.2f} | ≥ 0.7 |",
                    f"| gateway ÷ direct throughput (64 conns) | {g64['rps'] / d64['rps']:.2f} | |",
                    f"| floor ÷ nginx, floor+sqlite ÷ nginx (64 conns) | {f64['rps'] / n64['rps']:.2f}, {fs64['rps'] / n64['rps']:.2f} | |",
                    f"| gateway ÷ floor+sqlite throughput (64 conns) | {g64['rps'] / fs64['rps']:.2f} | |",
                    f"| added latency at 1 conn, p50 (gateway − direct) | {g1['p50'] - d1['p50']:.3f} ms | ≤ 0.5 ms |",
                    f"| added latency at 1 conn, p99 (gateway − direct) | {g1['p99'] - d1['p99']:.3f} ms | ≤ 2 ms |",
                    f"| added p50 at 1 conn: floor, floor+sqlite (− direct) | {f1['p50'] - d1['p50']:.3f} ms, {fs1['p50'] - d1['p50']:.3f} ms | |",
                    f"| idle RSS | {sp_result['idle_rss_mb']:.1f} MB | ≤ 50 MB |",
                    f"| peak RSS | {sp_result['peak_rss_mb']:.1f} MB | |",
                    f"| CPU seconds per 1,000 requests (64 conns) | {g64['cpu_per_1000']:.3f} | |",
                    f"| CPU seconds per 1,000 requests (1 conn) | {g1['cpu_per_1000']:.3f} | |", ""]


def failover_lines(failover):
    lines = ["## Failover (steady load at 8 connections; the primary account fails 2 s in)", "",
             "Client errors are split into messages held as `unknown` (504 `status_unknown`: the provider may have taken them, so",
             "they are not retried elsewhere) and messages that failed.", "",
             "| fault | requests | client errors | held unknown / failed | requests that reached the dead account | circuit open after |",
             "|---|---|---|---|---|---|"]
    for mode, phase in failover.items():
        opened = f"{phase['open_after_s'] * 1000:.0f} ms" if phase["open_after_s"] is not None else "not within the run"
        lines.append(f"| {mode} | {phase['requests']} | {phase['client_errors']} | {phase['held']} / {phase['failed']} | {phase['reached_dead']} | {opened} |")
    return lines + [""]


def batch_lines(b):
    return ["## Batching (Kaleyra pod simulator)", "", "| send | provider calls | total ms |", "|---|---|---|",
            f"| one request, 100 recipients | {b['batched_provider_calls']} | {b['batched_ms']:.1f} |",
            f"| 100 single requests, one after another | {b['single_provider_calls']} | {b['singles_ms']:.1f} |",
            f"| ratio | | {b['singles_ms'] / max(b['batched_ms'], 0.001):.1f}× faster batched |", ""]


def queued_lines(q):
    return ["## Queued sending (64 connections, distinct recipients)", "", "| figure | value | target |", "|---|---|---|",
            f"| stored (202) per second | {q['stored_per_s']:.0f} | ≥ 5,000 |",
            f"| stored and delivered per second (until the queue was empty) | {q['delivered_per_s']:.0f} | ≥ 5,000 |",
            f"| messages | {q['accepted']} (errors {q['errors']}) | |", "",
            "Each half alone, on the same 2 cores: storing with the line held to one message a minute, then delivering that",
            "backlog after a restart with the line open.", "", "| figure | value |", "|---|---|",
            f"| stored (202) per second, nothing delivered | {q['store_only_per_s']:.0f} |",
            f"| delivered per second from a backlog of {q['backlog']} | {q['deliver_only_per_s']:.0f} |",
            f"| the backlog's messages by status afterwards | {', '.join(f'{k} {v}' for k, v in sorted(q['backlog_statuses'].items()))} |",
            f"| SIGTERM to exit with that backlog waiting for its rate | {q['stop_with_backlog_s']:.2f} s |", ""]


AB_SECTION = "## Kept across runs"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--floor", required=True, help="the stack-floor binary")
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--only", default="send_path,failover,batch,queued")
    args = parser.parse_args()
    busy = [port for port in (UPSTREAM, PROXY, GATEWAY, FLOOR, FLOOR_STORED, SIM_KLAROS, SIM_KALEYRA, SIM_CONTROL) if socket.socket().connect_ex(("127.0.0.1", port)) == 0]
    if busy:
        sys.exit(f"bench: loopback ports already in use: {busy}; stop whatever listens there first")
    workdir = tempfile.mkdtemp(prefix="switchboard-bench-")
    bench = Bench(args.binary, args.floor, args.duration, workdir)
    try:
        bench.start_nginx()
        for name in args.only.split(","):
            print(f"== {name}", flush=True)
            getattr(bench, name)()
        text = report(bench, "bench/run" + (f" --duration {args.duration}" if args.duration != 10 else ""))
        if args.only == parser.get_default("only"):
            path = os.path.join(ROOT, "bench", "RESULTS.md")
            # The notes and A/B figures are written by hand; a full run replaces everything above them.
            kept = ""
            if os.path.exists(path):
                with open(path) as f:
                    old = f.read()
                marker = old.find(AB_SECTION)
                kept = old[marker:] if marker >= 0 else ""
            with open(path, "w") as f:
                f.write(text + "\n" + ("\n" + kept if kept else ""))
        print(text)
    finally:
        bench.close()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
