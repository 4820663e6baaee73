"""Reading our own alignment files back into an :class:`~aligner.model.Alignment` (for ``aligner review``).

- JSONL and TSV (as :mod:`aligner.formats.writers` and the review page write them) keep their sentence ids,
  so beads round-trip: a bead's text is split back into as many sentences as it has ids (the review page's
  JSONL also carries ``src_sents``/``tgt_sents``, which are used as they are).
- TMX (ours or a CAT tool's) and xlsx (possibly corrected by hand: rows edited, deleted, inserted) are taken
  in document order, one bead per unit or row; sentence ids are numbered afresh.

Problems with a file are :class:`~aligner.errors.InputError` with the file and line/row; findings (a bead whose
text could not be split back into its sentences) go to ``Alignment.warnings``.
"""
from __future__ import annotations

import json
import math
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from aligner.errors import InputError
from aligner.model import Alignment, Bead, Sentence
from aligner.segment import normalise_lang, split_sentences

__all__ = ["READ_FORMATS", "read_alignment", "read_alignment_jsonl", "read_alignment_tmx",
           "read_alignment_tsv", "read_alignment_xlsx"]

#: Extensions ``aligner review`` reads.
READ_FORMATS = {".jsonl": "jsonl", ".tsv": "tsv", ".tmx": "tmx", ".xlsx": "xlsx"}
_XML_NS = "{http://www.w3.org/XML/1998/namespace}"


class _Builder:
    """Collects beads; sentences by id (JSONL/TSV) or numbered in order (TMX/xlsx)."""

    def __init__(self, src_lang: str, tgt_lang: str, name: str):
        self.langs = {"src": src_lang, "tgt": tgt_lang}
        self.sents: dict[str, dict[int, str]] = {"src": {}, "tgt": {}}
        self.beads: list[Bead] = []
        self.warnings: list[str] = []
        self.name = name
        self.next_id = {"src": 0, "tgt": 0}
        self.stats: dict = {}

    def split(self, side: str, text: str, n: int, where: str, given: list | None = None) -> list[str]:
        """``text`` as ``n`` sentences: ``given`` when it has n texts, else our splitter's pieces when there are
        n of them, else the whole text on the first id (and a warning)."""
        if given is not None and len(given) == n and all(isinstance(x, str) for x in given):
            return list(given)
        if n <= 1:
            return [text] * n
        spans = split_sentences(text, self.langs[side]) if text.strip() else []
        if len(spans) == n:
            return [text[a:b].strip() for a, b in spans]
        self.warnings.append(f"{self.name}: {where}: the {side} text does not split into its {n} sentences; "
                             f"kept whole on the first")
        return [text] + [""] * (n - 1)

    def add(self, src_ids, tgt_ids, src_text, tgt_text, score, where, src_sents=None, tgt_sents=None):
        for side, ids, text, given in (("src", src_ids, src_text, src_sents), ("tgt", tgt_ids, tgt_text, tgt_sents)):
            for i, piece in zip(ids, self.split(side, text, len(ids), where, given)):
                if i in self.sents[side]:
                    raise InputError(f"{self.name}: {where}: {side} sentence {i} is in two beads")
                self.sents[side][i] = piece
        self.beads.append(Bead(tuple(src_ids), tuple(tgt_ids), score, src_text, tgt_text))

    def add_in_order(self, src_text, tgt_text, score, n_src=1, n_tgt=1, where=""):
        """A bead numbered after the previous ones; a side is cut into ``n`` sentences where our splitter finds
        exactly ``n``, else kept as one sentence (the ids are new anyway)."""
        ids, sents = {}, {}
        for side, text, n in (("src", src_text, n_src), ("tgt", tgt_text, n_tgt)):
            pieces = [text] if text.strip() else []
            if n > 1 and pieces:
                spans = split_sentences(text, self.langs[side])
                if len(spans) == n:
                    pieces = [text[a:b].strip() for a, b in spans]
            ids[side] = list(range(self.next_id[side], self.next_id[side] + len(pieces)))
            self.next_id[side] += len(pieces)
            sents[side] = pieces
        self.add(ids["src"], ids["tgt"], src_text, tgt_text, score, where, sents["src"], sents["tgt"])

    def build(self) -> Alignment:
        out = {}
        for side in ("src", "tgt"):
            by_id = self.sents[side]
            n = max(by_id) + 1 if by_id else 0
            missing = [i for i in range(n) if i not in by_id]
            if missing:
                self.warnings.append(f"{self.name}: {len(missing)} {side} sentence ids are in no bead "
                                     f"(first: {missing[0]}); they are empty on the review page")
            out[side] = [Sentence(by_id.get(i, ""), i) for i in range(n)]
        if not _monotone(self.beads):
            raise InputError(f"{self.name}: the beads are not in document order (sentence ids go backwards)")
        stem = Path(self.name).name.rsplit(".", 1)[0]
        stem = stem[:-len(".reviewed")] if stem.endswith(".reviewed") else stem
        al = Alignment(self.langs["src"], self.langs["tgt"], out["src"], out["tgt"], self.beads,
                       model="", stats={"read_from": self.name, "document": stem, **self.stats})
        al.warnings.extend(self.warnings)
        return al


