"""Input files in, alignment files out: :mod:`.readers`, :mod:`.writers`, :mod:`.align_file`; the review page
(:mod:`.review`), xlsx (:mod:`.xlsx`) and our own alignment files read back (:mod:`.alignment_readers`)."""
from aligner.formats.align_file import format_bead, read_align
from aligner.formats.alignment_readers import read_alignment
from aligner.formats.review import write_review
from aligner.formats.readers import (
    check_pair,
    decode_bytes,
    decode_bytes_report,
    decode_bytes_with_encoding,
    detect_lang,
    read_text,
    read_text_report,
    read_text_with_encoding,
)
from aligner.formats.writers import (
    EXTENSIONS,
    FORMATS,
    atomic_write,
    write_align,
    write_alignment,
    write_jsonl,
    write_moses,
    write_tmx,
    write_tsv,
)
from aligner.formats.xlsx import write_xlsx

__all__ = [
    "EXTENSIONS", "FORMATS", "atomic_write", "check_pair", "decode_bytes",
    "decode_bytes_report", "decode_bytes_with_encoding", "detect_lang", "format_bead", "read_align", "read_alignment",
    "read_text", "read_text_report", "read_text_with_encoding", "write_align", "write_alignment", "write_jsonl",
    "write_moses", "write_review", "write_tmx", "write_tsv", "write_xlsx",
]
