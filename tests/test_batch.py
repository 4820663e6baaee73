"""Batches through the console script: a process pool gives the same bytes as one process, a bad pair is reported
without stopping the run, a SIGKILLed run resumes to byte-identical outputs, and Ray gives the same outputs again."""
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import MAC_DEV, ROOT

sys.path.insert(0, str(ROOT / "bench"))
from batch_pairs import cut_pairs  # noqa: E402

ALIGNER = [sys.executable, "-m", "aligner.cli"]
JOURNAL = ".aligner-journal.jsonl"
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
N = 10  # pairs in the test batch: enough to kill a run in the middle

pytestmark = pytest.mark.skipif(not MAC_DEV.exists(), reason="shared data not available")


def run(*args, **kw):
    return subprocess.run(ALIGNER + [str(a) for a in args], capture_output=True, text=True, env=ENV, **kw)


def outputs(d: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(d.iterdir()) if not p.name.startswith(".")}


@pytest.fixture(scope="module")
def pairs(tmp_path_factory):
    d = tmp_path_factory.mktemp("pairs")
    cut_pairs(MAC_DEV, d, N)
    return d


@pytest.fixture(scope="module")
def reference(pairs, tmp_path_factory):
    """The batch in one process (--jobs 1), with its JSON summary."""
    out = tmp_path_factory.mktemp("ref")
    summary = out.parent / "ref.json"
    r = run("align", "--batch", pairs, "--pre-split", "-o", out, "--json", summary)
    assert r.returncode == 0, r.stderr
    return out, json.loads(summary.read_text(encoding="utf-8")), r.stderr


def test_one_process_batch_is_accurate_and_summarised(pairs, reference):
    out, summary, stderr = reference
    assert len(outputs(out)) == N and summary["aligned"] == N and summary["failed"] == 0
    assert f"batch: {N} aligned, 0 already done, 0 failed" in stderr
    assert stderr.count("beads (") == N and "embed" in stderr and "search" in stderr  # one line per pair, no tty
    for res in summary["results"]:
        rows = (out / f"{res['name']}.align").read_text().splitlines()
        assert res["status"] == "aligned" and res["beads"] == len(rows) and res["error"] is None
        assert res["sentences"]["src"] == len((pairs / f"{res['name']}.zh").read_text(encoding="utf-8").splitlines())
        assert set(res["seconds"]) == {"embed", "search", "total", "cpu"} and res["seconds"]["embed"] > 0
    assert len(summary["workers"]) == 1 and summary["cpu_seconds"] > 0
    ev = json.loads(run("eval", pairs, out, "--json").stdout)["overall"]
    assert ev["F1_strict"] > 0.85 and ev["F1_lax"] > 0.97


def test_pool_gives_the_same_bytes_and_skips_done_pairs(pairs, reference, tmp_path):
    ref_out, ref_summary, _ = reference
    r = run("align", "--batch", pairs, "--pre-split", "-o", tmp_path, "--jobs", "2", "--json", "-", "-q")
    assert r.returncode == 0, r.stderr
    summary = json.loads(r.stdout)
    assert outputs(tmp_path) == outputs(ref_out)
    assert 1 <= len(summary["workers"]) <= 2 and all(w["pairs"] > 0 and w["peak_rss_mb"] > 0
                                                     for w in summary["workers"].values())
    assert sum(w["pairs"] for w in summary["workers"].values()) == N
    assert "beads (" not in r.stderr  # -q: only the final line
    (tmp_path / "001-003.align").write_text("[0]:[0]\n")  # a damaged output is redone, a removed one too
    (tmp_path / "001-005.align").unlink()
    r = run("align", "--batch", pairs, "--pre-split", "-o", tmp_path, "--jobs", "2")
    assert r.returncode == 0 and f"batch: 2 aligned, {N - 2} already done" in r.stderr, r.stderr
    assert outputs(tmp_path) == outputs(ref_out)


