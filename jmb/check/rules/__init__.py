"""The rules of ``jmb validate``: one module each, with a stable code, listed in one registry.

Codes are a public contract: a code is never reused for another meaning. Families:
JMB0xx load and schema, JMB1xx completeness, JMB2xx content, JMB3xx references and numbering,
JMB4xx signatures, JMB5xx publication.
"""

from __future__ import annotations

from typing import cast

from jmb.check.rules import (
    appendix_file,
    appendix_path,
    bad_signature,
    bad_suppression,
    bare_none,
    content_changed,
    curly_quotes,
    duplicate_key,
    duplicate_number,
    file_name,
    format_version,
    history_order,
    import_unmapped,
    incomplete_signature,
    invisible_character,
    key_holder,
    key_required,
    key_validity,
    missing_appendix,
    missing_field,
    missing_signature,
    no_recommendation,
    not_a_record,
    not_signable,
    number_pattern,
    number_year,
    paper_signature,
    part2_alias,
    part2_empty,
    part2_in_part1,
    part2_legal_basis,
    placeholder_text,
    published_late,
    repeated_role,
    required_section,
    signature_date,
    status_history,
    too_complex,
    unanswered_question,
    unknown_field,
    unknown_key,
    unknown_role,
    unreadable_file,
    unused_appendix,
    wrong_type,
    yaml_anchor,
    yaml_syntax,
)
from jmb.check.rules.base import RecordRule, Rule

#: Every rule by its code, in code order.
RULES: dict[str, Rule] = {
    rule.ID: rule
    for rule in sorted(
        (
            yaml_syntax,
            unreadable_file,
            duplicate_key,
            format_version,
            missing_field,
            unknown_field,
            wrong_type,
            too_complex,
            not_a_record,
            bad_suppression,
            yaml_anchor,
            invisible_character,
            import_unmapped,
            curly_quotes,
            required_section,
            no_recommendation,
            part2_legal_basis,
            part2_empty,
            part2_alias,
            part2_in_part1,
            placeholder_text,
            unanswered_question,
            bare_none,
            missing_appendix,
            appendix_file,
            appendix_path,
            unused_appendix,
            number_pattern,
            number_year,
            duplicate_number,
            file_name,
            missing_signature,
            incomplete_signature,
            signature_date,
            unknown_role,
            repeated_role,
            content_changed,
            unknown_key,
            key_validity,
            key_holder,
            bad_signature,
            history_order,
            key_required,
            status_history,
            not_signable,
            paper_signature,
            published_late,
        ),
        key=lambda rule: rule.ID,
    )
}

#: The rules that check one record at a time, run in code order after the schema pass (the ``schema``
#: rules are the schema pass; the ``load`` rules report while the file is read).
RECORD_RULES: tuple[RecordRule, ...] = tuple(
    cast(RecordRule, rule) for rule in RULES.values() if rule.SCOPE == "record"
)

#: The codes that no comment in a record can silence: what protects Part 2 and what proves the
#: signatures is not a matter of opinion (each rule says so with ``SUPPRESSIBLE = False``).
UNSUPPRESSIBLE: frozenset[str] = frozenset(
    code for code, rule in RULES.items() if not rule.SUPPRESSIBLE
)

#: The rules the schema pass reports for (:mod:`jmb.check.rules.schema`).
SCHEMA_CODES: frozenset[str] = frozenset(
    code for code, rule in RULES.items() if rule.SCOPE == "schema" and rule is not format_version
)

__all__ = ["RECORD_RULES", "RULES", "SCHEMA_CODES", "UNSUPPRESSIBLE", "RecordRule", "Rule"]
