"""Plain data types shared by every stage: Sentence -> Bead -> Alignment."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Sentence:
    """One segment of one side.

    ``start``/``end`` are character offsets into the original input text
    (``-1`` when unknown, e.g. for sentences passed in as a list). ``para`` is the
    paragraph id. ``kind`` is ``"text"`` for running text, or ``"heading"``,
    ``"list"``, ``"furniture"`` (page headers, symbols, page numbers) and
    ``"note"`` (footnote bodies) for segments the reflow stage marked.
    """

    text: str
    index: int = 0
    para: int = 0
    start: int = -1
    end: int = -1
    kind: str = "text"
    label: str = ""  # numbering of the block this sentence opens ("第五条", "Article 5", "(c)"), else ""


@dataclass
class Bead:
    """A minimal aligned unit: source sentence ids <-> target sentence ids (0-based)."""

    src: tuple[int, ...]
    tgt: tuple[int, ...]
    score: float = 0.0
    src_text: str = ""
    tgt_text: str = ""

    @property
    def type(self) -> str:
        return f"{len(self.src)}-{len(self.tgt)}"

    @property
    def is_null(self) -> bool:
        return not self.src or not self.tgt


@dataclass
class Alignment:
    """The result of aligning two documents."""

    src_lang: str
    tgt_lang: str
    src: list[Sentence]
    tgt: list[Sentence]
    beads: list[Bead]
    model: str = ""
    stats: dict = field(default_factory=dict)
    #: one-line findings for the user ("these do not look like translations of each other", "12 % of the Chinese
    #: text was set aside as page furniture"); the CLI prints each as a ``warning:`` line on stderr
    warnings: list[str] = field(default_factory=list)

    def type_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for b in self.beads:
            counts[b.type] = counts.get(b.type, 0) + 1
        return dict(sorted(counts.items(), key=lambda kv: -kv[1]))

    def write(self, path, fmt: str | None = None, **options) -> list:
        """Write this alignment: format from ``fmt`` (tmx, tsv, jsonl, align, moses) or the path's extension.

        ``options``: ``min_score``, ``src_xml_lang``, ``tgt_xml_lang`` (see ``aligner.formats.write_alignment``).
        Returns the paths written.
        """
        from .formats.writers import write_alignment
        return write_alignment(self, path, fmt, **options)

    @property
    def unit(self) -> str:
        """``"paragraph"`` for paragraph units (:meth:`by_paragraph`), else ``"sentence"`` (the TMX ``segtype``)."""
        return "paragraph" if "paragraph_units" in self.stats else "sentence"

    def by_paragraph(self) -> "Alignment":
        """The same alignment with its beads grouped into paragraph units (``aligner.align.paragraphs``).

        Every sentence stays in exactly one bead; a unit closes where both sides open a new block.
        ``stats["paragraph_units"]`` says how many units were formed; warnings say how many span more than a few
        blocks (paragraphs that do not correspond) and which side is a single block of several sentences (then the
        whole document is one unit: right for a one-paragraph abstract, useless for text without line breaks).
        """
        from dataclasses import replace

        from .align.paragraphs import WIDE_UNIT_BLOCKS, paragraph_beads
        units, info = paragraph_beads(self.src, self.tgt, self.beads, self.src_lang, self.tgt_lang)
        warnings = list(self.warnings)
        if info["wide_units"]:
            warnings.append(f"{info['wide_units']} paragraph unit(s) span more than {WIDE_UNIT_BLOCKS} paragraphs on "
                            f"a side (largest: {info['largest'][0]} + {info['largest'][1]} sentences): the two "
                            f"documents' paragraphs do not correspond there")
        for side in info["one_block"]:
            n = len(self.src if side == "source" else self.tgt)
            warnings.append(f"--unit paragraph: the {side} is one block of {n} sentences, so it is all one unit "
                            f"(a one-paragraph document, or text without line breaks: then align by sentence)")
        return replace(self, beads=units, stats={**self.stats, "paragraph_units": info}, warnings=warnings)

    def mean_score(self) -> float:
        real = [b.score for b in self.beads if not b.is_null]
        return sum(real) / len(real) if real else 0.0