def test_a_failed_pair_is_reported_and_does_not_stop_the_run(pairs, reference, tmp_path):
    ref_out = reference[0]
    (tmp_path / "empty.zh").write_text("")
    man = tmp_path / "pairs.tsv"
    man.write_text(f"{pairs / '001-000.zh'}\t{pairs / '001-000.en'}\n"
                   f"{tmp_path / 'empty.zh'}\t{pairs / '001-001.en'}\n"
                   f"{pairs / 'nope.zh'}\t{pairs / '001-001.en'}\n"
                   f"{pairs / '001-002.zh'}\t{pairs / '001-002.en'}\n", encoding="utf-8")
    out = tmp_path / "out"
    for n_jobs, done in (("2", 0), ("1", 2)):
        r = run("align", "--manifest", man, "--pre-split", "-o", out, "--jobs", n_jobs, "--json", tmp_path / "s.json")
        assert r.returncode == 1, r.stderr
        assert f"batch: {2 - done} aligned, {done} already done, 2 failed" in r.stderr
        assert "error: empty:" in r.stderr and "error: nope:" in r.stderr and "Traceback" not in r.stderr
        res = {x["name"]: x for x in json.loads((tmp_path / "s.json").read_text())["results"]}
        assert res["empty"]["status"] == "failed" and "empty" in res["empty"]["error"]
        assert res["nope"]["status"] == "failed" and res["001-000"]["status"] == ("skipped" if done else "aligned")
    assert outputs(out) == {k: v for k, v in outputs(ref_out).items() if k in ("001-000.align", "001-002.align")}


def test_outputs_that_collide_are_refused(pairs, tmp_path):
    man = tmp_path / "pairs.tsv"
    man.write_text(f"{pairs / '001-000.zh'}\t{pairs / '001-000.en'}\t{tmp_path / 'x.align'}\n"
                   f"{pairs / '001-001.zh'}\t{pairs / '001-001.en'}\t{tmp_path / 'x.align'}\n", encoding="utf-8")
    r = run("align", "--manifest", man, "--pre-split", "-o", tmp_path)
    assert r.returncode == 1 and "written twice" in r.stderr and not (tmp_path / "x.align").exists()
    r = run("align", "--batch", pairs, "--pre-split", "-f", "moses", "-o", pairs)
    assert r.returncode == 1 and "would be overwritten" in r.stderr, r.stderr


