"""Finding duplicate and near-duplicate question texts in a list, without comparing every pair.

Exact duplicates (same :func:`~question_bank.markup.stem_fingerprint`) are grouped with a dict.
For near-duplicates, a text is compared (with :func:`~question_bank.markup.similarity`) only
with earlier texts that share its rarest words (prefix filtering, as in set-similarity joins),
and with at most :data:`MAX_CANDIDATES` of them, those sharing the most such words: the work
stays linear even for a bank of thousands of look-alike questions ("Câu hỏi số 1", "Câu hỏi số 2"…).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict

import difflib

from .markup import stem_fingerprint

# Texts whose word sets overlap less than this (Jaccard) are never compared; pairs above a
# difflib ratio of 0.9 share far more words than that.
_MIN_WORD_OVERLAP = 0.5
MAX_CANDIDATES = 8


def near_duplicates(texts: list[str], threshold: float = 0.9) -> list[tuple[int, int, float]]:
    """For each text that duplicates or nearly duplicates an earlier one, ``(i, j, score)``:
    ``j`` the later text, ``i`` the earlier text it is most like, ``score`` ≥ ``threshold``
    (1.0 for texts that differ only in accents, case, punctuation or spacing).  Sorted by ``j``."""
    fingerprints = [stem_fingerprint(text) for text in texts]
    found: dict[int, tuple[int, float]] = {}
    first_with: dict[str, int] = {}
    for j, fingerprint in enumerate(fingerprints):
        if not fingerprint:
            continue
        if fingerprint in first_with:
            found[j] = (first_with[fingerprint], 1.0)
        else:
            first_with[fingerprint] = j
    if threshold < 1.0:
        _similar(fingerprints, sorted(first_with.values()), threshold, found)
    return [(i, j, score) for j, (i, score) in sorted(found.items())]


def _similar(fingerprints: list[str], indexes: list[int], threshold: float, found: dict) -> None:
    words = {i: set(fingerprints[i].split()) for i in indexes}
    frequency = Counter(word for i in indexes for word in words[i])
    buckets: dict[str, list[int]] = defaultdict(list)
    for j in indexes:
        ordered = sorted(words[j], key=lambda word: (frequency[word], word))
        prefix = ordered[: len(ordered) - math.ceil(_MIN_WORD_OVERLAP * len(ordered)) + 1]
        shared: Counter[int] = Counter()
        for word in prefix:
            # the most recent texts of a crowded bucket are enough to find a look-alike
            shared.update(buckets[word][-4 * MAX_CANDIDATES :])
        best = _most_similar(fingerprints, [i for i, _ in shared.most_common(MAX_CANDIDATES)], j, threshold)
        if best is not None:
            found[j] = best
        for word in prefix:
            buckets[word].append(j)


def _most_similar(fingerprints: list[str], candidates: list[int], j: int, threshold: float) -> tuple[int, float] | None:
    """The candidate most like text ``j`` with its score, if it reaches ``threshold``.

    Exactly what comparing every candidate with :func:`~question_bank.markup.fingerprint_similarity`
    gives, but cheaper: the candidates are tried in decreasing order of difflib's upper bound
    (``quick_ratio``), and the search stops once no remaining bound can beat the best score."""
    matcher = difflib.SequenceMatcher(None, autojunk=False)
    matcher.set_seq2(fingerprints[j])  # difflib indexes the second sequence once
    bounded = []
    for order, i in enumerate(candidates):
        matcher.set_seq1(fingerprints[i])
        if matcher.real_quick_ratio() >= threshold:
            bound = matcher.quick_ratio()
            if bound >= threshold:
                bounded.append((-bound, order, i))
    best: tuple[int, float] | None = None
    for negative_bound, _, i in sorted(bounded):
        if best is not None and -negative_bound <= best[1]:
            break
        matcher.set_seq1(fingerprints[i])
        score = 1.0 if fingerprints[i] == fingerprints[j] else matcher.ratio()
        if score >= threshold and (best is None or score > best[1]):
            best = (i, score)
    return best
