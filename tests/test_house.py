"""The house rules that tools/house.py measures, held by tests (issue 21, decision 0028):
every registered permission is asked, roles are read only in rules.py, every domain write is audited."""

import ast
import textwrap

import pytest

from tools import house
from yanxiu.accounts.rules import REFUSALS
from yanxiu.applications.domain.workflow import APPLICATION_WORKFLOW
from yanxiu.batches.domain.operations import BATCH_WORKFLOW
from yanxiu.delivery.domain.programmes import PROGRAMME_WORKFLOW
from yanxiu.reviews.domain.operations import ASSIGNMENT_WORKFLOW

WORKFLOWS = [APPLICATION_WORKFLOW, BATCH_WORKFLOW, PROGRAMME_WORKFLOW, ASSIGNMENT_WORKFLOW]


def test_every_registered_permission_is_asked_somewhere():
    registered, asked = house.permissions()
    assert sorted(registered - asked) == []


def test_roles_are_read_only_inside_the_rules_modules():
    assert house.role_checks() == []


def test_every_domain_write_function_leaves_an_audit_entry():
    assert house.writes_without_audit() == []


def test_every_listed_exception_is_still_a_domain_write_function():
    # An exception whose function is gone or now audited is dropped from the list, not kept stale.
    still = set()
    for name in house.UNAUDITED:
        module, function = name.rsplit(".", 1)
        tree = ast.parse((house.ROOT / (module.replace(".", "/") + ".py")).read_text(encoding="utf-8"))
        functions = {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}
        calls = {n: set(house._called(node)) for n, node in functions.items()}
        writes = function in calls and house._reaches(calls, function, house.WRITES, set())
        if writes and not house._reaches(calls, function, house.AUDITS, set()):
            still.add(name)
    assert sorted(set(house.UNAUDITED) - still) == []


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda w: w.model.__name__)
def test_every_transition_names_a_registered_permission_with_its_refusal(workflow):
    registered, _ = house.permissions()
    unnamed = [t.action for t in workflow.transitions.values() if t.permission not in registered]
    silent = [t.action for t in workflow.transitions.values() if t.permission not in REFUSALS]
    assert (unnamed, silent) == ([], [])


def _scan(tmp_path, monkeypatch, source):
    """writes_without_audit over one made-up domain module."""
    module = tmp_path / "yanxiu" / "made_up" / "domain" / "things.py"
    module.parent.mkdir(parents=True)
    module.write_text(textwrap.dedent(source), encoding="utf-8")
    monkeypatch.setattr(house, "ROOT", tmp_path)
    monkeypatch.setattr(house, "CODE", tmp_path / "yanxiu")
    return house.writes_without_audit()


def test_a_domain_write_without_an_audit_call_is_found(tmp_path, monkeypatch):
    source = """
        def rename(thing, name, actor):
            thing.name = name
            thing.save()
    """
    assert _scan(tmp_path, monkeypatch, source) == ["yanxiu.made_up.domain.things.rename"]


def test_a_domain_write_through_a_helper_that_records_is_audited(tmp_path, monkeypatch):
    source = """
        def rename(thing, name, actor):
            before = {"name": thing.name}
            thing.name = name
            thing.save()
            _log(thing, before, actor)

        def _log(thing, before, actor):
            record_change(thing, action="rename", label="改名", actor=actor, before=before, after={"name": thing.name})
    """
    assert _scan(tmp_path, monkeypatch, source) == []
