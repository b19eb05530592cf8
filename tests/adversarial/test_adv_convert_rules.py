"""Hostile data files for convert: rules whose patterns backtrack, YAML that expands without
end or nests without end, in rules files, catalogues and registers. Each is refused in one
line naming the file (and the rule), in bounded time and memory."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from teitools import patterns
from teitools.convert import convert_file
from teitools.errors import RulesError, TeitoolsError
from teitools.registers import load_registers
from teitools.rules import bundled_rules_text, compile_rules, default_rules, load_rules
from teitools.safeyaml import MAX_DEPTH, load_yaml

from adv_convert_support import GOOD_LETTER, assert_promises, convert_here, convert_in_child

BACKTRACKING = [
    r"^(a|a)*$",
    r"^(a|aa)+$",
    r"(\w+\s?)*$",
    r"^(?:a|b|ab)*c$",  # fast on runs of one letter; the probes alternate letters too
    r"^(?:[a-z]|[a-z]{2})*:$",  # fast unless the ':' it needs is in the text
    r"(x+x+)+y",
]


def rules_file(folder: Path, pattern: str) -> Path:
    path = folder / "project-rules.yaml"
    path.write_text(f"furniture:\n  - type: evil\n    pattern: '{pattern}'\n")
    return path


@pytest.mark.parametrize("pattern", BACKTRACKING)
def test_a_backtracking_rule_is_refused_when_the_rules_are_loaded(
    tmp_path: Path, pattern: str
) -> None:
    """Before: '^(a+)+$' hung the converter on a line of 40 a's (stdlib re)."""
    path = rules_file(tmp_path, pattern)
    with pytest.raises(RulesError) as refused:
        load_rules([path])
    message = str(refused.value)
    assert message.startswith(f"{path}: rule furniture 'evil': pattern ")
    assert "backtracks catastrophically" in message and "\n" not in message


def test_the_cli_refuses_a_backtracking_rule_in_one_line(tmp_path: Path) -> None:
    letter = tmp_path / "aaa.txt"
    letter.write_text("a" * 40 + "!\n\n" + GOOD_LETTER)
    rules = rules_file(tmp_path, "^(a|a)*$")
    run = convert_here(letter, "-o", tmp_path / "out", "--rules", rules)
    assert run.code == 2
    assert len(run.errors) == 1 and run.errors[0].startswith(f"teitools: error: {rules}: rule")


def test_nested_repeats_the_engine_handles_are_accepted_and_run(tmp_path: Path) -> None:
    """'^(a+)+$' backtracks in Python's re; the regex engine matches it in linear time."""
    letter = tmp_path / "aaa.txt"
    letter.write_text("a" * 40 + "!\n\n" + GOOD_LETTER)
    rules = load_rules([rules_file(tmp_path, "^(a+)+$")])
    assert convert_file(letter, rules).error is None


