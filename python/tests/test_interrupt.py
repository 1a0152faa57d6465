"""Ctrl-C stops a long `cluster` / `dedup` call with KeyboardInterrupt: the work runs with
the GIL released, and the library asks Python's signal handlers (through its observer)
whether to stop."""

import signal
import subprocess
import sys
import textwrap
import time

import pytest

CHILD = textwrap.dedent(
    """
    import random, sys, storyclust
    rng = random.Random(5)
    vocab = [f"w{i}" for i in range(5000)]
    records = [{"id": str(i), "text": " ".join(rng.choices(vocab, k=120))} for i in range(N)]
    print("ready", flush=True)
    try:
        CALL
    except KeyboardInterrupt:
        print("KeyboardInterrupt", flush=True)
        sys.exit(3)
    print("finished", flush=True)
    """
)


def run_child(call, n, interrupt_after=None):
    """Seconds from the child's start of work to its exit, and its last line."""
    code = CHILD.replace("CALL", call).replace("N)", f"{n})")
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "ready"
        started = time.monotonic()
        if interrupt_after is not None:
            time.sleep(interrupt_after)
            child.send_signal(signal.SIGINT)
        out = child.stdout.read().strip()
        child.wait(timeout=600)
        return time.monotonic() - started, out, child.returncode
    finally:
        if child.poll() is None:
            child.kill()


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child is POSIX")
@pytest.mark.parametrize("call", ["storyclust.cluster(records)"])
def test_sigint_stops_a_long_run(call):
    full, out, code = run_child(call, 20000)
    assert (out, code) == ("finished", 0)
    stopped, out, code = run_child(call, 20000, interrupt_after=0.5)
    assert (out, code) == ("KeyboardInterrupt", 3)
    # Before, the interrupt surfaced only when the run returned (stopped ≈ full).
    assert stopped < full / 2, (stopped, full)
