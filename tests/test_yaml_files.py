"""portal/yaml_files.py: one reader for every content and rules file."""
import pytest
import yaml

from portal.yaml_files import DuplicateKeyError, load_yaml, load_yaml_file


def test_a_key_written_twice_is_refused_with_its_line():
    with pytest.raises(DuplicateKeyError) as caught:
        load_yaml("amount: 1\nother: 2\namount: 3\n")
    assert caught.value.key == "amount" and caught.value.line == 3
    assert "«amount» встречается дважды (строка 3)" in str(caught.value)


def test_a_repeated_key_in_a_nested_mapping_is_refused_too():
    with pytest.raises(DuplicateKeyError):
        load_yaml("bans:\n  - id: a\n    title: x\n    title: y\n")


def test_the_same_key_in_two_mappings_is_fine():
    assert load_yaml("a: {x: 1}\nb: {x: 2}\n") == {"a": {"x": 1}, "b": {"x": 2}}


def test_each_caller_gets_its_own_copy():
    text = "list: [1, 2]\n"
    first = load_yaml(text)
    first["list"].append(3)
    assert load_yaml(text) == {"list": [1, 2]}


def test_only_safe_yaml_is_read():
    with pytest.raises(yaml.YAMLError):
        load_yaml("!!python/object/apply:os.system ['true']\n")


def test_the_rules_files_refuse_a_repeated_key(tmp_path):
    from portal.conviction.loading import load_rules
    from portal.guides.content import ContentError
    path = tmp_path / "conviction.yaml"
    path.write_text("sources: []\nsources: []\n", encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_rules(path)
    assert "встречается дважды" in str(caught.value)


def test_a_file_is_read_as_utf8(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text("слово: замена\n", encoding="utf-8")
    assert load_yaml_file(path) == {"слово": "замена"}
