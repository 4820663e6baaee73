"""Input files in, alignment files out: :mod:`.readers`, :mod:`.writers`, :mod:`.align_file`."""
from aligner.formats.align_file import format_bead, read_align
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

__all__ = [
    "EXTENSIONS", "FORMATS", "atomic_write", "check_pair", "decode_bytes",
    "decode_bytes_report", "decode_bytes_with_encoding", "detect_lang", "format_bead", "read_align", "read_text",
    "read_text_report", "read_text_with_encoding", "write_align", "write_alignment", "write_jsonl", "write_moses",
    "write_tmx", "write_tsv",
]
