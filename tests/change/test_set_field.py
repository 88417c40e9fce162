"""`editing.set_field` / `remove_field`: whole-field edits that leave every
other byte of the file as it was (what imports need for their fields)."""

from __future__ import annotations

import pytest

from catalogctl.change.editing import EditError, remove_field, set_field
from catalogctl.load import yamlsafe

TEXT = """\
# Payroll, owned by HR  (a comment that must stay)
apiVersion: catalogctl/v1
kind: Service
metadata:
  id: payroll
  name: Payroll   # shown on the site
  description: |
    Pays everyone.
    On time.
  tags: [hr, finance]
spec:
  owner: hr
  cis:
    - db-01   # primary
    - db-02
  tier: 1
"""


def data(text: str) -> dict[str, object]:
    value, problems, _ = yamlsafe.parse(text)
    assert problems == []
    assert isinstance(value, dict)
    return value


def test_a_block_list_is_rewritten_in_place() -> None:
    edited = set_field(TEXT, ("spec", "cis"), ["db-03", "db-04", "db-05"])
    assert edited == TEXT.replace(
        "    - db-01   # primary\n    - db-02\n", "    - db-03\n    - db-04\n    - db-05\n"
    )


def test_a_flow_list_stays_flow_and_a_missing_field_is_appended() -> None:
    edited = set_field(TEXT, ("metadata", "tags"), ["hr"])
    assert edited == TEXT.replace("tags: [hr, finance]", "tags: [hr]")
    added = set_field(TEXT, ("spec", "dependsOn"), ["identity", "mail"])
    assert added == TEXT + "  dependsOn:\n    - identity\n    - mail\n"
    links = [{"title": "Runbook", "url": "https://wiki.example.com/payroll"}]
    with_links = set_field(TEXT, ("metadata", "links"), links)
    assert data(with_links)["metadata"]["links"] == links  # type: ignore[index]
    assert "  tags: [hr, finance]\n  links:\n    - title: Runbook\n" in with_links


def test_scalars_keep_their_line_and_a_block_scalar_is_replaced_whole() -> None:
    edited = set_field(TEXT, ("metadata", "name"), "Payroll and Pensions")
    assert '  name: "Payroll and Pensions"   # shown on the site\n' in edited
    short = set_field(TEXT, ("metadata", "description"), "Pays everyone: on time.")
    assert short == TEXT.replace("|\n    Pays everyone.\n    On time.", '"Pays everyone: on time."')
    longer = set_field(TEXT, ("metadata", "description"), "Pays everyone.\nOn time, always.\n")
    assert longer == TEXT.replace("    On time.\n", "    On time, always.\n")
    tier = set_field(TEXT, ("spec", "tier"), 2)
    assert tier == TEXT.replace("tier: 1", "tier: 2")


def test_an_empty_list_and_a_removed_field() -> None:
    emptied = set_field(TEXT, ("spec", "cis"), [])
    assert "  cis: []\n  tier: 1\n" in emptied and data(emptied)["spec"]["cis"] == []  # type: ignore[index]
    removed = remove_field(TEXT, ("metadata", "description"))
    assert removed == TEXT.replace("  description: |\n    Pays everyone.\n    On time.\n", "")
    assert remove_field(TEXT, ("spec", "dependsOn")) == TEXT


def test_crlf_files_keep_crlf() -> None:
    crlf = TEXT.replace("\n", "\r\n")
    added = set_field(crlf, ("spec", "visibility"), "internal")
    assert added == crlf + "  visibility: internal\r\n"


def test_what_cannot_be_edited_safely_is_refused() -> None:
    twice = TEXT + "spec:\n  owner: x\n"
    with pytest.raises(EditError):
        set_field("spec: {owner: hr}\n", ("spec", "tier"), 1)  # a flow mapping
    with pytest.raises(EditError, match="defined more than once"):
        set_field(twice, ("spec", "owner"), "y")
