"""One YAML reader for every content and rules file (guides' front matter, sections, glossary, synonyms,
plan, conviction, vacancy rules, the working calendar).

- libyaml's safe loader when it is installed: about ten times faster, and every start-up reads these files;
- a key written twice is refused with its line (plain YAML silently keeps the last one, so a staff member's
  second «amount:» would win unseen);
- each distinct text is parsed once per process and handed out as a deep copy: the tests build hundreds
  of apps over the same files, and no caller can change another's data.
"""
import copy
from functools import lru_cache

import yaml

_BASE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class DuplicateKeyError(yaml.YAMLError):
    """A mapping names the same key twice."""

    def __init__(self, key, line):
        super().__init__(f"ключ «{key}» встречается дважды (строка {line})")
        self.key, self.line = key, line


class _UniqueKeyLoader(_BASE_LOADER):
    """The safe loader, refusing a key written twice."""


def _mapping_without_duplicates(loader, node, deep=False):
    seen = set()
    for key_node, _value in node.value:
        key = loader.construct_object(key_node, deep=deep)
        try:
            if key in seen:
                raise DuplicateKeyError(key, key_node.start_mark.line + 1)
            seen.add(key)
        except TypeError:  # an unhashable key: construct_mapping below reports it as YAML does
            pass
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_without_duplicates)


@lru_cache(maxsize=512)
def _parsed(text):
    return yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506  # nosec B506: a safe loader


def load_yaml(text):
    """The data of a YAML text; raises yaml.YAMLError (DuplicateKeyError for a repeated key)."""
    return copy.deepcopy(_parsed(text))


def load_yaml_file(path):
    """load_yaml of a UTF-8 file; raises OSError, UnicodeDecodeError or yaml.YAMLError."""
    with open(path, encoding="utf-8") as handle:
        return load_yaml(handle.read())
