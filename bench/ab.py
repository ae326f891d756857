#!/usr/bin/env python3
"""A/B of two gateway binaries on the send path, interleaved so both see the same machine.

This machine's speed drifts by 10% and more between minutes, so two binaries measured one after the other can differ
by more than any single change does. Each round runs A and B back to back (the order alternates between rounds) on a
fresh database against nginx's canned Klaros answer, and each figure is reported as the median of B÷A within rounds.

Only loopback addresses are used. Every loop is bounded in count and time."""
import argparse, os, shutil, socket, statistics, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import CANNED_KLAROS, GATEWAY, KEY, PROXY, UPSTREAM, Bench, lua, proc_stats, queued_lua, wrk  # noqa: E402

FIGURES = (("p50_1", "p50 at 1 conn (ms)"), ("p99_1", "p99 at 1 conn (ms)"), ("cpu_1", "CPU ms a request, 1 conn"),
           ("rps_64", "req/s at 64 conns"), ("cpu_64", "CPU ms a request, 64 conns"))


def measure(bench, binary, name, duration, script):
    bench.binary = binary
    klaros = CANNED_KLAROS
    config = bench.gateway_config(name, klaros, [{"name": "all", "targets": ["klaros"]}])
    gateway = bench.start_gateway(config, name)
    url = f"http://127.0.0.1:{GATEWAY}/v1/messages"
    try:
        wrk(url, 1, 1, script)  # warm-up: connections, caches, prepared statements
        figures = {}
        for connections in (1, 64):
            _, _, before = proc_stats(gateway.pid)
            run = wrk(url, connections, duration, script)
            _, _, after = proc_stats(gateway.pid)
            if run["non2xx"] or run["socket_errors"]:
                raise RuntimeError(f"{binary}: {run['non2xx']} non-2xx and {run['socket_errors']} socket errors at {connections} conns")
            cpu = (after - before) / max(run["requests"], 1) * 1000
            if connections == 1:
                figures.update(p50_1=run["p50"], p99_1=run["p99"], cpu_1=cpu)
            else:
                figures.update(rps_64=run["rps"], cpu_64=cpu)
        return figures
    finally:
        bench.stop(gateway)
        remove_database(bench, name)


def remove_database(bench, name):
    for suffix in ("", "-wal", "-shm"):
        path = os.path.join(bench.dir, f"{name}.sqlite{suffix}")
        if os.path.exists(path):
            os.remove(path)


def measure_queued(bench, binary, name, duration):
    """Messages stored and delivered per second with intake and delivery at once (bench/run's first queued figure)."""
    bench.binary = binary
    klaros = CANNED_KLAROS
    gateway = bench.start_gateway(bench.gateway_config(name, klaros, [{"name": "all", "targets": ["klaros"]}]), name)
    script = queued_lua(bench.dir)
    try:
        started = time.time()
        run = wrk(f"http://127.0.0.1:{GATEWAY}/v1/messages", 64, duration, script)
        if run["non2xx"] or run["socket_errors"]:
            raise RuntimeError(f"{binary}: {run['non2xx']} non-2xx and {run['socket_errors']} socket errors in the queued run")
        return {"queued": run["requests"] / bench.wait_until_drained(started)}
    finally:
        bench.stop(gateway)
        remove_database(bench, name)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("a", help="baseline binary")
    parser.add_argument("b", help="candidate binary")
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk run")
    parser.add_argument("--queued", action="store_true", help="also measure queued messages stored and delivered per second")
    args = parser.parse_args()
    for binary in (args.a, args.b):
        if not os.access(binary, os.X_OK):
            sys.exit(f"bench/ab: {binary} is not an executable file")
    busy = [port for port in (UPSTREAM, PROXY, GATEWAY) if socket.socket().connect_ex(("127.0.0.1", port)) == 0]
    if busy:
        sys.exit(f"bench/ab: loopback ports already in use: {busy}; stop whatever listens there first")
    workdir = tempfile.mkdtemp(prefix="switchboard-ab-")
    bench = Bench(args.a, None, args.duration, workdir)
    rounds = []
    try:
        bench.start_nginx()
        script = lua(os.path.join(workdir, "gateway.lua"), '{"to":"+15551234567","text":"benchmark"}',
                     {"Content-Type": "application/json", "Authorization": f"Bearer {KEY}"})
        for index in range(args.rounds):
            order = (("a", args.a), ("b", args.b)) if index % 2 == 0 else (("b", args.b), ("a", args.a))
            result = {label: measure(bench, binary, f"{label}{index}", args.duration, script) for label, binary in order}
            if args.queued:
                for label, binary in order:
                    result[label].update(measure_queued(bench, binary, f"{label}{index}q", args.duration))
            rounds.append(result)
            print(f"round {index + 1}: " + "  ".join(
                f"{label.upper()} p50 {r['p50_1']:.2f} ms, {r['rps_64']:.0f} req/s" for label, r in sorted(result.items())), flush=True)
    finally:
        bench.close()
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"\nA = {args.a}\nB = {args.b}\n{args.rounds} rounds, {args.duration} s per run, order alternating\n")
    print("| figure | A (median) | B (median) | B ÷ A (median of rounds) | B ÷ A range |")
    print("|---|---|---|---|---|")
    figures = FIGURES + ((("queued", "queued stored and delivered/s"),) if args.queued else ())
    for key, title in figures:
        a = [r["a"][key] for r in rounds]
        b = [r["b"][key] for r in rounds]
        ratios = [y / x for x, y in zip(a, b) if x]
        print(f"| {title} | {statistics.median(a):.3f} | {statistics.median(b):.3f} | {statistics.median(ratios):.3f} | "
              f"{min(ratios):.3f}–{max(ratios):.3f} |")


if __name__ == "__main__":
    main()
