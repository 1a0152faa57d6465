"""The README examples run as written (extracted from the Markdown and executed), and print
what their comments say."""

import contextlib
import io
import re

import pytest

from conftest import REPO


def python_block(readme, heading):
    """The first ```python block after `heading` in `readme`."""
    text = (REPO / readme).read_text(encoding="utf-8")
    start = text.index(f"\n{heading}\n")
    match = re.compile(r"```python\n(.*?)```", re.S).search(text, start)
    assert match, f"no python block after {heading} in {readme}"
    return match.group(1)


def run(code):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "<README>", "exec"), {"__name__": "__readme__"})
    return out.getvalue().splitlines()


def test_root_readme_python_block_runs_in_ten_lines():
    code = python_block("README.md", "## Python")
    assert len(code.strip().splitlines()) <= 10
    lines = run(code + "\nprint([(g.canonical, [c for c, _ in g.copies]) for g in dups.groups])\n")
    # Its comments: a1 and a2 are copies; the flood story holds both, b1 is alone.
    assert lines[-1] == "[('a1', ['a2'])]"
    stories = [re.search(r"\[.*\]$", line).group(0) for line in lines[:-1]]
    assert stories == ["['a1', 'a2']", "['b1']"]
    assert lines[0].startswith("1 1 The river flooded")


def test_python_readme_use_block_prints_the_right_stories():
    pytest.importorskip("pandas")
    lines = run(python_block("python/README.md", "## Use"))
    assert lines[0].startswith("a1 [('a2', 0.866")
    # The rates articles form one story and the flood articles another (the bank-rate
    # article was once put into the flood story: the two share the stem "bank").
    assert lines[1:] == ["1 Bank raises rates ['b1', 'b2']", "2 Floods in Ayr ['a1', 'a2']"]


def test_migration_notes_are_true():
    text = (REPO / "python/README.md").read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if line.startswith("| `MinHashLSH(threshold="))
    left, right = re.findall(r"threshold=([\d.]+)", row)
    assert left == right
    import storyclust

    assert "raises `KeyError` (datasketch raises\n  `ValueError`)" in text
    with pytest.raises(KeyError):
        storyclust.LSH().remove("missing")
    assert "`m.hashvalues` (like `m.digest()`) is a list of ints" in text
    assert isinstance(storyclust.MinHash().hashvalues, list)
    # The bulk conversion runs, and gives each set's MinHash.
    notes = text[text.index("Differences to know"):text.index("## Arrow in, Arrow out")]
    block = re.search(r"```python\n(.*?)```", notes, re.S).group(1)
    names = {"MinHash": storyclust.MinHash, "storyclust": storyclust}
    exec(compile("\n".join(line[2:] for line in block.splitlines()), "<README>", "exec"), names)
    one = storyclust.MinHash()
    one.update_hashes(storyclust.shingles(names["texts"][0]))
    assert names["by_text"][0] == one and len(names["by_token"]) == 2
