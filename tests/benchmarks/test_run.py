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
