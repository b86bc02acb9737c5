"""How expensive the house is to change, measured (issue 21): run `python -m tools.house`.

Prints, each beside its goal:
- named permissions registered (`rules.add_perm`, `accounts.rules.permission`) vs asked anywhere else
  (views, templates, domain, the workflow's transitions);
- direct role checks (`user.is_province_officer`, `user.role == …`) outside the rules.py modules;
- public domain write functions that leave no audit entry (a static scan, see `writes_without_audit`),
  but for the exceptions listed with their reasons in UNAUDITED;
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
TEMPLATE_PERMISSION = re.compile(r"\bperms\.([a-z]+)\.([a-z_]+)")
REGISTERED = re.compile(r"""(?:rules\.add_perm|\bpermission)\(\s*["']([a-z]+\.[a-z_]+)["']""")

# A role read straight off the user instead of through a named permission (or, inside rules.py, a predicate).
ROLE_CHECK = re.compile(
    r"\.is_(?:institution_staff|authority_reviewer|province_officer|audit_admin|administrator)\b"
    r"|\.role\s*(?:==|!=|not\s+in\b|in\b)"
)
# Modules that may read roles directly, and why.
ROLE_CHECKS_ALLOWED = {
    "yanxiu/accounts/models.py": "defines the role properties the predicates read, and each role's own fields",
    "yanxiu/accounts/domain/changes.py": "the role is the data being changed (三员分立: which role a change may give)",
}

# Calls that write rows, and calls that leave an audit entry (directly or through a door that does).
WRITES = {"save", "create", "update", "delete", "bulk_create", "bulk_update", "get_or_create", "update_or_create"}
AUDITS = {
    "record",
    "security_event",
    "permission_denied",
    "perform",
    "perform_within",
    "record_change",
    "account_change",
    "AuditEntry",  # an entry written directly (with the client's address, or many at once)
}
# Domain write functions that leave no audit entry of their own, each with the reason.
UNAUDITED = {
    "yanxiu.api.domain.tokens.login_of": "marks the web login a token is bound to (the session's own bookkeeping)",
    "yanxiu.api.domain.tokens.authenticate": "stamps a token's last use on every request (its row, shown on the token page)",
    "yanxiu.delivery.domain.personal_data.reveal": "writes PersonalDataAccess, the log of every whole-ID view itself",
    "yanxiu.delivery.domain.programmes.ensure_programmes": "a run record made when its application enters the plan: "
    "the application's audited transition is the record",
    "yanxiu.delivery.domain.programmes.on_application_state_changed": "the same, from the workflow's signal",
    "yanxiu.delivery.domain.programmes.write_record": "called only inside audited doors (the programme's transitions, "
    "flag_overdue), which record it",
    "yanxiu.operations.domain.rate_limit.count_post": "the public pages' rate-limit counter",
    "yanxiu.operations.domain.rate_limit.forget_old": "drops old rate-limit counters",
    "yanxiu.accounts.domain.codes.issue": "a verification code (hashed): the registration or reset it allows is "
    "the audited change",
    "yanxiu.accounts.domain.codes.send_by_sms": "issues and texts a code (see codes.issue)",
    "yanxiu.accounts.domain.codes.send_by_email": "issues and mails a code (see codes.issue)",
    "yanxiu.accounts.domain.codes.check": "spends a code or counts a wrong try (see codes.issue)",
    "yanxiu.accounts.domain.invitations.issue": "called only by the account doors (invite, resend), whose "
    "account_change records it",
    "yanxiu.delivery.domain.quality.refresh": "a derived figure, rebuilt from audited surveys, attendance and closings",
    "yanxiu.delivery.domain.quality.refresh_all": "a derived figure, rebuilt from audited surveys, attendance and closings",
    "yanxiu.operations.domain.heartbeats.beat": "a process's heartbeat (运行监控 shows it)",
    "yanxiu.operations.domain.heartbeats.stopped": "a process's last heartbeat",
    "yanxiu.operations.domain.recovery.recover": "requeues or fails a dead worker's job row; the job's own state says so",
    "yanxiu.operations.domain.schedule.claim": "a scheduled run's claim (ScheduledRun is the record of each run)",
    "yanxiu.operations.domain.schedule.run": "records the run in ScheduledRun",
    "yanxiu.operations.domain.schedule.run_safely": "records the run in ScheduledRun",
    "yanxiu.operations.domain.schedule.run_due": "records the runs in ScheduledRun",
    "yanxiu.reviews.domain.standings.recompute_totals": "a derived cache of scores, rebuilt from audited reviews",
    "yanxiu.reviews.domain.standings.refresh_standings": "a derived cache of scores, rebuilt from audited reviews",
    "yanxiu.reviews.domain.standings.refresh_for_applications": "a derived cache of scores, rebuilt from audited reviews",
    "yanxiu.selection.domain.plan_issue.note_publication": "called by decisions.publish, whose entry records the "
    "publication (the plan's date is that day)",
}


def _sources():
    for path in sorted(CODE.rglob("*")):
        if path.suffix in {".py", ".html"} and "migrations" not in path.parts:
            yield path, path.read_text(encoding="utf-8")


def permissions():
    """(registered, asked): a name is asked where it is written outside its registration."""
    registered, asked = set(), set()
    for _path, text in _sources():
        registered |= set(REGISTERED.findall(text))
        rest = REGISTERED.sub("", text)
        asked |= set(PERMISSION_NAME.findall(rest))
        asked |= {f"{app}.{name}" for app, name in TEMPLATE_PERMISSION.findall(rest)}
    return registered, registered & asked


def role_checks():
    """Lines that read a role directly, outside rules.py and ROLE_CHECKS_ALLOWED: `path:line: text`."""
    found = []
    for path, text in _sources():
        where = path.relative_to(ROOT).as_posix()
        if path.name == "rules.py" or where in ROLE_CHECKS_ALLOWED or "demo" in path.parts:
            continue
        for number, line in enumerate(text.splitlines(), start=1):
            if ROLE_CHECK.search(line):
                found.append(f"{where}:{number}: {line.strip()}")
    return found


def _called(node):
    for child in ast.walk(node):
        if isinstance(child, ast.Call):
            func = child.func
            if isinstance(func, ast.Attribute):
                yield func.attr
            elif isinstance(func, ast.Name):
                yield func.id
        elif isinstance(child, ast.Name) and child.id == "AuditEntry":
            yield child.id


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
                if f"{module}.{name}" not in UNAUDITED:
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
    direct = role_checks()
    print(f"direct role checks outside rules.py: {len(direct)} (goal: 0; allowed: {', '.join(ROLE_CHECKS_ALLOWED)})")
    for line in direct:
        print(f"  {line}")
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
