"""The bench's own arithmetic: a p95 is the 95th percentile by nearest rank, and where the runs
are too few for it to be anything but the slowest run the table says "max"."""

from benchmarks.run import Figure, percentile, table


def test_the_p95_of_forty_runs_is_the_38th_not_the_slowest():
    samples = [float(n) for n in range(1, 41)]
    assert percentile(samples, 95) == 38.0
    figure = Figure(name="Push", runs=40, samples=samples)
    assert not figure.p95_is_max
    assert "| 38.00 s |" in table([figure])


def test_twenty_runs_give_the_19th_and_ten_runs_the_slowest_labelled_max():
    twenty = Figure(name="Import", runs=20, samples=[float(n) for n in range(1, 21)])
    assert (twenty.p95, twenty.p95_is_max) == (19.0, False)
    ten = Figure(name="Export", runs=10, samples=[float(n) for n in range(1, 11)])
    assert (ten.p95, ten.p95_is_max) == (10.0, True)
    assert "| 10.00 s (max) |" in table([ten])


def test_the_load_clients_ask_for_every_filter_set_in_turn(monkeypatch):
    # Given a server that answers 200 and notes each path, and five filter sets
    import threading
    from collections import Counter
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from benchmarks import run

    seen = Counter()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            seen[self.path] += 1
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setattr(run, "LOAD_SECONDS", 1)
    monkeypatch.setattr(run, "LOAD_CLIENTS", 3)
    paths = [f"/dieu-hanh/?set={n}" for n in range(5)]
    try:
        # when the clients hammer it for a second
        latencies, errors = run._hammer(server.server_address[1], paths, "session")
    finally:
        server.shutdown()
    # then every set was asked for, evenly (each client walks them in turn), without error
    assert errors == 0
    assert set(seen) == set(paths)
    assert sum(seen.values()) == len(latencies)
    assert max(seen.values()) - min(seen.values()) <= 3  # one unfinished round per client