def test_sigkill_mid_run_then_restart_gives_identical_outputs(pairs, reference, tmp_path):
    ref_out = reference[0]
    out = tmp_path / "out"
    cmd = ALIGNER + ["align", "--batch", str(pairs), "--pre-split", "-o", str(out), "--jobs", "2", "-q"]
    proc = subprocess.Popen(cmd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    journal = out / JOURNAL
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and proc.poll() is None:
        if journal.exists() and journal.read_text().count("\n") >= 3:
            break
        time.sleep(0.05)
    assert proc.poll() is None, "the batch ended before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    done_before = journal.read_text().count("\n")
    assert 3 <= done_before < N
    # the workers notice that the batch process is gone and exit: nothing is left running in its session
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            os.killpg(proc.pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.2)
    else:
        os.killpg(proc.pid, signal.SIGKILL)
        pytest.fail("batch workers outlived the killed batch process")
    r = run("align", "--batch", pairs, "--pre-split", "-o", out, "--jobs", "2")
    assert r.returncode == 0, r.stderr
    skipped = int(r.stderr.split(" already done")[0].rsplit(", ", 1)[1])
    assert skipped >= done_before
    assert outputs(out) == outputs(ref_out)
    assert not [p.name for p in out.iterdir() if p.name.endswith(".tmp")]


def test_ray_local_cluster_gives_the_same_outputs(pairs, reference, tmp_path):
    pytest.importorskip("ray")
    ref_out = reference[0]
    sub = tmp_path / "in"
    sub.mkdir()
    for p in sorted(pairs.glob("001-00[0-5].*")):
        (sub / p.name).write_bytes(p.read_bytes())
    out = tmp_path / "out"
    r = run("align", "--batch", sub, "--pre-split", "-o", out, "--engine", "ray", "--jobs", "2",
            "--json", tmp_path / "s.json", timeout=400)
    assert r.returncode == 0, r.stderr[-3000:]
    assert "WARNING" not in r.stderr and "Traceback" not in r.stderr, r.stderr[-3000:]
    summary = json.loads((tmp_path / "s.json").read_text())
    assert summary["engine"] == "ray" and summary["aligned"] == 6 and 1 <= len(summary["workers"]) <= 2
    assert all(":" in w for w in summary["workers"]) and summary["dispatch_seconds_per_pair"] >= 0
    assert outputs(out) == {k: v for k, v in outputs(ref_out).items() if k.startswith("001-00") and k[6] in "012345"}


def test_progress_bar_on_a_terminal(pairs, tmp_path):
    import pty
    sub = tmp_path / "in"
    sub.mkdir()
    for p in sorted(pairs.glob("001-00[0-3].*")):
        (sub / p.name).write_bytes(p.read_bytes())
    master, slave = pty.openpty()
    proc = subprocess.Popen(ALIGNER + ["align", "--batch", str(sub), "--pre-split", "-o", str(tmp_path / "out")],
                            env={**ENV, "COLUMNS": "160", "TERM": "xterm"}, stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=slave)
    os.close(slave)
    seen = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    os.close(master)
    assert proc.wait(timeout=120) == 0
    text = seen.decode("utf-8", "replace")
    assert "aligning" in text and "eta" in text and "4/4" in text and "embed" in text and "search" in text
    assert "beads (" not in text  # the bar replaces the per-pair lines
    assert "batch: 4 aligned" in text


def test_spawned_workers_give_the_same_bytes(pairs, reference, tmp_path, monkeypatch):
    """Where fork servers do not exist (macOS, Windows) the pool spawns fresh interpreters: same results."""
    import multiprocessing

    from aligner.batch import BatchOptions, discover_jobs, run_batch, runner
    monkeypatch.setattr(runner, "_mp_context", lambda: multiprocessing.get_context("spawn"))
    sub = tmp_path / "in"
    sub.mkdir()
    for p in sorted(pairs.glob("001-00[0-3].*")):
        (sub / p.name).write_bytes(p.read_bytes())
    out = tmp_path / "out"
    opts = BatchOptions(pre_split=True)
    jobs = discover_jobs(sub, None, out, "zh", "en", True, "align")
    events = []
    report = run_batch(jobs, opts, n_jobs=2, journal_path=out / JOURNAL, on_event=lambda k, d: events.append(k))
    # the pairs ran in worker processes (on a busy machine one worker may take all four before the other is up)
    assert report.failed == 0 and 1 <= len(report.workers()) <= 2 and str(os.getpid()) not in report.workers()
    assert events[0] == "plan" and events.count("result") == 4
    assert outputs(out) == {k: v for k, v in outputs(reference[0]).items() if k[:7] in {f"001-00{i}" for i in "0123"}}


def test_a_worker_killed_mid_run_costs_no_pair(pairs, reference, tmp_path):
    """A worker that dies (OOM killer, crash) breaks the pool: its pairs are rerun one at a time in a fresh pool."""
    out = tmp_path / "out"
    proc = subprocess.Popen(ALIGNER + ["align", "--batch", str(pairs), "--pre-split", "-o", str(out), "--jobs", "2",
                                       "--json", str(tmp_path / "s.json"), "-q"],
                            env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    journal = out / JOURNAL
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and proc.poll() is None:
        if journal.exists() and journal.read_text().count("\n") >= 2:
            break
        time.sleep(0.05)
    ps = subprocess.run(["ps", "-ww", "-o", "pid=,ppid=,args=", "-g", str(proc.pid)], capture_output=True, text=True).stdout
    rows = [line.split(None, 2) for line in ps.splitlines()]
    server = [int(pid) for pid, ppid, args in rows if int(ppid) == proc.pid and "forkserver" in args]
    workers = [int(pid) for pid, ppid, _ in rows if server and int(ppid) == server[0]]
    assert workers, ps
    os.kill(workers[0], signal.SIGKILL)
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    summary = json.loads((tmp_path / "s.json").read_text())
    assert summary["aligned"] == N and summary["failed"] == 0 and summary["worker_restarts"] >= 1
    assert outputs(out) == outputs(reference[0])