def _monotone(beads: list[Bead]) -> bool:
    last = {"src": -1, "tgt": -1}
    for b in beads:
        for side, ids in (("src", b.src), ("tgt", b.tgt)):
            for i in ids:
                if i <= last[side]:
                    return False
                last[side] = i
    return True


def _score(value, where: str, name: str) -> float:
    if value is None or value == "" or (isinstance(value, str) and value.strip().lower() in ("nan", "none", "null")):
        return math.nan
    try:
        score = float(value)
    except (TypeError, ValueError):
        raise InputError(f"{name}: {where}: score {value!r} is not a number") from None
    return score


def _id_list(text: str, where: str, name: str) -> list[int]:
    text = (text or "").strip().strip("[]")
    if not text:
        return []
    try:
        ids = [int(x) for x in text.split(",")]
    except ValueError:
        raise InputError(f"{name}: {where}: sentence ids {text!r} are not comma-separated numbers") from None
    if any(i < 0 for i in ids) or ids != sorted(set(ids)):
        raise InputError(f"{name}: {where}: sentence ids {text!r} must be increasing and not negative")
    return ids


def _read_lines(path: Path) -> list[str]:
    try:
        return path.read_text("utf-8-sig").splitlines()
    except UnicodeDecodeError as e:
        raise InputError(f"{path}: not UTF-8 text ({e.reason} at byte {e.start})") from None
    except OSError as e:
        raise InputError(f"{path}: cannot read ({e.strerror or e})") from None


def read_alignment_jsonl(path, src_lang: str | None = None, tgt_lang: str | None = None) -> Alignment:
    path = Path(path)
    lines = _read_lines(path)
    b: _Builder | None = None
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"line {n}"
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as e:
            raise InputError(f"{path}: {where}: not JSON ({e.msg})") from None
        if not isinstance(rec, dict) or "src" not in rec or "tgt" not in rec:
            raise InputError(f"{path}: {where}: expected an object with src and tgt id lists")
        if b is None:
            b = _Builder(normalise_lang(src_lang or rec.get("src_lang") or "zh"),
                         normalise_lang(tgt_lang or rec.get("tgt_lang") or "en"), str(path))
        ids = []
        for key in ("src", "tgt"):
            v = rec[key]
            if not isinstance(v, list) or not all(isinstance(i, int) and not isinstance(i, bool) for i in v):
                raise InputError(f"{path}: {where}: {key} must be a list of sentence ids")
            ids.append(_id_list(",".join(map(str, v)), where, str(path)))
        b.add(ids[0], ids[1], str(rec.get("src_text") or ""), str(rec.get("tgt_text") or ""),
              _score(rec.get("score"), where, str(path)), where, rec.get("src_sents"), rec.get("tgt_sents"))
    if b is None:
        raise InputError(f"{path}: no beads in the file")
    return b.build()


def read_alignment_tsv(path, src_lang: str | None = None, tgt_lang: str | None = None) -> Alignment:
    from aligner.formats.writers import TSV_COLUMNS
    path = Path(path)
    lines = _read_lines(path)
    if not lines or lines[0].split("\t")[:len(TSV_COLUMNS)] != list(TSV_COLUMNS):
        raise InputError(f"{path}: expected the header line {' '.join(TSV_COLUMNS)} (tab-separated)")
    b = _Builder(normalise_lang(src_lang or "zh"), normalise_lang(tgt_lang or "en"), str(path))
    for n, line in enumerate(lines[1:], 2):
        if not line.strip():
            continue
        where = f"line {n}"
        cols = line.split("\t")
        if len(cols) < len(TSV_COLUMNS):
            raise InputError(f"{path}: {where}: expected {len(TSV_COLUMNS)} tab-separated columns, "
                             f"found {len(cols)}")
        b.add(_id_list(cols[0], where, str(path)), _id_list(cols[1], where, str(path)), cols[4], cols[5],
              _score(cols[2], where, str(path)), where)
    if not b.beads:
        raise InputError(f"{path}: no beads in the file")
    return b.build()


_TYPE_RE = re.compile(r"^(\d+)-(\d+)$")


