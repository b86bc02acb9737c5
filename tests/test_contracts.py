"""Every module of yanxiu is in a layer of an import contract, so `lint-imports` sees it."""

from tools.contracts import modules_outside_contracts


def test_every_module_belongs_to_a_layer():
    assert modules_outside_contracts() == []
