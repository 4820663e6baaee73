"""An alignment as a spreadsheet (the LF Aligner habit: check and fix the pairs in Excel or LibreOffice, then
convert the corrected sheet to TMX with ``aligner review corrected.xlsx -o out.tmx``).

One bead a row; columns ``zh``, ``en`` (the languages of the alignment), ``score``, ``type``, ``ids``
(``0,1:2`` = source ids ``:`` target ids, 0-based). Beads below the low-confidence threshold are filled light
red, the header row is frozen. Needs ``openpyxl`` (the ``xlsx`` extra).
"""
from __future__ import annotations

import io
import math
import os
from pathlib import Path

from aligner.errors import InputError
from aligner.formats.writers import _XML_ILLEGAL_RE, atomic_write, bead_texts
from aligner.model import Alignment

__all__ = ["LOW_FILL", "write_xlsx"]

#: Fill of the low-confidence rows: a light red that prints as light grey.
LOW_FILL = "FFF4C7C3"
_HEADER_FILL = "FFDDE3EA"
# Excel's own limit for one cell's text.
_CELL_LIMIT = 32767


def _openpyxl():
    try:
        import openpyxl
    except ImportError:
        raise InputError("xlsx files need openpyxl: pip install 'aligner[xlsx]' (or pip install openpyxl)") from None
    return openpyxl


def _cell_text(text: str) -> str:
    return _XML_ILLEGAL_RE.sub("", text)[:_CELL_LIMIT]


def write_xlsx(alignment: Alignment, path: str | os.PathLike, *, threshold: float | None = None,
               **_ignored) -> Path:
    """Write every bead to ``path`` as one row of a sheet (atomically). ``threshold`` defaults to
    :data:`aligner.formats.review.LOW_SCORE`."""
    from aligner.formats.review import LOW_SCORE
    openpyxl = _openpyxl()
    from openpyxl.styles import Alignment as CellAlign
    from openpyxl.styles import Font, PatternFill
    low = LOW_SCORE if threshold is None else threshold
    path = Path(path)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "alignment"
    ws.append([alignment.src_lang, alignment.tgt_lang, "score", "type", "ids"])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=_HEADER_FILL)
    low_fill = PatternFill("solid", fgColor=LOW_FILL)
    wrap = CellAlign(wrap_text=True, vertical="top")
    for bead in alignment.beads:
        src, tgt = bead_texts(alignment, bead)
        score = round(bead.score, 4) if math.isfinite(bead.score) else None
        ws.append([_cell_text(src), _cell_text(tgt), score, bead.type,
                   f"{','.join(map(str, bead.src))}:{','.join(map(str, bead.tgt))}"])
        row = ws.max_row
        for col in (1, 2):
            cell = ws.cell(row, col)
            cell.alignment = wrap
            cell.data_type = "s"  # a sentence starting with "=" stays text, never a formula
        if score is not None and score < low:
            for col in range(1, 6):
                ws.cell(row, col).fill = low_fill
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:E{ws.max_row}"
    for col, width in zip("ABCDE", (60, 70, 8, 6, 12)):
        ws.column_dimensions[col].width = width
    data = io.BytesIO()
    wb.save(data)
    with atomic_write(path) as fh:  # the bytes go to the text file's binary buffer
        fh.flush()
        fh.buffer.write(data.getvalue())
    return path
