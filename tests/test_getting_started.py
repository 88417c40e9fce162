"""docs/getting-started.md, run: every command of the page in order, in an
empty folder, each one's output compared with what the page shows.

The page is the test's input, so it cannot rot: a change to any output it
shows fails here until the page says the new thing. The parser and matcher
are in tests/tutorial.py; their own tests are below, so a matcher that
accepted anything would fail too.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

from paths import REPO
from tutorial import Step, environment, pattern, run, steps

PAGE = REPO / "docs" / "getting-started.md"


def matches(expected: tuple[str, ...], output: str) -> bool:
    text = output.rstrip("\n") + "\n" if output.strip() else ""
    return pattern(expected).fullmatch(text) is not None


@pytest.mark.slow
def test_the_getting_started_page_runs_as_written(tmp_path: Path) -> None:
    page = PAGE.read_text(encoding="utf-8")
    home, work = tmp_path / "home", tmp_path / "work"
    home.mkdir()
    work.mkdir()
    env = environment(home, Path(sys.executable).parent)
    cwd = work
    ran = []
    started = time.perf_counter()
    for step in steps(page):
        code, output, cwd = run(step, cwd, env, tmp_path / "cwd-after")
        where = f"docs/getting-started.md:{step.line}: $ {step.command.splitlines()[0]}"
        assert code == step.exit_code, f"{where}\nexit {code}\n{output}"
        assert matches(step.expected, output), (
            f"{where}\nthe page shows:\n" + "\n".join(step.expected) + f"\nit printed:\n{output}"
        )
        ran.append(step.command)
    elapsed = time.perf_counter() - started
    print(f"getting-started: {len(ran)} commands in {elapsed:.1f} s")
    # the page's milestones all happened, in this order
    milestones = ["catalogctl init", "catalogctl new service", "catalogctl diff", "catalogctl gate"]
    milestones += ["git merge", "catalogctl site build"]
    positions = [next(i for i, c in enumerate(ran) if m in c) for m in milestones]
    assert positions == sorted(positions)
    assert (work / "site" / "services" / "human-resources" / "payroll" / "index.html").is_file()


PAGE_SNIPPET = """
Text.

```console
$ echo one
one
$ printf 'a\\nb\\nc\\n'  # exits 0
a
...
c
$ cat > f <<'END'
$ not a command
END
$ echo x \\
    y
x y
```

```sh
echo never run
```
"""


def test_the_parser_reads_commands_outputs_heredocs_and_continuations() -> None:
    found = list(steps(PAGE_SNIPPET))
    assert [s.command for s in found] == [
        "echo one",
        "printf 'a\\nb\\nc\\n'  # exits 0",
        "cat > f <<'END'\n$ not a command\nEND",
        "echo x \\\n    y",
    ]
    assert found[0].expected == ("one",)
    assert found[1].expected == ("a", "...", "c")
    assert found[2].expected == ()
    assert Step(1, "false  # exits 1", ()).exit_code == 1


@pytest.mark.parametrize(
    ("expected", "output", "ok"),
    [
        (("one",), "one\n", True),
        (("one",), "two\n", False),
        (("one",), "one\nextra\n", False),  # output the page does not show fails
        (("a", "...", "c"), "a\nb1\nb2\nc\n", True),
        (("a", "...", "c"), "a\nc\n", True),
        (("diff ...: 2 changes",), "diff 0123abcd..4567ef01: 2 changes\n", True),
        (("diff ...: 2 changes",), "diff 0123abcd..4567ef01: 3 changes\n", False),
        ((), "", True),
        ((), "surprise\n", False),
    ],
)
def test_the_matcher(expected: tuple[str, ...], output: str, ok: bool) -> None:
    assert matches(expected, output) is ok


def test_commands_run_in_order_and_keep_their_folder(tmp_path: Path) -> None:
    env = environment(tmp_path, Path(sys.executable).parent)
    (tmp_path / "sub").mkdir()
    code, _, cwd = run(Step(1, "cd sub", ()), tmp_path, env, tmp_path / "state")
    assert code == 0 and cwd == tmp_path / "sub"
    code, output, _ = run(Step(2, "pwd; exit 3", ()), cwd, env, tmp_path / "state")
    assert code == 3 and output.strip() == str(tmp_path / "sub")
