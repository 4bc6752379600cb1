"""One Deidentifier shared by many Python threads; the interpreter is released during work."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import deid

NOTE = "Seen by Dr. Jane Roe on 03/14/2021, call 617-555-0134, MRN: 00482913. " * 20


def test_shared_across_threads(d: deid.Deidentifier) -> None:
    texts = [f"{NOTE} Visit {i} with Tom Lee on {1 + i % 12}/{1 + i % 28}/2020." for i in range(400)]
    expected = [d.redact(t) for t in texts]
    with ThreadPoolExecutor(max_workers=8) as pool:
        got = list(pool.map(d.redact, texts))
        batches = list(pool.map(lambda i: d.redact_batch(texts[i : i + 50]), range(0, 400, 50)))
        scans = list(pool.map(d.scan, texts))
    assert got == expected
    assert [r for b in batches for r in b] == expected
    assert scans == [r.spans for r in expected]


def test_constructed_concurrently() -> None:
    with ThreadPoolExecutor(max_workers=4) as pool:
        ds = list(pool.map(lambda s: deid.Deidentifier(strategy=s), ["tag", "mask"] * 4))
    assert {x.strategy for x in ds} == {"tag", "mask"}


def test_interpreter_released_during_batch(d: deid.Deidentifier) -> None:
    texts = [NOTE] * 3000
    done = threading.Event()
    elapsed: list[float] = []

    def work() -> None:
        t0 = time.perf_counter()
        d.redact_batch(texts, n_threads=1)
        elapsed.append(time.perf_counter() - t0)
        done.set()

    ticks = 0
    worker = threading.Thread(target=work)
    worker.start()
    while not done.is_set():
        ticks += 1
        time.sleep(0)
    worker.join()
    # While the worker's call runs in Rust, this thread keeps running Python; if the call held
    # the interpreter, the loop would be stuck for the whole call.
    assert elapsed[0] > 0.05, "batch too small to measure"
    assert ticks > 1000, (ticks, elapsed)
