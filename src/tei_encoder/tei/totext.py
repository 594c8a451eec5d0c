"""The way back: regenerate a transcript's text from its edition, brackets and markers included."""

from __future__ import annotations

import re

from lxml import etree

from ..profiles import Profile, load_profile
from .header import field_path
from .xml import TEI_NS, local

NS = {"t": TEI_NS}
# Block-level elements: each starts on a new line of the regenerated text.
_BLOCKS = frozenset("p head speaker note dateline byline seg idno signed closer opener sp div fw item ab".split())
# Elements that hold blocks; a note or seg inside a paragraph is inline and gets no new line.
_CONTAINERS = frozenset(
    "body div sp opener closer notesStmt abstract sourceDesc titleStmt fileDesc teiHeader text list ab".split()
)
_RUN_ON = "\x00"  # placeholder: the next block goes on the same line


def edition_text(root: etree._Element, profile: Profile | None = None) -> str:
    """The plain text of an edition, as close to its source as the markup allows."""
    if profile is None:
        profile = load_profile(recorded_profile(root))
    out: list[str] = []
    header = root.find("t:teiHeader", NS)
    if header is not None:
        yaml_block = header.find("t:xenoData", NS)
        if yaml_block is not None and yaml_block.get("type") == "yaml":
            out.append("---\n" + (yaml_block.text or "") + "\n---\n")
        out.append(_front_matter(header, profile))
    app = "t:teiHeader/t:encodingDesc/t:appInfo/t:application/t:desc"
    out.append(root.findtext(f"{app}[@type='wrapper-before']", "", NS))
    # One TEI, or a teiCorpus of several in the order of the transcript.
    for body in [root.find("t:text/t:body", NS), *root.findall("t:TEI/t:text/t:body", NS)]:
        if body is not None:
            out.append(_content(body))
    out.append(root.findtext(f"{app}[@type='wrapper-after']", "", NS))
    text = "\n".join(part for part in out if part)
    text = "\n".join(line.strip() for line in text.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def recorded_profile(root: etree._Element) -> str:
    """The profile an edition says it was made with."""
    desc = root.find("t:teiHeader/t:encodingDesc/t:appInfo/t:application/t:desc[@type='profile']", NS)
    if desc is None or not desc.text:
        return "plain"
    name = desc.text.split(":", 1)[0].removeprefix("profile ").strip()
    # A profile inferred for the file is named after its base ("plain+inferred"), and reads back
    # as the base: inference never sets the front matter, the one part the way back reads.
    return name.removesuffix("+inferred")


def _front_matter(header: etree._Element, profile: Profile) -> str:
    fm = profile.data["front_matter"]
    labels = {entry["kind"]: entry["label"] for entry in fm["fields"]}
    order = header.findtext("t:encodingDesc/t:appInfo/t:application/t:desc[@type='front-matter']", "", NS).split()
    lines: list[str] = []
    for kind in order:
        found = header.xpath(field_path(kind), namespaces=NS)
        if kind == "title":
            lines += [fm["title_marker"] + _content(found[0]) + fm["title_marker"], ""]
            continue
        if kind in labels:
            lines += [labels[kind] + ":", ""]
        for element in found:
            lines += [_content(element), ""]
        if kind == "citation":
            ptr = header.find("t:fileDesc/t:sourceDesc/t:bibl[@type='publication']/t:ptr", NS)
            if ptr is not None:
                lines += [f"<{ptr.get('target')}>", ""]
    return "\n".join(lines)


def _content(element: etree._Element) -> str:
    parts: list[str] = []
    _walk(element, parts)
    return "".join(parts).replace(_RUN_ON, "").strip()


def _walk(element: etree._Element, parts: list[str]) -> None:
    name = local(element)
    before, after = _rendering(element, name)
    parent = element.getparent()
    block = name in _BLOCKS and (parent is None or local(parent) in _CONTAINERS)
    joined = name == "p" and _after_speaker(element)
    if block and not joined:
        if parts and parts[-1] == _RUN_ON:
            parts[-1] = ""  # the first block of a numbered section follows its number
        else:
            parts.append("\n\n")
    parts.append(before)
    if name == "choice" and element.find("t:orig", NS) is not None:
        _walk(element.find("t:orig", NS), parts)  # the text as printed, not the repair
    elif name == "pause":
        parts.append(_pause_words(element))
    elif name in ("gap", "incident", "vocal", "kinesic"):
        desc = element.find("t:desc", NS)
        parts.append(desc.text or "" if desc is not None else "")
    else:
        if _is_content(element.text):
            parts.append(element.text)
        for child in element:
            if isinstance(child.tag, str):
                _walk(child, parts)
            if _is_content(child.tail):
                parts.append(child.tail)
    parts.append(after)
    if block and name != "speaker":
        parts.append("\n\n")


def _rendering(element: etree._Element, name: str) -> tuple[str, str]:
    """What the markup replaced: brackets, [sic] markers, section numbers, page gaps."""
    if name == "supplied" or (name == "note" and element.get("type") == "editorial"):
        return "[", "]"
    if name in ("gap", "incident", "vocal", "kinesic", "pause", "unclear"):
        # Square brackets unless the source printed round ones; "[unclear: word?]" has its label.
        rend = (element.get("rend") or "").split()
        before, after = ("(", ")") if "parenthesised" in rend else ("[", "]")
        if name == "unclear" and "labelled" in rend:
            label = element.get("reason") or ""
            before += (label.capitalize() if "capital" in rend else label) + ": "
        return before, after
    if name in ("time", "ref", "orgName", "seg", "bibl") and element.get("rend") in ("bracketed", "parenthesised"):
        if name != "ref" or element.get("type") == "footnote":
            return ("[", "]") if element.get("rend") == "bracketed" else ("(", ")")
    if name == "figure":
        graphic = element.find("t:graphic", NS)
        return "![", f"]({graphic.get('url') if graphic is not None else ''})"
    if name == "note" and element.get("type") == "source":
        rend = (element.get("rend") or "").split()
        if "unbracketed" in rend:
            return "", ""
        italic = "_" if "italic" in rend else ""
        return italic + "[", ("" if "unclosed" in rend else "]") + italic
    if name == "note" and element.get("type") == "footnote":
        rend = (element.get("rend") or "").split()
        space = "" if "tight" in rend else " "
        label = f"[{element.get('n') or ''}]" if "bracketed" in rend else element.get("n") or ""
        return ("* " if "bullet" in rend else "") + label + space, ""
    if name == "ref" and element.get("type") == "footnote":
        if element.get("rend") == "plain":  # a digit printed after the word: "request.1"
            return "", ""
        return "[", f"]({element.get('target')})"
    if name == "pc" and element.get("rend") == "escaped":
        return "\\", ""
    if name == "q" and element.get("rend") == "double-curly":
        return "“", "”"
    if name == "hi":
        marker = {"bold": "**", "italic": "_"}.get(element.get("rend") or "", "")
        return marker, marker
    if name == "sic" and (element.get("rend") or "").split():
        marker, *flags = element.get("rend").split()
        return "", ("" if "tight" in flags else " ") + marker
    if name == "speaker":
        return "", "" if element.get("rend") == "tight" else " "
    if name == "div" and element.get("type") == "section" and element.get("n"):
        stop = "\\." if element.get("rend") == "escaped" else "."
        return f"\n\n{element.get('n')}{stop} {_RUN_ON}", ""
    if name == "pb":
        return "\n", "\n"
    if name == "item" and element.get("n"):
        parent = element.getparent()
        if parent is not None and parent.get("rend") == "parenthesised":
            return f"({element.get('n')}) ", ""
    if name == "fw":
        return "\n", "\n"
    if name == "lb":
        return "\n", ""
    return "", ""


def _pause_words(element: etree._Element) -> str:
    """The words of a pause as printed, from its type and whether it was capitalised."""
    kind = element.get("type") or ""
    text = f"{kind} pause" if kind else "pause"
    return text[:1].upper() + text[1:] if "capital" in (element.get("rend") or "").split() else text


def _after_speaker(element: etree._Element) -> bool:
    previous = element.getprevious()
    return previous is not None and local(previous) == "speaker"


def _is_content(text: str | None) -> bool:
    # White space holding a newline is the serialiser's indentation: the encoder joins a
    # paragraph's lines with spaces, so no newline of the source survives inside content.
    return text is not None and text != "" and not (text.isspace() and "\n" in text)
