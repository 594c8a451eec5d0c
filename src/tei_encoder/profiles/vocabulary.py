"""The names a profile may use for block rules and speaker-label forms, as data.

Profiles are checked against these lists without importing the rules themselves (the rules read
profiles); tests/test_imports.py checks the rule tables in blocks/ have exactly these names.
"""

from __future__ import annotations

# Passes run once over the chunk list before the block rules (blocks.PASSES).
PASS_NAMES = ("yaml_front_matter", "front_matter", "line_paragraphs", "page_breaks")

# Block rules tried on each chunk in the profile's order (blocks.RULES).
RULE_NAMES = (
    "opener", "heading", "title", "dateline", "present", "participants", "source_note", "section",
    "closer", "signature", "footnote", "memo_header", "sublist", "turn", "paragraph",
)

# The label forms a profile may name in [turns] label_forms (blocks.labels reads each).
LABEL_FORMS = (
    "caps-stop",  # "CHAIRMAN GREENSPAN." "MR. PRELL."
    "caps-colon",  # "MS. PSAKI:" "INTERVIEWER:" "CC:"
    "name-colon",  # "Mr. Smith:" "Präsident Dr. Ehlers:" "The PRESIDENT:" "President:"
    "question-answer",  # "Q:" / "A:", "Q." / "A."
    "bold",  # "**Name:**" "**Name**:" "**PREGUNTA:**"
    "dash",  # "Mr. Garrow.—"
    "affiliation",  # "Name (CDU/CSU):" "Name, Minister for X:"
    "timestamp",  # "[00:01:02] CC:" "00 00 00 02 P"
    "own-line",  # a speaker alone on the line above the speech
    "in-paragraph",  # "… end of sentence. MR. PRELL. Next speech …"
    "reported",  # "Ambassador Bunker suggested …", "RUSK said that …"
    "table-row",  # "04 06 45 57 | CC | We copy you down, Eagle. |": a row of a transcript table
)


def unknown_rules(names: list[str]) -> list[str]:
    """Rule names a profile lists that do not exist."""
    return [n for n in names if n not in PASS_NAMES and n not in RULE_NAMES]
