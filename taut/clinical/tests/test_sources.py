"""Every public function of taut.clinical says where its rule comes from."""

import importlib
import inspect
import pkgutil
import re

import taut.clinical

SOURCE = re.compile(r"\[S\d+|\bS\d+[a-z]?\b|Source|Travell|Not a rule")
NOT_CODE = ("tests", "data")


def modules():
    """Every module of taut.clinical and of its packages, at any depth, by name relative to
    taut.clinical ("dosing", "screening.verdict"). Tests and data are not rules; a private
    module (``dosing._inputs``) is reached only through the public ones that use it."""
    for info in pkgutil.walk_packages(taut.clinical.__path__, "taut.clinical."):
        name = info.name.removeprefix("taut.clinical.")
        parts = name.split(".")
        if parts[0] in NOT_CODE or any(part.startswith("_") for part in parts):
            continue
        yield name, importlib.import_module(info.name)


def public_functions():
    for name, module in modules():
        for attr, obj in vars(module).items():
            public = not attr.startswith("_") and inspect.isfunction(obj)
            if public and obj.__module__ == module.__name__:
                yield f"{name}.{attr}", obj


def test_it_walks_the_packages():
    names = {name for name, _ in modules()}
    assert {"dosing", "dosing.table", "screening", "screening.verdict", "inputs"} <= names
    assert not {name for name in names if name.startswith(("tests", "data"))}


def test_it_finds_the_public_api():
    names = {name for name, _ in public_functions()}
    assert {"dosing.max_dose_mg", "fibromyalgia.acr2016", "cpt.cpt_code"} <= names
    assert {"screening.verdict.screen", "dosing.agents.read_agent"} <= names


def test_it_names_a_source_in_every_public_docstring():
    missing = [name for name, fn in public_functions() if not SOURCE.search(fn.__doc__ or "")]
    assert missing == []


def test_it_gives_every_module_and_package_a_version():
    for info in pkgutil.iter_modules(taut.clinical.__path__):
        if info.name not in NOT_CODE:
            module = importlib.import_module(f"taut.clinical.{info.name}")
            assert isinstance(getattr(module, "VERSION", None), str), info.name
