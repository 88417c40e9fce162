"""'Did you mean' for names a user typed: ids, kinds, fields, rule ids.

One wording everywhere: `...; did you mean 'db-payroll-01'?`, or with two
equally good candidates `...; did you mean 'db-payroll-01' or 'db-payroll-02'?`.
A name with no close candidate gets no suggestion at all: a wrong guess is
worse than none.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

# difflib's similarity (0..1) a candidate needs to be suggested at all: one or two
# typed letters off; below it the "match" is more often a different name. In a
# short word one letter weighs more, so `opz` still finds `ops`.
CUTOFF = 0.75
SHORT, SHORT_CUTOFF = 4, 0.6
# The runner-up is named too when it is (almost) as close as the best one.
TIE = 0.05


def close_matches(word: str, candidates: Iterable[str]) -> list[str]:
    """The best one or two candidates for `word`, best first; [] when none is close.

    Case is ignored when comparing, so `Service` and `service` are equally close."""
    cutoff = SHORT_CUTOFF if len(word) <= SHORT else CUTOFF
    scored: list[tuple[float, str]] = []
    for candidate in dict.fromkeys(candidates):
        if candidate == word:
            continue
        matcher = difflib.SequenceMatcher(None, word.lower(), candidate.lower())
        if matcher.real_quick_ratio() < cutoff or matcher.quick_ratio() < cutoff:
            continue
        ratio = matcher.ratio()
        if ratio >= cutoff:
            scored.append((ratio, candidate))
    if not scored:
        return []
    scored.sort(key=lambda item: (-item[0], item[1]))
    best = scored[0][0]
    tied = [name for ratio, name in scored[:3] if ratio >= best - TIE]
    # Three or more as close as each other (`tier5` among tier1..tier4): any
    # pick would be a guess, and the caller's list of every name says more.
    return tied if len(tied) <= 2 else []


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """The suggestion to append to a message about `word` (see `suggestion`), or ""."""
    return suggestion(close_matches(word, candidates))


def suggestion(matches: Iterable[str]) -> str:
    """`; did you mean 'x'?` (or `'x' or 'y'`) for matches already found; "" for none."""
    names = [f"'{m}'" for m in matches]
    return f"; did you mean {' or '.join(names)}?" if names else ""
