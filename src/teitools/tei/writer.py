"""Letter model → TEI P5 document.

One function per model node; the element chosen for each is documented in
``docs/encoding-profile.md``. Output is deterministic: no clock, no randomness, attributes
in a fixed order, so the same letter always gives the same bytes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from lxml import etree

from teitools import __version__
from teitools.config import Publication
from teitools.model import (
    Address,
    Block,
    Correction,
    Dateline,
    DateValue,
    Evidence,
    Foreign,
    Furniture,
    Gap,
    Hyphenation,
    Inline,
    Letter,
    LineBreak,
    Marginal,
    Name,
    PageBreak,
    Paragraph,
    Postscript,
    Salute,
    Signed,
    Text,
    Transcribed,
    furniture_of,
)
from teitools.namespaces import TEI_NS, XML_NS
from teitools.registers import REGISTER_FILE, Registers
from teitools.resources import LETTER_PROFILE_URL

TEI_ALL_URL = "http://www.tei-c.org/release/xml/tei/custom/schema/relaxng/tei_all.rng"
# The schemas a letter declares: tei_all, and the teitools letter profile (the validator
# applies the profile to the documents that declare it; an XML editor can fetch both).
XML_MODELS = (
    f'<?xml-model href="{TEI_ALL_URL}" type="application/xml"'
    ' schematypens="http://relaxng.org/ns/structure/1.0"?>\n'
    f'<?xml-model href="{LETTER_PROFILE_URL}" type="application/xml"'
    ' schematypens="http://purl.oclc.org/dsdl/schematron"?>\n'
).encode()
NAME_ELEMENTS = {"person": "persName", "place": "placeName", "org": "orgName"}
CMIF_REPLY_TO = "http://www.tei-c.org/cmif/ns#replyTo"
LANGUAGE_NAMES = {
    "en": "English",
    "ru": "Russian",
    "de": "German",
    "fr": "French",
    "el": "Greek",
    "he": "Hebrew",
    "ar": "Arabic",
    "es": "Spanish",
    "it": "Italian",
    "nl": "Dutch",
    "pt": "Portuguese",
}


def _el(
    parent: etree._Element | None, tag: str, text: str | None = None, **attrs: str
) -> etree._Element:
    name = f"{{{TEI_NS}}}{tag}"
    element = etree.Element(name) if parent is None else etree.SubElement(parent, name)
    for key, value in attrs.items():
        element.set(f"{{{XML_NS}}}{key[4:]}" if key.startswith("xml_") else key, value)
    if text is not None:
        element.text = text
    return element


def _append_text(parent: etree._Element, text: str) -> None:
    """Add ``text`` after the last child of ``parent``, in constant time.

    (``len(parent)`` counts the children one by one: a paragraph of 100,000 lines made
    the writer quadratic. ``parent[-1]`` goes straight to the last child.)
    """
    try:
        last = parent[-1]
    except IndexError:
        parent.text = (parent.text or "") + text
    else:
        last.tail = (last.tail or "") + text


def document_id(letter: Letter) -> str:
    """An xml:id for the letter, unique in a corpus: ``L`` + source stem (+ ``.N``)."""
    stem = re.sub(r"[^\w.-]", "_", letter.source.name.rsplit(".", 1)[0])
    return f"L{stem}" + (f".{letter.source.index}" if letter.source.count > 1 else "")


def title_of(letter: Letter) -> str:
    """ "Letter from Mikhail Gorbachev to Ronald Reagan, 24 March 1985", "(undated)", "(draft)"."""
    meta = letter.metadata
    title = "Letter"
    if meta.sender:
        title += f" from {meta.sender.label}"
    if meta.addressee:
        title += f" to {meta.addressee.label}"
    label = meta.date.label() if meta.date else None
    if meta.date is None or label is None:
        title += " (undated)"
    elif meta.date.when:
        title += f", {label}"
    else:
        title += f" (undated; {label})"
    return title + (" (draft)" if meta.draft else "")


def publication_stmt(file_desc: etree._Element, facts: Publication, work: str) -> etree._Element:
    """The ``publicationStmt`` of ``file_desc``: publisher, and the licence of ``work`` ("the
    encoding", "the collation") with the edition's terms."""
    publication = _el(file_desc, "publicationStmt")
    _el(publication, "publisher", facts.publisher)
    availability = _el(publication, "availability")
    licence = _el(availability, "licence", f"{facts.licence_label()} ({work})")
    if facts.licence_url():
        licence.set("target", facts.licence_url() or "")
    if facts.availability:
        _el(availability, "p", facts.availability)
    return publication


class _Writer:
    def __init__(
        self,
        letter: Letter,
        registers: Registers | None,
        encoding_date: str | None,
        flat: bool = False,
        publication: Publication | None = None,
    ):
        self.letter = letter
        self.flat = flat
        self.registers = registers
        self.encoding_date = encoding_date
        self.publication = publication or Publication()
        self.id = document_id(letter)
        self.app_id = f"{self.id}.teitools"
        self.resp = f"#{self.app_id}"
        self.catalogue_id = f"{self.id}.catalogue"  # the catalogue, where values came from it

    # ----------------------------------------------------------------- inline
    def inline(self, parent: etree._Element, nodes: Iterable[Inline]) -> None:
        for node in nodes:
            if isinstance(node, Text):
                _append_text(parent, node.text)
            elif isinstance(node, LineBreak):
                _append_text(parent, "\n")
                _el(parent, "lb")
            elif isinstance(node, Hyphenation):
                self.hyphenation(parent, node)
            elif isinstance(node, Correction):
                choice = _el(parent, "choice")
                _el(choice, "sic", node.sic)
                _el(choice, "corr", node.corr, resp=self.resp, cert=node.cert)
            elif isinstance(node, Foreign):
                _el(parent, "foreign", node.text, xml_lang=node.lang)
            elif isinstance(node, PageBreak):
                _append_text(parent, "\n")
                self.page_break(parent, node)
                _append_text(parent, "\n")
            elif isinstance(node, Furniture):
                _append_text(parent, "\n")
                fw = _el(parent, "fw", type=node.kind)
                if node.rend:
                    fw.set("rend", node.rend)
                self.inline(fw, node.content)
                _append_text(parent, "\n")
            elif isinstance(node, Transcribed):
                self.transcribed(parent, node)
            elif isinstance(node, Marginal):
                _append_text(parent, " ")
                self.marginal(parent, node)
                _append_text(parent, " ")
            elif isinstance(node, Gap):
                self.gap(parent, node)
            elif isinstance(node, Name):
                tag = NAME_ELEMENTS.get(node.kind, "name")
                element = _el(parent, tag, node.text, ref=f"{REGISTER_FILE}#{node.ref}")
                if tag == "name" and node.subtype:
                    element.set("type", node.subtype)

    def hyphenation(self, parent: etree._Element, node: Hyphenation) -> None:
        if node.joined:
            choice = _el(parent, "choice")
            orig = _el(choice, "orig", f"{node.before}-")
            _el(orig, "lb").set("break", "no")
            orig[-1].tail = node.after
            _el(choice, "reg", node.before + node.after)
        else:
            _append_text(parent, f"{node.before}-")
            _el(parent, "lb").set("break", "no")
            _append_text(parent, node.after)

    def transcribed(self, parent: etree._Element, node: Transcribed) -> None:
        """A transcriber's mark as typed (orig) beside what it stands for (reg)."""
        choice = _el(parent, "choice")
        _el(choice, "orig", node.text)
        reg = _el(choice, "reg", resp=self.resp)
        if node.kind in {"illegible", "omitted"}:
            _el(reg, "gap", reason=node.kind)
        elif node.kind == "supplied":
            _el(reg, "supplied", node.word, reason="transcriber")
        else:  # doubtful ("word [?]"), conjecture ("[word?]")
            _el(reg, "unclear", node.word, cert="low")

    def page_break(self, parent: etree._Element, node: PageBreak) -> None:
        if node.n is None:
            _el(parent, "pb")
        else:
            _el(parent, "pb", n=str(node.n))

    def marginal(self, parent: etree._Element, node: Marginal) -> None:
        if node.kind == "foreign":
            self.inline(parent, node.content)
        elif node.kind == "addition":
            self.inline(_el(parent, "add", place="margin"), node.content)
        else:
            seg = _el(parent, "seg", type=node.kind)
            reason = "illegible" if node.kind == "handwriting" else "noise"
            self.inline(_el(seg, "unclear", reason=reason), node.content)

    def gap(self, parent: etree._Element, node: Gap) -> None:
        attrs = {"reason": node.reason}
        if node.unit:
            attrs["unit"] = node.unit
        _el(parent, "gap", **attrs)
        _el(parent, "note", node.note, type="editorial", resp=self.resp)

    # ----------------------------------------------------------------- blocks
    def block(self, parent: etree._Element, block: Block, *, phrase_ok: bool) -> None:
        """Write one block; ``phrase_ok`` says if ``parent`` takes phrase-level content."""
        if isinstance(block, Paragraph):
            p = _el(parent, "p")
            if block.lang:
                self.inline(_el(p, "foreign", xml_lang=block.lang), block.content)
            else:
                self.inline(p, block.content)
        elif isinstance(block, Dateline):
            self.dateline(parent, block)
        elif isinstance(block, Salute):
            self.inline(_rend(_el(parent, "salute"), block.rend), block.content)
        elif isinstance(block, Signed):
            self.inline(_rend(_el(parent, "signed"), block.rend), block.content)
        elif isinstance(block, Address):
            holder = parent if phrase_ok else _el(parent, "ab", type="address")
            address = _el(holder, "address")
            for line in block.lines:
                self.inline(_el(address, "addrLine"), line)
        elif isinstance(block, Postscript):
            postscript = _el(parent, "postscript")
            for paragraph in block.paragraphs:
                self.inline(_el(postscript, "p"), paragraph.content)
            if block.closer:
                closer = _el(postscript, "closer")
                for part in block.closer:
                    self.block(closer, part, phrase_ok=True)
        elif isinstance(block, Marginal) and not phrase_ok:
            self.marginal(_el(parent, "ab", type="marginal"), block)
        elif isinstance(block, PageBreak | Furniture | Marginal | Gap):
            self.inline(parent, [block])

    def dateline(self, parent: etree._Element, block: Dateline, *, inline: bool = False) -> None:
        dateline = parent if inline else _rend(_el(parent, "dateline"), block.rend)
        text = block.content[0] if len(block.content) == 1 else None
        if block.date is None or block.date_span is None or not isinstance(text, Text):
            self.inline(dateline, block.content)
            return
        start, end = block.date_span
        _append_text(dateline, text.text[:start])
        date = _el(dateline, "date", text.text[start:end])
        _date_attrs(date, block.date)
        _append_text(dateline, text.text[end:])

    def div(self, body: etree._Element) -> None:
        """The letter: opener, then paragraphs and what floats between them, then closer
        and postscript, in the order TEI allows. A dateline or salutation that stands
        among the paragraphs is an ``ab`` of its type; ``flat`` writes every block so."""
        letter = self.letter
        div = _el(body, "div", type="letter")
        formulas = (Dateline, Salute, Address)
        opener_ok = not self.flat and not any(isinstance(b, Paragraph) for b in letter.opener)
        if opener_ok and any(isinstance(b, formulas) for b in letter.opener):
            opener = _el(div, "opener")
            for block in letter.opener:
                self.block(opener, block, phrase_ok=True)
            started = True
        else:
            started = False
            for block in letter.opener:
                started = self.middle(div, block, started)
        for block in letter.body:
            started = self.middle(div, block, started)
        if letter.closer and not self.flat:
            closer = _el(div, "closer")
            for block in letter.closer:
                self.block(closer, block, phrase_ok=True)
        else:
            for block in letter.closer:
                started = self.middle(div, block, True)
        for block in letter.postscript:
            if self.flat and isinstance(block, Postscript):
                for paragraph in block.paragraphs:
                    self.middle(div, paragraph, True)
                for part in block.closer:
                    self.middle(div, part, True)
            else:
                self.block(div, block, phrase_ok=False)

    def middle(self, div: etree._Element, block: Block, started: bool) -> bool:
        """One block among the paragraphs; says whether the body has begun."""
        if isinstance(block, Dateline | Salute | Signed) and (started or self.flat):
            kind = {Dateline: "dateline", Salute: "salute", Signed: "signed"}[type(block)]
            ab = _el(div, "ab", type=kind)
            if isinstance(block, Dateline):
                self.dateline(ab, block, inline=True)
            else:
                self.inline(ab, block.content)
            return True
        self.block(div, block, phrase_ok=False)
        return started or isinstance(block, Paragraph | Address | Marginal | Signed)

    # ----------------------------------------------------------------- header
    def header(self, tei: etree._Element) -> None:
        letter, meta = self.letter, self.letter.metadata
        header = _el(tei, "teiHeader")
        file_desc = _el(header, "fileDesc")
        _el(_el(file_desc, "titleStmt"), "title", title_of(letter))
        publication = publication_stmt(file_desc, self.publication, "the encoding")
        if self.encoding_date:
            _el(publication, "date", self.encoding_date, when=self.encoding_date, type="encoding")
        if letter.notes:
            notes_stmt = _el(file_desc, "notesStmt")
            for text in letter.notes:
                _el(notes_stmt, "note", text, type="editorial", resp=self.resp)
        source_desc = _el(file_desc, "sourceDesc")
        self.ms_desc(source_desc)
        self.source_bibl(source_desc)
        if meta.catalogue:
            catalogue = _el(source_desc, "bibl", type="catalogue")
            catalogue.set(f"{{{XML_NS}}}id", self.catalogue_id)
            file, _, row = meta.catalogue.partition(", ")
            _el(catalogue, "title", file)
            if row:
                _el(catalogue, "citedRange", row)

        encoding = _el(header, "encodingDesc")
        app = _el(_el(encoding, "appInfo"), "application", ident="teitools", version=__version__)
        app.set(f"{{{XML_NS}}}id", self.app_id)
        _el(app, "label", "teitools")
        self.editorial_decl(encoding)

        profile = _el(header, "profileDesc")
        self.corresp_desc(profile)
        languages = _el(profile, "langUsage")
        main = self.language()
        name = LANGUAGE_NAMES.get(main, main) if main != "und" else "Undetermined"
        _el(
            languages,
            "language",
            f"{name} (translation)" if meta.translation else name,
            ident=main,
        )
        if meta.original_language and meta.original_language != main:
            name = LANGUAGE_NAMES.get(meta.original_language, meta.original_language)
            _el(
                languages,
                "language",
                f"{name} (language of the original)",
                ident=meta.original_language,
            )
        for lang in sorted(self.foreign_languages() - {meta.original_language or "", main}):
            _el(languages, "language", LANGUAGE_NAMES.get(lang, lang), ident=lang)

        revision = _el(header, "revisionDesc")
        change = _el(
            revision,
            "change",
            f"Encoded by teitools {__version__} from {letter.source.name}.",
            who=self.resp,
        )
        if self.encoding_date:
            change.set("when", self.encoding_date)

    def ms_desc(self, parent: etree._Element) -> None:
        """The archival source: identifier, what is physically marked, administrative status."""
        meta = self.letter.metadata
        physical, status = self.physical_notes(), self.status_notes()
        if not (meta.repository or meta.collection or meta.identifiers or physical or status):
            return
        ms = _el(parent, "msDesc")
        ident = _el(ms, "msIdentifier")
        if meta.repository is not None:
            repository = _el(ident, "repository", meta.repository.label)
            self.evidence_attrs(repository, meta.repository, ref=True)
        else:  # TEI requires a repository here; say plainly that the text does not name one
            _el(ident, "repository", "unknown", cert="unknown")
        if meta.collection:
            _el(ident, "collection", meta.collection)
        if meta.box:
            _el(ident, "idno", meta.box, type="box")
        for number in meta.identifiers:
            idno = _el(ident, "idno", number)
            if meta.idno_type(number):
                idno.set("type", meta.idno_type(number))
        if physical:
            marks = _el(_el(_el(ms, "physDesc"), "additions"), "list")
            for kind, text in physical:
                _el(marks, "item", text, n=kind)
        if status:
            notes = _el(_el(_el(_el(ms, "additional"), "adminInfo"), "note"), "list")
            for kind, text in status:
                _el(notes, "item", text, n=kind)

    def physical_notes(self) -> list[tuple[str, str]]:
        """What stands on the document: file headers, stamps, classification and draft marks."""
        meta, letter = self.letter.metadata, self.letter
        notes = [("archival", f"File header: {header!r}.") for header in meta.archival]
        furniture = furniture_of(letter)
        notes += [("stamp", f"Stamp: {text!r}.") for kind, text in furniture if kind == "stamp"]
        notes += [("classification", f"Classification mark: {mark!r}.") for mark in meta.marks]
        notes += [
            ("draftMark", f"Draft mark: {text!r}.")
            for kind, text in furniture
            if kind == "draftMark"
        ]
        return notes

    def status_notes(self) -> list[tuple[str, str]]:
        """Administrative status: classification, declassification, translation, draft."""
        meta = self.letter.metadata
        notes: list[tuple[str, str]] = []
        if meta.classification:
            notes.append(("classification", f"Classified {', '.join(meta.classification)}."))
        declassified = [i for i in meta.identifiers if meta.idno_type(i) == "declassification"]
        if declassified:
            notes.append(("declassification", f"Declassified: {'; '.join(declassified)}."))
        if meta.translation:
            notes.append(("translation", "Unofficial translation (so marked on the document)."))
        if meta.draft:
            notes.append(("status", f"Draft (marked {meta.draft_evidence!r})."))
        return notes

    def evidence_attrs(self, element: etree._Element, evidence: Evidence, *, ref: bool) -> None:
        entry = self.registers.entries.get(evidence.value) if self.registers else None
        if ref and entry is not None:
            authority = entry.authority()
            element.set("ref", authority or entry.ref)
            if authority:
                element.set("sameAs", entry.ref)
        element.set("cert", evidence.cert)
        from_catalogue = evidence.source == "catalogue" and self.letter.metadata.catalogue
        element.set("resp", f"#{self.catalogue_id}" if from_catalogue else self.resp)

    def corresp_desc(self, profile: etree._Element) -> None:
        meta = self.letter.metadata
        corresp = _el(profile, "correspDesc")
        sent = _el(corresp, "correspAction", type="sent")
        received = _el(corresp, "correspAction", type="received")
        for action, party, place in (
            (sent, meta.sender, meta.place_sent),
            (received, meta.addressee, meta.place_received),
        ):
            if party is not None:
                self.evidence_attrs(_el(action, "persName", party.label), party, ref=True)
            else:  # TEI's correspondence profile and CMIF want a name in every action
                _el(action, "persName", "unknown").set("cert", "unknown")
            if place is not None:
                self.evidence_attrs(_el(action, "placeName", place.label), place, ref=True)
        if meta.date is not None and meta.date_evidence is not None:
            date = _el(sent, "date")
            _date_attrs(date, meta.date)
            self.evidence_attrs(date, meta.date_evidence, ref=False)
        if meta.replies_to:
            context = _el(corresp, "correspContext")
            for text, value in meta.replies_to:
                ref = _el(context, "ref", text, type=CMIF_REPLY_TO)
                ref.set("n", value.when or "")
        _el(corresp, "note", self.inference_note(), type="inference", resp=self.resp)

    def inference_note(self) -> str:
        meta = self.letter.metadata
        parts = []
        for what, evidence in (
            ("Sender", meta.sender),
            ("Addressee", meta.addressee),
            ("Date", meta.date_evidence),
            ("Place of sending", meta.place_sent),
            ("Place of receipt", meta.place_received),
            ("Repository", meta.repository),
        ):
            if evidence is not None:
                parts.append(f"{what}: {evidence.label}, {evidence.note} ({evidence.cert}).")
        if meta.missing:
            reasons = [
                f"{name} ({meta.absence[name]})" if name in meta.absence else name
                for name in meta.missing
            ]
            parts.append(f"Not found in the text or the register: {'; '.join(reasons)}.")
        if meta.language:
            parts.append(f"Language: {meta.language}, told by {meta.language_evidence}.")
        elif self.publication.lang:
            parts.append(
                f"Language: {self.publication.lang}, the edition's language; the text does "
                f"not tell it ({meta.language_evidence})."
            )
        return " ".join(parts)

    def source_bibl(self, parent: etree._Element) -> None:
        source = self.letter.source
        bibl = _el(parent, "bibl", type="transcription")
        _el(bibl, "title", f"OCR text file {source.name}")
        _el(bibl, "citedRange", unit="line").set("from", str(source.first_line))
        bibl[-1].set("to", str(source.last_line))
        _el(bibl, "idno", source.sha256, type="sha256")
        where = f"Letter {source.index} of {source.count} in the file" if source.count > 1 else ""
        read = f"read as {source.encoding.upper()}"
        _el(bibl, "note", f"{where}; {read}." if where else f"The file was {read}.")

    def editorial_decl(self, encoding: etree._Element) -> None:
        decl = _el(encoding, "editorialDecl")
        correction = _el(decl, "correction", method="markup", status="unknown")
        _el(
            correction,
            "p",
            "Suspected OCR errors are kept as read (sic) beside a correction (corr) "
            "with the certainty of the guess; no text was changed silently.",
        )
        hyphenation = _el(decl, "hyphenation", eol="all")
        _el(
            hyphenation,
            "p",
            "Line-end hyphens are kept with the line break (lb break='no'). Where the "
            "hyphen only splits a word, the joined word is given as a regularisation (reg).",
        )
        normalization = _el(decl, "normalization", method="markup")
        dropped = self.letter.dropped
        text = (
            "Markdown markup added by OCR ('## ' headings, '*' emphasis) is not part of the "
            "letter and was dropped: " + ", ".join(dropped) + "."
            if dropped
            else "Nothing was dropped from the source text; line breaks are marked with lb."
        )
        _el(normalization, "p", text)

    def language(self) -> str:
        """The letter's language (ISO 639-1); where the text does not tell it, the
        edition's language, if it has one, else ``und``."""
        return self.letter.metadata.language or self.publication.lang or "und"

    def foreign_languages(self) -> set[str]:
        found: set[str] = set()

        def walk(nodes: Iterable[object]) -> None:
            for node in nodes:
                if isinstance(node, _LEAVES):
                    continue  # most nodes: no language of their own, nothing inside
                if isinstance(node, Foreign):
                    found.add(node.lang)
                if isinstance(node, Paragraph) and node.lang:
                    found.add(node.lang)
                for attr in ("content", "paragraphs"):
                    walk(getattr(node, attr, ()))
                if isinstance(node, Address):
                    for line in node.lines:
                        walk(line)

        walk(self.letter.blocks())
        return found

    def document(self) -> etree._Element:
        tei = etree.Element(f"{{{TEI_NS}}}TEI", nsmap={None: TEI_NS})
        tei.set(f"{{{XML_NS}}}id", self.id)
        tei.set(f"{{{XML_NS}}}lang", self.language())
        self.header(tei)
        self.div(_el(_el(tei, "text"), "body"))
        return tei


# inline nodes with neither a language nor content of their own
_LEAVES = (Text, LineBreak, Hyphenation, Correction, PageBreak, Gap, Name, Transcribed)


def _rend(element: etree._Element, rend: str) -> etree._Element:
    if rend:
        element.set("rend", rend)
    return element


def _date_attrs(element: etree._Element, value: DateValue) -> None:
    for attr, val in value.attributes().items():
        element.set(attr, val)


def to_tei(
    letter: Letter,
    registers: Registers | None = None,
    encoding_date: str | None = None,
    *,
    flat: bool = False,
    publication: Publication | None = None,
) -> bytes:
    """The TEI P5 document for ``letter``, as UTF-8 bytes with an XML declaration.

    ``registers`` give the authority identifiers of names; ``encoding_date`` (ISO) is
    stated in ``publicationStmt`` and the ``change`` (left out when None, for tests).
    ``flat`` writes the letter's parts as ``ab`` and ``p`` in source order, with no opener
    or closer: the safe structure when the letter's parts would make invalid TEI.
    ``publication`` gives the publisher, licence, terms and the edition's language
    (:meth:`teitools.config.Config.publication`).
    """
    return serialise(tei_tree(letter, registers, encoding_date, flat=flat, publication=publication))


def tei_tree(
    letter: Letter,
    registers: Registers | None = None,
    encoding_date: str | None = None,
    *,
    flat: bool = False,
    publication: Publication | None = None,
) -> etree._Element:
    """The TEI document of :func:`to_tei` as a tree (to check before it is serialised)."""
    tree = _Writer(letter, registers, encoding_date, flat, publication).document()
    _indent_structure(tree)
    return tree


def serialise(tree: etree._Element) -> bytes:
    body: bytes = etree.tostring(tree, encoding="UTF-8", xml_declaration=False)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + XML_MODELS + body + b"\n"


_MIXED = {
    f"{{{TEI_NS}}}{name}"
    for name in (
        "p",
        "fw",
        "salute",
        "signed",
        "dateline",
        "addrLine",
        "title",
        "note",
        "licence",
        "publisher",
        "change",
        "label",
        "language",
        "date",
        "foreign",
        "seg",
        "unclear",
        "add",
        "orig",
        "reg",
        "sic",
        "corr",
        "idno",
        "citedRange",
        "choice",
    )
}


def _indent_structure(element: etree._Element, level: int = 0) -> None:
    """Indent element-only containers; leave mixed content exactly as written."""
    if element.tag in _MIXED or not len(element):
        return
    if any((t or "").strip() for t in [element.text, *(c.tail for c in element)]):
        return  # text of the letter stands here: leave it exactly as written
    pad = "\n" + "  " * (level + 1)
    element.text = pad
    for child in element:
        _indent_structure(child, level + 1)
        child.tail = pad
    element[-1].tail = "\n" + "  " * level
