"""Issue 8's contract, through the installed console script in a subprocess: exit codes, one line of message,
no traceback, inputs and special files untouched (one test per case of the issue's items 1, 2, 3, 4, 7, 11, 12).

Exit codes: 0 success, 1 runtime error, 2 usage error, 130 SIGINT, 143 SIGTERM (README "Command-line contract").
"""
from __future__ import annotations

import hashlib
import json
import os
import pty
import select
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import MAC_DEV, ROOT
from sample_pair import EN, ZH

import aligner

SCRIPT = Path(sys.executable).with_name("aligner")
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
ENV.pop("ALIGNER_DEBUG", None)


def run(*args, stdin: bytes | None = None, env: dict | None = None, cwd=None, timeout: float = 300):
    return subprocess.run([str(SCRIPT), *map(str, args)], input=stdin, capture_output=True, timeout=timeout,
                          env=env or ENV, cwd=cwd)


def lines(data: bytes) -> list[str]:
    return [x for x in data.decode("utf-8", "replace").splitlines() if x.strip()]


def one_line(r, code: int, needle: str = "") -> str:
    """The run exited ``code`` with exactly one line on stderr (containing ``needle``) and no traceback."""
    err = lines(r.stderr)
    assert r.returncode == code, (r.returncode, r.stderr.decode())
    assert b"Traceback" not in r.stderr
    assert len(err) == 1, r.stderr.decode()
    assert err[0].startswith("aligner: ")
    assert needle.lower() in err[0].lower(), err[0]
    return err[0]


def digest(*paths: Path) -> list[str]:
    return [hashlib.sha256(p.read_bytes()).hexdigest() for p in paths]


@pytest.fixture()
def pair(tmp_path) -> Path:
    (tmp_path / "a.zh").write_text("\n".join(ZH) + "\n", encoding="utf-8")
    (tmp_path / "a.en").write_text("\n".join(EN) + "\n", encoding="utf-8")
    return tmp_path


def test_the_script_is_installed():
    assert SCRIPT.exists(), f"{SCRIPT}: the console script is not installed (pip install -e .)"


# --------------------------------------------------------------------------- 1. failures exit non-zero

def test_no_output_is_a_usage_error(pair):
    one_line(run("align", pair / "a.zh", pair / "a.en"), 2, "-o")


def test_equal_languages_are_a_usage_error(pair):
    one_line(run("align", pair / "a.zh", pair / "a.en", "--src-lang", "en", "--tgt-lang", "english",
                 "-o", pair / "x.tsv"), 2, "different languages")
    assert not (pair / "x.tsv").exists()


def test_missing_batch_folder_exits_1(tmp_path):
    one_line(run("align", "--batch", tmp_path / "nope", "-o", tmp_path / "out"), 1, "not a folder")


def test_batch_with_failed_pairs_exits_1(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "001.zh").write_text("\n".join(ZH) + "\n", encoding="utf-8")
    (src / "001.en").write_text("\n".join(EN) + "\n", encoding="utf-8")
    for name in ("002", "003"):
        (src / f"{name}.zh").write_bytes(b"")                      # empty: fails
        (src / f"{name}.en").write_text("\n".join(EN) + "\n", encoding="utf-8")
    r = run("align", "--batch", src, "--pre-split", "-q", "-o", tmp_path / "out")
    assert r.returncode == 1 and b"Traceback" not in r.stderr
    assert "1 aligned, 0 already done, 2 failed" in r.stderr.decode()
    assert (tmp_path / "out" / "001.align").exists() and not (tmp_path / "out" / "002.align").exists()