def test_a_rule_that_backtracks_on_the_letter_alone_stops_that_file_naming_the_rule(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The probes cannot foresee every text: a deadline on every match is the guarantee.

    The pattern goes in as a bundled rule, which is not probed (the bundled rules are
    tested instead: see below).
    """
    monkeypatch.setattr(patterns, "TIMEOUT_BASE", 0.2)
    data = load_yaml(bundled_rules_text(), "rules.yaml")
    data["furniture"].append({"type": "evil", "pattern": r"^(?:a|b|ab)*c$"})
    rules = compile_rules(data)
    letter = tmp_path / "abab.txt"
    letter.write_text("ab" * 40 + "xc\n\n" + GOOD_LETTER)
    good = tmp_path / "good.txt"
    good.write_text(GOOD_LETTER)
    result = convert_file(letter, rules)
    assert result.error is not None and result.documents == []
    assert str(result.error).startswith(
        f"{letter}: rule furniture 'evil' of rules.yaml (bundled): its pattern "
    )
    assert "ran over" in str(result.error)
    assert convert_file(good, rules).error is None


def test_the_bundled_rules_and_the_example_register_pass_the_backtracking_probes() -> None:
    rules = default_rules()
    found = [f.pattern for f in rules.furniture]
    for name in ("salutations", "closings", "address_openers", "signatures", "date_patterns"):
        found += getattr(rules, name)
    found += [*rules.after_meeting, *rules.same_year, *rules.replies, rules.postscript, rules.box]
    for entry in load_registers(Path(__file__).resolve().parents[2] / "registers").entries.values():
        found += [p for group in entry.patterns.values() for p in group]
    assert len(found) > 30
    for pattern in found:
        patterns.compile_pattern(pattern.pattern, pattern.rule, pattern.origin)  # probes


def test_a_rules_pattern_that_is_not_a_string_is_a_one_line_error(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_text("salutations: [[1, 2]]\n")
    with pytest.raises(RulesError, match=r"rule salutations: a pattern must be a string"):
        load_rules([path])


def laughs(levels: int, field: str = "collection") -> str:
    """Nested aliases: ten times as many values at each level (10**levels in all)."""
    items = [
        "&a0 [xxxxxxxx, xxxxxxxx, xxxxxxxx, xxxxxxxx, xxxxxxxx, "
        "xxxxxxxx, xxxxxxxx, xxxxxxxx, xxxxxxxx, xxxxxxxx]"
    ]
    items += [f"&a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, levels)]
    return f"[{', '.join(items)}]"


def test_a_catalogue_of_nested_aliases_is_refused_in_bounded_memory(tmp_path: Path) -> None:
    """Before: a 642-byte catalogue grew past 3.6 GB in 60 s (str() of the expanded value)."""
    letter = tmp_path / "good.txt"
    letter.write_text(GOOD_LETTER)
    catalogue = tmp_path / "catalogue.yaml"
    catalogue.write_text(f"- file: good.txt\n  collection: {laughs(10)}\n")
    run = convert_in_child(letter, "-o", tmp_path / "out", "--catalogue", catalogue, memory_mb=1024)
    assert_promises(run, [letter, catalogue], tmp_path / "out")
    assert run.errors == [
        f"teitools: error: {catalogue}:2: refused: more than 1,000,000 values once its "
        "aliases are expanded"
    ]


def test_a_rules_file_of_nested_aliases_is_refused_in_bounded_memory(tmp_path: Path) -> None:
    """Before: 2.5 GB in 60 s (the OCR confusion pairs are made strings)."""
    letter = tmp_path / "good.txt"
    letter.write_text(GOOD_LETTER)
    rules = tmp_path / "rules.yaml"
    rules.write_text(f"ocr:\n  confusions: [[{laughs(10)}, x]]\n")
    run = convert_in_child(letter, "-o", tmp_path / "out", "--rules", rules, memory_mb=1024)
    assert run.code == 2
    assert run.errors == [
        f"teitools: error: {rules}:2: refused: more than 1,000,000 values once its aliases "
        "are expanded"
    ]


def test_a_register_of_nested_aliases_is_refused(tmp_path: Path) -> None:
    (tmp_path / "persons.yaml").write_text(f"- id: x\n  name: X\n  forms: {laughs(10)}\n")
    with pytest.raises(RulesError, match="refused: more than 1,000,000 values"):
        load_registers(tmp_path)


def test_aliases_within_the_bound_are_read_as_yaml_means_them() -> None:
    data = load_yaml(f"a: {laughs(5)}\nb: [&x {{k: v}}, *x]\n", "ok.yaml")
    assert len(data["a"][-1]) == 10 and data["b"] == [{"k": "v"}, {"k": "v"}]


@pytest.mark.parametrize(
    "text",
    [
        "furniture: " + "[" * 5000 + "]" * 5000 + "\n",  # flow style
        "furniture:\n" + "- " * 5000 + "x\n",  # block sequences
        "".join("  " * i + "a:\n" for i in range(200)) + "  " * 200 + "x\n",  # mappings
    ],
)
def test_deep_yaml_is_refused_in_one_line(tmp_path: Path, text: str) -> None:
    """Before: 5,000-deep YAML gave a RecursionError traceback."""
    path = tmp_path / "deep.yaml"
    path.write_text(text)
    with pytest.raises(RulesError) as refused:
        load_rules([path])
    message = str(refused.value)
    assert message.startswith(f"{path}:") and "\n" not in message
    assert f"nested more than {MAX_DEPTH} deep" in message or "nesting depth" in message


def test_a_deep_catalogue_is_a_one_line_error_not_a_traceback(tmp_path: Path) -> None:
    letter = tmp_path / "good.txt"
    letter.write_text(GOOD_LETTER)
    catalogue = tmp_path / "deep.yaml"
    catalogue.write_text("- file: good.txt\n  sender: " + "- " * 5000 + "x\n")
    run = convert_here(letter, "-o", tmp_path / "out", "--catalogue", catalogue)
    assert_promises(run, [letter, catalogue], tmp_path / "out")
    assert run.code == 2 and len(run.errors) == 1


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: &x [1, *x]\n", "alias *x refers to itself"),
        ("a: !!python/object/apply:os.system [echo owned]\n", "could not determine a constructor"),
        ("a: [1, 2\n", "not valid YAML"),
        ("when: 1985-13-45\n", "month must be in 1..12"),
    ],
)
def test_yaml_that_is_not_plain_data_is_a_one_line_error(text: str, message: str) -> None:
    with pytest.raises(TeitoolsError, match=re.escape(message)) as refused:
        load_yaml(text, "data.yaml")
    assert str(refused.value).startswith("data.yaml") and "\n" not in str(refused.value)


def test_a_huge_rules_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as handle:
        handle.truncate(1 << 30)
    with pytest.raises(RulesError, match="too large for a rules file"):
        load_rules([path])


def test_a_rule_list_given_as_a_string_is_a_one_line_error_naming_the_file(
    tmp_path: Path,
) -> None:
    """Found by fuzzing: `salutations: '?'` replaced the bundled list by the letters of a
    string, and the error blamed the bundled rules."""
    path = tmp_path / "r.yaml"
    path.write_text("salutations: '?'\n")
    with pytest.raises(RulesError) as refused:
        load_rules([path])
    message = "rule salutations: must be a list, as in the bundled rules"
    assert str(refused.value) == f"{path}: {message}"
