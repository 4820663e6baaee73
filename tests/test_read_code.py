"""Program code is not prose: the PDF reader (monospace lines), the text reflow (pdftotext-like code runs, printed
fences) and the CLI set it aside as kind ``code``, counted; prose that mentions code stays prose."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from aligner.read import read_document
from aligner.segment.code import code_lines, code_like

ROOT = Path(__file__).resolve().parents[1]

PROSE1 = ("Ownership is a set of rules that govern how a program manages memory. All programs have to manage the "
          "way they use a computer's memory while running.")
PROSE2 = ("The variable s refers to a string literal, where the value of the string is hardcoded into the text of "
          "our program. We call String::from(\"hello\") to make one on the heap.")
CODE = ['fn main() {', '    let s = String::from("hello");', '    println!("{s}, world!");', '}']


def _pdf_with_code(path: Path) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, Preformatted, SimpleDocTemplate

    body = ParagraphStyle("b", fontName="Times-Roman", fontSize=11, leading=15, spaceAfter=7)
    mono = ParagraphStyle("c", fontName="Courier", fontSize=9.5, leading=12, spaceAfter=7, leftIndent=12)
    story = [Paragraph(PROSE1, body), Preformatted("\n".join(CODE), mono), Paragraph(PROSE2, body)]
    SimpleDocTemplate(str(path), pagesize=A4).build(story)
    return path


def test_pdf_monospace_block_is_code(tmp_path):
    pytest.importorskip("reportlab")
    doc = read_document(_pdf_with_code(tmp_path / "code.pdf"), "en")
    kinds = [(b.kind, b.text) for b in doc.blocks if b.kind != "furniture"]
    assert [k for k, _ in kinds] == ["text", "code", "text"], kinds
    assert kinds[1][1].startswith("fn main() {") and kinds[1][1].rstrip().endswith("}")
    assert kinds[0][1].startswith("Ownership is") and kinds[2][1].endswith("on the heap.")
    counts = doc.set_aside()
    assert counts["code"] == sum(len(x.replace(" ", "")) for x in CODE)
    assert doc.stats["code_lines"] == 4
    assert any("monospace" in n for n in doc.notes)


PDFTOTEXT = "\n".join([
    "Ownership is a set of rules that govern how a Rust program manages memory. All programs have to",
    "manage the way they use a computer's memory while running. Some languages have garbage collection",
    "that looks for no-longer-used memory as the program runs; we call String::from(\"hello\") and",
    "x = (a + b) / 2 holds. Take the following program:",
    "fn main() {",
    "let s = String::from(\"hello\");",
    "println!(\"{s}, world!\");",
    "}",
    "The variable s is valid from the point at which it is declared until the end of the current scope, and",
    "the memory is returned once the variable that owns it goes out of scope. This is a natural point at",
    "which Rust calls drop for us.",
    "\f",
    "Page 2",
    "When a variable goes out of scope, Rust calls a special function for us. This function is called drop,",
    "and it is where the author of String can put the code to return the memory. Rust calls drop",
    "automatically at the closing curly bracket.",
    "```rust let s1 = String::from(\"hello\"); ```",
    "The same is true of the second example, which the page prints between fences as the book writes it.",
]) + "\n"


def test_pdftotext_code_run_set_aside_prose_mentioning_code_kept(tmp_path):
    f = tmp_path / "ch.txt"
    f.write_text(PDFTOTEXT, encoding="utf-8")
    doc = read_document(f, "en")
    code = [b.text for b in doc.blocks if b.kind == "code"]
    assert code == ['fn main() { let s = String::from("hello"); println!("{s}, world!"); }',
                    '```rust let s1 = String::from("hello"); ```'], code
    prose = [b.text for b in doc.blocks if b.kind == "text"]
    assert any('we call String::from("hello") and x = (a + b) / 2 holds.' in p for p in prose), prose
    assert any(p.startswith("The variable s is valid") for p in prose)
    assert doc.set_aside()["code"] == sum(len(c.replace(" ", "")) for c in code)
    assert any("program code" in n for n in doc.notes)


def test_code_like_is_conservative():
    assert code_like('let s = String::from("hello");') and code_like("}")
    for prose in ('We call String::from("hello"); here.', "for example, the following:", "E = mc^2 (c is light)",
                  "* [Pull CDNs](#pull-cdns) * [Load balancer](#load-balancer)", "变量 s = 1；"):
        assert not code_like(prose), prose
    # an enumeration in a law ends its items in ";" (prc-constitution-2018.a5.pdftotext: main's reflow kept it)
    assert code_lines(["(3) enacting and amending basic laws and other", "laws;", "(4) interpreting laws;"]) == set()
    # one statement-like line alone in prose is not enough
    assert code_lines(["Some prose here that goes on and on.", "x = f(y);", "More prose follows here."]) == set()
    # an unclosed printed fence does not swallow the rest
    assert code_lines(["``` a stray fence in prose", "and more prose", "```rust fn x() {} ```"]) == {2}


def test_cli_reflow_shows_code_set_aside(tmp_path):
    f = tmp_path / "ch.en.txt"
    f.write_text(PDFTOTEXT, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    p = subprocess.run([sys.executable, "-m", "aligner.cli", "segment", str(f), "--lang", "en"],
                       capture_output=True, text=True, env=env, timeout=300)
    assert p.returncode == 0, p.stderr
    out = p.stdout
    assert "println!" not in out and "fn main() {" not in out
    assert 'we call String::from("hello") and x = (a + b) / 2 holds.' in out
    assert "code" in p.stderr


def test_docx_code_style_and_monospace_runs(tmp_path):
    docx = pytest.importorskip("docx")
    d = docx.Document()
    d.add_paragraph(PROSE1)
    st = d.styles.add_style("Source Code", 1)   # WD_STYLE_TYPE.PARAGRAPH
    d.add_paragraph(CODE[1].strip(), style=st)
    p = d.add_paragraph()
    r = p.add_run(CODE[2].strip())
    r.font.name = "Consolas"
    q = d.add_paragraph("The function ")
    q.add_run("String::from").font.name = "Courier New"
    q.add_run(" makes a String from a literal.")
    f = tmp_path / "c.docx"
    d.save(str(f))
    doc = read_document(f, "en")
    assert [(b.kind, b.text[:12]) for b in doc.blocks] == [
        ("text", PROSE1[:12]), ("code", CODE[1].strip()[:12]), ("code", CODE[2].strip()[:12]),
        ("text", "The function")]
    assert doc.set_aside()["code"] == len(CODE[1].replace(" ", "")) + len(CODE[2].replace(" ", ""))
    assert any("monospace" in n for n in doc.notes)


def test_cli_reflow_marks_code_set_aside(tmp_path):
    f = tmp_path / "ch.en.txt"
    f.write_text(PDFTOTEXT, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    p = subprocess.run([sys.executable, "-m", "aligner.cli", "reflow", str(f), "--lang", "en", "--keep-notes"],
                       capture_output=True, text=True, env=env, timeout=300)
    assert p.returncode == 0, p.stderr
    code = [ln for ln in p.stdout.splitlines() if ln.startswith("[code, set aside]")]
    assert code == ['[code, set aside] fn main() { let s = String::from("hello"); println!("{s}, world!"); }',
                    '[code, set aside] ```rust let s1 = String::from("hello"); ```'], p.stdout
    assert "5 lines look like program code" in p.stderr
