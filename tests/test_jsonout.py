"""Streamed JSON is, byte for byte, what ``json.dumps`` writes for the whole document."""

from __future__ import annotations

import json
import math
from enum import IntEnum

from hypothesis import given, settings
from hypothesis import strategies as st

from teitools.jsonout import dumps, streamed

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text()  # lone surrogates, controls, quotes, backslashes, astral characters
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text(max_size=5), inner, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=400, deadline=None)
@given(VALUES, st.integers(min_value=0, max_value=4))
def test_a_value_is_written_as_json_dumps_indents_it(value: object, indent: int) -> None:
    assert dumps(value, indent) == json.dumps(value, indent=indent, ensure_ascii=False)


@settings(max_examples=100, deadline=None)
@given(st.lists(VALUES, max_size=5), st.integers(min_value=1, max_value=3))
def test_a_streamed_document_is_the_whole_document_dumped(rows: list[object], indent: int) -> None:
    holder: list[object] = []
    document = {"files": holder, "summary": "n files"}
    pieces = "".join(streamed(document, holder, iter(rows), indent))
    whole = json.dumps({"files": rows, "summary": "n files"}, indent=indent, ensure_ascii=False)
    assert pieces == whole + "\n"


def test_what_json_itself_must_judge_is_left_to_it() -> None:
    class Level(IntEnum):
        HIGH = 3

    odd = {"keys": {1: "a", 2.5: "b", None: "c", False: "d"}, "enum": Level.HIGH, "nan": math.nan}
    assert dumps(odd, 2) == json.dumps(odd, indent=2, ensure_ascii=False)
    loop: list[object] = []
    loop.append(loop)
    try:
        dumps(loop, 2)
    except ValueError as error:
        assert "Circular reference" in str(error)
    else:
        raise AssertionError("a loop was written")
