"""How expensive the house is to change, measured (issue 21): run `python -m tools.house`.

Prints, each beside its goal:
- named permissions registered (`rules.add_perm`) vs asked anywhere else (views, templates, domain);
- public domain write functions that leave no audit entry (a static scan, see `writes_without_audit`);
- modules outside the import contracts (tools/contracts.py);
- files touched to add a field to 附件2 (the catalogue's ADD_A_FIELD), and the lists derived from it;
- branch coverage of the last `make test COVERAGE=1` run (the .coverage file), against its floor.
"""

import ast
import io
import pathlib
import re
import sys
import tomllib

from tools.contracts import modules_outside_contracts
from yanxiu.applications import catalogue

ROOT = pathlib.Path(__file__).resolve().parent.parent
CODE = ROOT / "yanxiu"

PERMISSION_NAME = re.compile(r"""["']((?:[a-z]+)\.[a-z_]+)["']""")
REGISTERED = re.compile(r"""rules\.add_perm\(\s*["']([a-z]+\.[a-z_]+)["']""")

# Calls that write rows, and calls that leave an audit entry (directly or through a door that does).
WRITES = {"save", "create", "update", "delete", "bulk_create", "bulk_update", "get_or_create", "update_or_create"}
AUDITS = {"record", "security_event", "permission_denied", "perform", "perform_within", "record_change"}


def permissions():
    registered, asked = set(), set()
    for path in CODE.rglob("*"):
        if path.suffix not in {".py", ".html"} or "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        names = set(REGISTERED.findall(text))
        registered |= names
        for line in text.splitlines():
            if "add_perm" in line:
                continue
            asked |= set(PERMISSION_NAME.findall(line))
    return registered, registered & asked


def _called(node):
    for child in ast.walk(node):
        if isinstance(child, ast.Call):
            func = child.func
            if isinstance(func, ast.Attribute):
                yield func.attr
            elif isinstance(func, ast.Name):
                yield func.id


def _reaches(calls, name, wanted, seen):
    """Whether `name`, or a function of its module it calls (to any depth), calls one of `wanted`."""
    if name in seen:
        return False
    seen.add(name)
    if calls[name] & wanted:
        return True
    return any(_reaches(calls, callee, wanted, seen) for callee in calls[name] if callee in calls)


def writes_without_audit():
    """Public functions of `domain/` modules that write rows and reach no audit call.

    A function counts as audited if it, or a function of its own module that it calls (to any
    depth), calls one of AUDITS. Static and approximate: a write through another module's helper
    is not seen as a write.
    """
    found = []
    for path in sorted(CODE.glob("*/domain/**/*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        functions = {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}
        calls = {name: set(_called(node)) for name, node in functions.items()}

        for name in functions:
            if name.startswith("_"):
                continue
            if _reaches(calls, name, WRITES, set()) and not _reaches(calls, name, AUDITS, set()):
                module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
                found.append(f"{module}.{name}")
    return found


def coverage():
    data = ROOT / ".coverage"
    if not data.exists():
        return None
    import coverage as coverage_py  # noqa: PLC0415 (a tool, optional: only when a run left data)

    measured = coverage_py.Coverage(data_file=str(data), config_file=str(ROOT / "pyproject.toml"))
    measured.load()
    return measured.report(file=io.StringIO())


def main():
    registered, asked = permissions()
    unasked = sorted(registered - asked)
    print(f"named permissions: {len(registered)} registered, {len(asked)} asked (goal: all asked)")
    for name in unasked:
        print(f"  never asked: {name}")
    silent = writes_without_audit()
    print(f"domain write functions without an audit entry: {len(silent)} (goal: 0)")
    for name in silent:
        print(f"  {name}")
    outside = modules_outside_contracts()
    print(f"modules outside the import contracts: {len(outside)} (goal: 0)")
    for module in outside:
        print(f"  {module}")
    touched = catalogue.ADD_A_FIELD
    print(
        f"files touched to add a field (from the catalogue's derivation list): {len(touched)} "
        f"(goal: 3 at most; {len(catalogue.DERIVED_BY)} modules derive from the catalogue)"
    )
    for path in touched:
        print(f"  {path}")
    floor = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["coverage"]["report"]["fail_under"]
    total = coverage()
    shown = "not measured (run `make test COVERAGE=1`)" if total is None else f"{total:.1f} %"
    print(f"branch coverage: {shown} (floor: {floor} %)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
