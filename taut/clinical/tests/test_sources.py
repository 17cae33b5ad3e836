"""Every public function of taut.clinical says where its rule comes from."""

import importlib
import inspect
import pkgutil
import re

import taut.clinical

SOURCE = re.compile(r"\[S\d+|\bS\d+[a-z]?\b|Source|Travell|Not a rule")


def public_functions():
    for info in pkgutil.iter_modules(taut.clinical.__path__):
        if info.name in ("tests", "data"):
            continue
        module = importlib.import_module(f"taut.clinical.{info.name}")
        for name, obj in vars(module).items():
            public = not name.startswith("_") and inspect.isfunction(obj)
            if public and obj.__module__ == module.__name__:
                yield f"{info.name}.{name}", obj


def test_it_finds_the_public_api():
    names = {name for name, _ in public_functions()}
    assert {"dosing.max_dose_mg", "fibromyalgia.acr2016", "coding.cpt_code"} <= names


def test_it_names_a_source_in_every_public_docstring():
    missing = [name for name, fn in public_functions() if not SOURCE.search(fn.__doc__ or "")]
    assert missing == []


def test_it_gives_every_module_a_version():
    for info in pkgutil.iter_modules(taut.clinical.__path__):
        if info.name not in ("tests", "data"):
            module = importlib.import_module(f"taut.clinical.{info.name}")
            assert isinstance(getattr(module, "VERSION", None), str), info.name
