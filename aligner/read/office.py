"""Word 97-2003 ``.doc``, OpenDocument ``.odt`` and ``.rtf`` files: converted to ``.docx`` by LibreOffice, then read
by the ``.docx`` reader (:mod:`aligner.read.docx`), which keeps their headings, lists, tables and notes.

Nothing in Python reads these formats with their structure, and LibreOffice is what translators' machines often have
(Debian/Ubuntu ``libreoffice-writer``, or the desktop suite).  The conversion runs ``soffice --headless
--convert-to docx`` in a temporary folder with a private user profile (two runs at once must not share LibreOffice's
profile lock), under a time limit; the document says that it was converted (a note, printed on stderr by the CLI).
Without LibreOffice the file gets a one-line error that says what to do.
"""
from __future__ import annotations

import logging
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..document import Document
from ..errors import InputError

log = logging.getLogger(__name__)

#: what each extension is, for messages
KINDS = {".doc": "a Word 97-2003 .doc file", ".odt": "an OpenDocument .odt file", ".rtf": "an RTF file"}
#: LibreOffice's programs, in the order looked for (``ALIGNER_SOFFICE`` names another)
PROGRAMS = ("soffice", "libreoffice")
#: a conversion that takes longer than this is stopped: LibreOffice converts a 300-page .doc in well under a minute,
#: and its first start (a new profile) takes 5-15 s
CONVERT_TIMEOUT_S = 300


def sniff(head: bytes) -> str | None:
    """The office format of a file from its first bytes (``.doc``, ``.odt``, ``.rtf``), or None."""
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):      # OLE2 compound file: Word 97-2003
        return ".doc"
    if head.startswith(b"{\\rtf"):
        return ".rtf"
    if head.startswith(b"PK\x03\x04") and b"mimetypeapplication/vnd.oasis.opendocument.text" in head[:200]:
        return ".odt"
    return None


def soffice() -> str | None:
    """LibreOffice's command-line program, or None."""
    named = os.environ.get("ALIGNER_SOFFICE")
    if named:
        return shutil.which(named) or (named if Path(named).is_file() else None)
    for prog in PROGRAMS:
        found = shutil.which(prog)
        if found:
            return found
    return None


def read_office(path: str | os.PathLike, lang: str, kind: str) -> Document:
    """Convert ``path`` (``kind``: ``.doc``, ``.odt`` or ``.rtf``) to ``.docx`` with LibreOffice and read that."""
    from .docx import read_docx

    path = Path(path)
    what = KINDS.get(kind, kind)
    prog = soffice()
    if prog is None:
        raise InputError(f"{path}: {what} is read through LibreOffice, which is not installed; install it "
                         "(e.g. apt-get install libreoffice-writer) or save the file as .docx")
    with tempfile.TemporaryDirectory(prefix="aligner-office-") as tmp:
        src = Path(tmp) / f"in{kind}"          # a plain name: LibreOffice names its output after its input
        shutil.copyfile(path, src)
        cmd = [prog, "--headless", "--norestore", "--nolockcheck",
               f"-env:UserInstallation={Path(tmp, 'profile').as_uri()}",
               "--convert-to", "docx", "--outdir", str(Path(tmp) / "out"), str(src)]
        log.info("%s: converting %s to .docx with %s", path, what, prog)
        try:
            run = subprocess.run(cmd, capture_output=True, text=True, timeout=CONVERT_TIMEOUT_S,
                                 stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise InputError(f"{path}: LibreOffice did not convert {what} within {CONVERT_TIMEOUT_S} s; "
                             "save it as .docx") from None
        except OSError as exc:
            raise InputError(f"{path}: could not run LibreOffice ({prog}): {exc.strerror or exc}") from None
        out = Path(tmp) / "out" / "in.docx"
        if run.returncode != 0 or not out.is_file() or out.stat().st_size == 0:
            lines = (run.stderr or run.stdout or "").splitlines()
            said = " ".join(" ".join(ln for ln in lines if "error" in ln.lower() or not ln.startswith("Warning"))
                            .split())[:200]
            raise InputError(f"{path}: LibreOffice could not convert {what} (corrupt or not that format)"
                             + (f": {said}" if said else ""))
        doc = read_docx(out, lang, name=str(path))
    doc.notes.insert(0, f"{path}: {what}, converted to .docx with LibreOffice ({Path(prog).name}) and read as .docx")
    return doc