def read_alignment_tmx(path, src_lang: str | None = None, tgt_lang: str | None = None) -> Alignment:
    """Each ``<tu>`` with a source and a target segment becomes a bead; the source language is the header's
    ``srclang`` (else the first ``tuv``'s), the target the other one. Inline tags are dropped, their text
    kept. ``x-align-type`` (``2-1``) is used to split a unit back into its sentences where it can be."""
    path = Path(path)
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as e:
        raise InputError(f"{path}: not a TMX file ({e})") from None
    except OSError as e:
        raise InputError(f"{path}: cannot read ({e.strerror or e})") from None
    header = root.find("header")
    src_code = header.get("srclang") if header is not None else None
    units = root.findall("./body/tu")
    if not units:
        raise InputError(f"{path}: no <tu> units in the file")
    b = None
    for n, tu in enumerate(units, 1):
        segs = {}
        for tuv in tu.findall("tuv"):
            lang = tuv.get(f"{_XML_NS}lang") or tuv.get("lang") or ""
            seg = tuv.find("seg")
            segs.setdefault(lang.lower(), "".join(seg.itertext()).strip() if seg is not None else "")
        if src_code is None or src_code == "*all*":
            src_code = next(iter(segs), "")
        others = [k for k in segs if k != src_code.lower()]
        if src_code.lower() not in segs or not others:
            continue  # a unit without both languages is not a pair
        if b is None:
            b = _Builder(normalise_lang(src_lang or src_code), normalise_lang(tgt_lang or others[0]), str(path))
        props = {p.get("type"): (p.text or "") for p in tu.findall("prop")}
        m = _TYPE_RE.match(props.get("x-align-type", ""))
        n_src, n_tgt = (int(m.group(1)), int(m.group(2))) if m else (1, 1)
        b.add_in_order(segs[src_code.lower()], segs[others[0]], _score(props.get("x-align-score"), f"unit {n}",
                       str(path)), max(n_src, 1), max(n_tgt, 1), f"unit {n}")
    if b is None:
        raise InputError(f"{path}: no unit has both a {src_code} and another language's segment")
    props = {p.get("type"): (p.text or "") for p in header.findall("prop")} if header is not None else {}
    for key, prop in (("src_file", "x-source-file"), ("tgt_file", "x-target-file"), ("document", "x-document")):
        if props.get(prop):
            b.stats[key] = props[prop]
    return b.build()


def read_alignment_xlsx(path, src_lang: str | None = None, tgt_lang: str | None = None) -> Alignment:
    """A sheet as :func:`aligner.formats.xlsx.write_xlsx` writes it, maybe corrected by hand: header
    ``zh, en, score, type, ids``; every row with text is a bead, in row order (rows emptied on both sides are
    skipped; a row with one side empty is a 1-0/0-1 bead). The ``ids`` column is used only to split a cell
    back into its sentences."""
    from aligner.formats.xlsx import _openpyxl
    path = Path(path)
    openpyxl = _openpyxl()
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as e:  # zipfile.BadZipFile, KeyError, InvalidFileException, OSError …
        raise InputError(f"{path}: not an xlsx workbook ({type(e).__name__}: {e})") from None
    ws = wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    head = [str(x or "").strip().lower() for x in next(rows, ())]
    if len(head) < 2 or not head[0] or not head[1]:
        raise InputError(f"{path}: expected a header row: zh, en, score, type, ids")
    col = {name: k for k, name in enumerate(head)}
    b = _Builder(normalise_lang(src_lang or head[0]), normalise_lang(tgt_lang or head[1]), str(path))
    for n, row in enumerate(rows, 2):
        row = list(row) + [None] * 5
        src, tgt = (str(row[0]).strip() if row[0] is not None else ""), (str(row[1]).strip() if row[1] is not None else "")
        if not src and not tgt:
            continue
        where = f"row {n}"
        counts = [1, 1]
        ids = str(row[col["ids"]] or "") if "ids" in col else ""
        if ":" in ids:
            counts = [max(1, len([x for x in part.split(",") if x.strip()])) for part in ids.split(":", 1)]
        score = _score(row[col["score"]], where, str(path)) if "score" in col else math.nan
        b.add_in_order(src, tgt, score, counts[0], counts[1], where)
    wb.close()
    if not b.beads:
        raise InputError(f"{path}: no rows with text under the header")
    return b.build()


_READERS = {"jsonl": read_alignment_jsonl, "tsv": read_alignment_tsv, "tmx": read_alignment_tmx,
            "xlsx": read_alignment_xlsx}


def read_alignment(path: str | os.PathLike, fmt: str | None = None, *, src_lang: str | None = None,
                   tgt_lang: str | None = None) -> Alignment:
    """Read an alignment file (format from ``fmt`` or the extension: jsonl, tsv, tmx, xlsx)."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    name = (fmt or READ_FORMATS.get(path.suffix.lower(), "")).lower().lstrip(".")
    if name not in _READERS:
        raise InputError(f"{path}: cannot read this kind of file; give a .jsonl, .tsv, .tmx or .xlsx alignment")
    return _READERS[name](path, src_lang, tgt_lang)
