"""Which modules of yanxiu belong to no layer of the import contracts (pyproject.toml).

A module outside every layer may import anything: the contracts cannot see it. Run
`python -m tools.contracts` to list them; tests/test_contracts.py keeps the list empty.
"""

import pathlib
import re
import tomllib

ROOT = pathlib.Path(__file__).resolve().parent.parent
# Not code that imports: package markers, app configs, migrations (read by Django, not imported).
NOT_LAYERED = {"__init__", "apps", "migrations"}


def contracts():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return config["tool"]["importlinter"]["contracts"]


def layer_names(layers):
    """The module names a contract's layers list: "(views) : (public_views)" → views, public_views."""
    return {name for layer in layers for name in re.findall(r"[a-z_]+", layer.replace("|", " "))}


def modules_outside_contracts():
    containers = {}
    for contract in contracts():
        for container in contract.get("containers", []):
            containers.setdefault(container, set()).update(layer_names(contract["layers"]))
    outside = []
    for path in sorted((ROOT / "yanxiu").iterdir()):
        name = path.stem if path.suffix == ".py" else path.name
        if name in NOT_LAYERED or name.startswith((".", "__")):
            continue
        if path.is_dir() and not (path / "__init__.py").exists():
            continue
        if name not in containers["yanxiu"]:
            outside.append(f"yanxiu.{name}")
        container = f"yanxiu.{name}"
        if not path.is_dir():
            continue
        for child in sorted(path.iterdir()):
            part = child.stem if child.suffix == ".py" else child.name
            if part in NOT_LAYERED or part.startswith((".", "__")):
                continue
            is_package = child.is_dir() and (child / "__init__.py").exists()
            if not (is_package or child.suffix == ".py"):
                continue
            if part not in containers.get(container, set()):
                outside.append(f"{container}.{part}")
    return outside


if __name__ == "__main__":
    outside = modules_outside_contracts()
    print(f"modules outside the import contracts: {len(outside)}")
    for module in outside:
        print(f"  {module}")
