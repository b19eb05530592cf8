"""What the letter's own text says about it: date, draft, translation, marks, identifiers."""

from __future__ import annotations

from teitools.model import Block, Dateline, Furniture, Inline, Letter, Metadata, Text


def _plain(content: tuple[Inline, ...] | list[Inline]) -> str:
    return " ".join(node.text for node in content if isinstance(node, Text)).strip()


def _furniture(blocks: list[Block]) -> list[Furniture]:
    found: list[Furniture] = []
    for block in blocks:
        if isinstance(block, Furniture):
            found.append(block)
        for node in getattr(block, "content", ()):
            if isinstance(node, Furniture):
                found.append(node)
    return found


def infer_metadata(letter: Letter) -> Metadata:
    meta = Metadata()
    for block in letter.opener:
        if isinstance(block, Dateline) and block.date is not None and meta.date is None:
            meta.date = block.date
            meta.date_text = _plain(block.content)
    for fw in _furniture(letter.blocks()):
        text = _plain(fw.content)
        if fw.kind == "translation":
            meta.translation = True
        elif fw.kind == "draftMark" or (fw.kind == "caption" and "DRAFT" in text.upper()):
            meta.draft = True
        if fw.kind == "classification" and text not in meta.classification:
            meta.classification.append(text)
        elif fw.kind == "archival" and text not in meta.identifiers:
            meta.identifiers.append(text)
        elif fw.kind == "header" and text not in meta.archival:
            meta.archival.append(text)
    return meta