def _interrupt(tmp_path: Path, sig: int) -> tuple[int, list[str], Path]:
    """Start a long alignment with -v, wait for its first INFO line (so the handlers are in place and the work
    has begun), send ``sig``; return the exit code, the stderr lines after the INFO lines, and the output path."""
    if MAC_DEV.exists():
        src, tgt = MAC_DEV / "001.zh.txt", MAC_DEV / "001.en.txt"
    else:
        src, tgt = ROOT / "examples" / "un-letter.zh.txt", ROOT / "examples" / "un-letter.en.txt"
    out = tmp_path / "x.tmx"
    p = subprocess.Popen([str(SCRIPT), "-v", "align", str(src), str(tgt), "-o", str(out)], env=ENV,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    seen = b""
    deadline = time.monotonic() + 120
    while b"segmented" not in seen and time.monotonic() < deadline and p.poll() is None:
        ready, _, _ = select.select([p.stderr], [], [], 1.0)
        if ready:
            seen += os.read(p.stderr.fileno(), 65536)
    assert b"segmented" in seen, seen.decode()
    p.send_signal(sig)
    rest = p.stderr.read()
    p.wait(timeout=60)
    after = [x for x in lines(seen + rest) if ": INFO: " not in x]
    return p.returncode, after, out


@pytest.mark.parametrize("sig, code, name", [(signal.SIGINT, 130, "SIGINT"), (signal.SIGTERM, 143, "SIGTERM")])
def test_signals_exit_128_plus_n_with_one_line_and_no_output(tmp_path, sig, code, name):
    rc, err, out = _interrupt(tmp_path, sig)
    assert rc == code
    assert len(err) == 1 and err[0].startswith("aligner: interrupted by " + name), err
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []                          # no temporary file left behind


# --------------------------------------------------------------------------- 2. usage errors: no traceback

def test_version():
    r = run("--version")
    assert r.returncode == 0 and r.stdout.decode().strip() == f"aligner {aligner.__version__}"
    assert r.stderr == b""


def test_no_arguments_is_a_usage_error():
    one_line(run(), 2, "no command")


def test_unknown_command_is_a_usage_error():
    one_line(run("nosuchcmd"), 2, "nosuchcmd")


@pytest.mark.parametrize("flag", ["-h", "--help"])
def test_help_flags(flag):
    r = run("align", flag)
    assert r.returncode == 0 and b"--src-encoding" in r.stdout and b"Traceback" not in r.stderr


def test_unknown_option_is_a_usage_error(pair):
    one_line(run("align", pair / "a.zh", pair / "a.en", "--bogus", "-o", pair / "x.tsv"), 2, "--bogus")


@pytest.mark.parametrize("option, value", [("--max-bead", "0"), ("--max-bead", "x"), ("--threads", "-2"),
                                           ("--min-score", "2"), ("--min-score", "-0.1"), ("--src-lang", "de"),
                                           ("--model", "nosuchmodel"), ("--quality", "ultra"),
                                           ("--encoding", "nosuchcodec")])
def test_bad_option_values_are_usage_errors(pair, option, value):
    one_line(run("align", pair / "a.zh", pair / "a.en", option, value, "-o", pair / "x.tsv"), 2, option.lstrip("-")
             if option not in ("--model", "--quality", "--encoding") else "")
    assert not (pair / "x.tsv").exists()


@pytest.mark.parametrize("value", ["1.5", "-0.1"])
def test_review_min_score_out_of_range_is_a_usage_error_as_in_align(pair, value):
    al = pair / "r.jsonl"
    assert run("align", pair / "a.zh", pair / "a.en", "--pre-split", "-q", "-o", al).returncode == 0
    one_line(run("review", al, "--min-score", value, "-o", pair / "r.tmx"), 2, "min-score")
    assert not (pair / "r.tmx").exists()


def test_missing_lang_is_a_usage_error(pair):
    one_line(run("segment", pair / "a.zh"), 2, "--lang")


def test_bad_cache_dir_is_a_clean_error(pair):
    one_line(run("align", pair / "a.zh", pair / "a.en", "--pre-split", "--cache-dir", "/proc/nope",
                 "-o", pair / "x.tsv"), 1, "/proc/nope")


def test_debug_shows_the_traceback(pair):
    r = run("--debug", "align", pair / "missing.zh", pair / "a.en", "-o", pair / "x.tsv")
    assert r.returncode == 1 and b"Traceback" in r.stderr and b"no such file" in r.stderr
    r = run("align", pair / "missing.zh", pair / "a.en", "-o", pair / "x.tsv", env={**ENV, "ALIGNER_DEBUG": "1"})
    assert r.returncode == 1 and b"Traceback" in r.stderr


# --------------------------------------------------------------------------- 3. inputs never overwritten

def test_moses_output_named_like_the_inputs_is_refused(pair):
    before = digest(pair / "a.zh", pair / "a.en")
    one_line(run("align", pair / "a.zh", pair / "a.en", "--pre-split", "-f", "moses", "-o", pair / "a"), 1,
             "is the input")
    assert digest(pair / "a.zh", pair / "a.en") == before


def test_output_naming_an_input_is_refused(pair):
    before = digest(pair / "a.zh", pair / "a.en")
    (pair / "link").symlink_to(pair / "a.en")
    for out in (pair / "a.en", pair / "link", pair / ".." / pair.name / "a.zh"):
        one_line(run("align", pair / "a.zh", pair / "a.en", "--pre-split", "-f", "tsv", "-o", out), 1,
                 "is the input")
    assert digest(pair / "a.zh", pair / "a.en") == before


@pytest.mark.parametrize("force", [True, False])
def test_batch_into_its_own_folder_is_refused(tmp_path, force):
    bm = tmp_path / "bm"
    bm.mkdir()
    (bm / "001.zh").write_text("\n".join(ZH) + "\n", encoding="utf-8")
    (bm / "001.en").write_text("\n".join(EN) + "\n", encoding="utf-8")
    before = digest(bm / "001.zh", bm / "001.en")
    r = run("align", "--batch", bm, "-f", "moses", "-o", bm, "--pre-split", *(["--force"] if force else []))
    one_line(r, 1, "is the input")                                 # never "1 already done"
    assert digest(bm / "001.zh", bm / "001.en") == before
    if not force:
        r = run("align", "--batch", bm, "-f", "tsv", "-o", bm, "--pre-split", "-q")  # no collision: allowed
        assert r.returncode == 0 and (bm / "001.tsv").exists()


# --------------------------------------------------------------------------- 4. special files streamed into

def test_dev_stdout_is_streamed_not_replaced(pair):
    before = os.readlink("/dev/stdout")
    r = run("align", pair / "a.zh", pair / "a.en", "--pre-split", "-q", "-f", "align", "-o", "/dev/stdout")
    assert r.returncode == 0, r.stderr
    assert r.stdout.decode().splitlines()[2].startswith("[2]:[2,3]:")
    assert os.path.islink("/dev/stdout") and os.readlink("/dev/stdout") == before


def test_fifo_is_streamed_not_replaced(pair):
    fifo = pair / "out.fifo"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    r = run("align", pair / "a.zh", pair / "a.en", "--pre-split", "-q", "-f", "tsv", "-o", fifo)
    got = reader.communicate(timeout=120)[0].decode()
    assert r.returncode == 0, r.stderr
    assert got.splitlines()[0].startswith("src_ids\ttgt_ids") and len(got.splitlines()) == 6
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_character_device_is_streamed_not_replaced(pair):
    r = run("align", pair / "a.zh", pair / "a.en", "--pre-split", "-q", "-f", "tsv", "-o", "/dev/null")
    assert r.returncode == 0, r.stderr
    assert stat.S_ISCHR(os.lstat("/dev/null").st_mode)


def test_symlink_is_written_through(pair):
    (pair / "real.tsv").write_text("old\n", encoding="utf-8")
    (pair / "link.tsv").symlink_to("real.tsv")
    r = run("align", pair / "a.zh", pair / "a.en", "--pre-split", "-q", "-o", pair / "link.tsv")
    assert r.returncode == 0, r.stderr
    assert os.path.islink(pair / "link.tsv") and os.readlink(pair / "link.tsv") == "real.tsv"
    assert len((pair / "real.tsv").read_text(encoding="utf-8").splitlines()) == 6


# --------------------------------------------------------------------------- 7. encodings

def test_per_file_encodings(pair):
    en = "Caf\u00e9 cr\u00e8me was served. The na\u00efve guest smiled.\n"
    (pair / "b.en").write_bytes(en.encode("cp1252"))
    (pair / "b.zh").write_text("咖啡奶油端上来了。天真的客人笑了。\n", encoding="utf-8")
    r = run("align", pair / "b.zh", pair / "b.en", "-q", "-o", pair / "b.jsonl")
    one_line(r, 1, "cannot decode")                                # no guess at 8-bit English
    r = run("align", pair / "b.zh", pair / "b.en", "-q", "--tgt-encoding", "cp1252", "-o", pair / "b.jsonl")
    assert r.returncode == 0, r.stderr
    rows = [json.loads(x) for x in (pair / "b.jsonl").read_text(encoding="utf-8").splitlines()]
    assert "Caf\u00e9 cr\u00e8me was served." in [x["tgt_text"] for x in rows]
    r = run("align", pair / "b.zh", pair / "b.en", "-q", "--encoding", "cp1252", "-o", pair / "c.jsonl")
    assert r.returncode == 1                                       # --encoding is both files: the UTF-8 Chinese fails


def test_nul_byte_in_utf8_is_a_warning_not_utf16(pair):
    data = ("\n".join(ZH[:2]) + "\x00\n" + "\n".join(ZH[2:]) + "\n").encode("utf-8")
    (pair / "n.zh").write_bytes(data)
    r = run("align", pair / "n.zh", pair / "a.en", "--pre-split", "-q", "-o", pair / "n.jsonl")
    assert r.returncode == 0, r.stderr
    warn = one_line(r, 0, "NUL byte")
    assert warn.startswith("aligner: warning:") and "UTF-8" in warn
    rows = [json.loads(x) for x in (pair / "n.jsonl").read_text(encoding="utf-8").splitlines()]
    assert rows[0]["src_text"] == ZH[0]                             # decoded as UTF-8, not CJK garbage


@pytest.mark.parametrize("codec, name", [("utf-16-le", "UTF-16 LE"), ("utf-16-be", "UTF-16 BE")])
def test_bomless_utf16_chinese_is_read_and_the_guess_said(pair, codec, name):
    (pair / "u.zh").write_bytes(("\n".join(ZH) + "\n").encode(codec))
    r = run("align", pair / "u.zh", pair / "a.en", "--pre-split", "-q", "-o", pair / "u.align")
    warn = one_line(r, 0, name)
    assert "guessed" in warn
    assert (pair / "u.align").read_text().splitlines()[2].startswith("[2]:[2,3]:")


# --------------------------------------------------------------------------- 11. library exceptions

@pytest.mark.parametrize("call, needle", [
    (lambda: aligner.align(None, EN), "NoneType"),
    (lambda: aligner.align(123, EN), "int"),
    (lambda: aligner.align(ZH, EN, max_bead="5"), "max_bead"),
    (lambda: aligner.align(ZH, EN, max_bead=0), "max_bead"),
    (lambda: aligner.align("我来了。".encode(), EN), "decode"),
    (lambda: aligner.align(["我来了\ud800。"], EN), "surrogate"),
    (lambda: aligner.align("我来了\udcff。", "I came."), "surrogate"),
    (lambda: aligner.align(ZH, EN, cache_dir="/proc/nope"), "cache_dir"),
    (lambda: aligner.Aligner(src_lang="de"), "'de'"),
    (lambda: aligner.align(ZH, EN, src_lang="en", tgt_lang="en"), "different languages"),
    (lambda: aligner.Aligner(quality="ultra"), "quality"),
    (lambda: aligner.Aligner(model="nosuchmodel"), "model"),
    (lambda: aligner.Aligner(threads=0), "threads"),
    (lambda: aligner.align(EN, ZH), "swap"),
    (lambda: aligner.align(EN, EN), "both look like English"),
])
def test_library_bad_arguments_raise_input_error(call, needle):
    with pytest.raises(aligner.InputError) as info:
        call()
    assert isinstance(info.value, ValueError)                      # InputError is also a ValueError
    assert "\n" not in str(info.value) and needle in str(info.value)


def test_empty_sentences_are_never_paired(usem3_aligner, tmp_path):
    al = usem3_aligner.align(["", "我来了。"], ["", "I came."])
    pairs = [(b.src, b.tgt) for b in al.beads]
    assert ((0,), ()) in pairs and ((), (0,)) in pairs and ((1,), (1,)) in pairs
    assert all(not (b.src == (0,) and b.tgt == (0,)) for b in al.beads)
    from translate.storage import tmx
    units = tmx.tmxfile.parsefile(str(al.write(tmp_path / "x.tmx", min_score=0.0)[0])).units
    assert [(u.source, u.target) for u in units] == [("我来了。", "I came.")]
    al = usem3_aligner.align([ZH[0], "  ", ZH[1]], [EN[0], "\t", EN[1]])
    assert ((1,), ()) in [(b.src, b.tgt) for b in al.beads] and ((), (1,)) in [(b.src, b.tgt) for b in al.beads]
    for b in al.beads:                                             # a real pair has text on both sides
        if b.src and b.tgt:
            assert any(al.src[i].text.strip() for i in b.src) and any(al.tgt[j].text.strip() for j in b.tgt)


def test_cli_refuses_what_the_library_refuses(pair):
    one_line(run("align", pair / "a.en", pair / "a.zh", "--pre-split", "-o", pair / "x.tsv"), 1, "swap")
    one_line(run("align", pair / "a.en", pair / "a.en", "--pre-split", "-o", pair / "x.tsv"), 1, "English")


# --------------------------------------------------------------------------- 12. missing basics

def test_progress_bar_on_a_terminal_only(pair):
    master, slave = pty.openpty()
    p = subprocess.Popen([str(SCRIPT), "align", str(pair / "a.zh"), str(pair / "a.en"), "--pre-split",
                          "-o", str(pair / "p.tsv")], stderr=slave, stdout=subprocess.DEVNULL,
                         env={**ENV, "ALIGNER_PROGRESS_DELAY": "0", "COLUMNS": "100"})
    os.close(slave)
    shown = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    assert p.wait(timeout=120) == 0
    os.close(master)
    text = shown.decode("utf-8", "replace")
    assert "segmenting" in text and "embedding" in text and "sentences   zh: 5" in text
    r = run("align", pair / "a.zh", pair / "a.en", "--pre-split", "-o", pair / "q.tsv",
            env={**ENV, "ALIGNER_PROGRESS_DELAY": "0"})      # stderr is a pipe: no bar
    assert r.returncode == 0 and b"segmenting" not in r.stderr
    master, slave = pty.openpty()
    p = subprocess.Popen([str(SCRIPT), "align", str(pair / "a.zh"), str(pair / "a.en"), "--pre-split", "-q",
                          "-o", str(pair / "p2.tsv")], stderr=slave, env={**ENV, "ALIGNER_PROGRESS_DELAY": "0"})
    os.close(slave)
    assert p.wait(timeout=120) == 0
    try:
        quiet = os.read(master, 65536)
    except OSError:
        quiet = b""
    os.close(master)
    assert quiet == b""                                            # -q: nothing at all


def test_library_progress_callback(usem3_aligner):
    calls = []
    usem3_aligner.align(ZH, EN, progress=lambda *a: calls.append(a))
    stages = [c[0] for c in calls]
    assert stages[0] == "segmenting" and stages[-1] == "search" and "embedding" in stages
    assert calls[-1] == ("search", 1, 1)
    assert all(0 <= d <= t for _, d, t in calls)


def test_stdin_input_and_stdout_output(pair):
    data = ("\n".join(ZH) + "\n").encode("utf-8")
    r = run("align", "-", pair / "a.en", "--pre-split", "-q", "-o", "-", "-f", "align", stdin=data)
    assert r.returncode == 0, r.stderr
    assert r.stdout.decode().splitlines()[2].startswith("[2]:[2,3]:") and r.stderr == b""
    one_line(run("align", "-", "-", "--pre-split", "-o", pair / "x.tsv", stdin=data), 2, "standard input")
    one_line(run("align", pair / "a.zh", pair / "a.en", "-o", "-"), 2, "format")
    one_line(run("align", pair / "a.zh", pair / "a.en", "-o", "-", "-f", "moses"), 2, "two files")


def test_verbose_shows_library_logs(pair):
    r = run("--verbose", "align", pair / "a.zh", pair / "a.en", "--pre-split", "-q", "-o", pair / "v.tsv")
    assert r.returncode == 0 and b"INFO: aligner.api: segmented: 5 zh and 6 en sentences" in r.stderr
    r = run("align", pair / "a.zh", pair / "a.en", "--pre-split", "-q", "-o", pair / "v.tsv")
    assert r.returncode == 0 and b"INFO" not in r.stderr


def test_min_score_counts_and_warns_when_everything_is_dropped(pair):
    r = run("align", pair / "a.zh", pair / "a.en", "--pre-split", "-q", "--min-score", "1", "-o", pair / "x.tmx")
    one_line(r, 0, "dropped every unit (5 of 5)")
    assert "warning:" in r.stderr.decode()
    r = run("align", pair / "a.zh", pair / "a.en", "--pre-split", "--min-score", "0", "-o", pair / "y.tmx")
    assert r.returncode == 0 and "dropped 0 of 5 units" in r.stderr.decode()


def test_extension_and_format_must_agree(pair):
    one_line(run("align", pair / "a.zh", pair / "a.en", "-o", pair / "x.tmx", "-f", "tsv"), 2, "extension")
    assert not (pair / "x.tmx").exists()


def test_second_output_with_batch_is_a_usage_error(tmp_path):
    one_line(run("align", "--batch", tmp_path, "-o", tmp_path / "a", "-o", tmp_path / "b"), 2, "one -o")


def test_colliding_manifest_outputs_are_an_error(pair):
    man = pair / "pairs.tsv"
    man.write_text(f"{pair / 'a.zh'}\t{pair / 'a.en'}\t{pair / 'same.align'}\n"
                   f"{pair / 'a.zh'}\t{pair / 'a.en'}\t{pair / 'same.align'}\n", encoding="utf-8")
    one_line(run("align", "--manifest", man, "--pre-split", "-o", pair), 1, "written twice")
    assert not (pair / "same.align").exists()
