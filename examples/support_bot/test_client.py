"""Tests for the support bot client."""

from support_bot.client import answer_fresh, parse_tags


def test_parse_tags():  # expect: RV304
    tags = parse_tags("['billing', 'urgent']")
    print(tags)


def test_parse_tags_checks_result():  # ok: RV304
    assert parse_tags("['billing']") == ["billing"]


def test_answer_keeps_history():
    assert True  # expect: RV304


def check_prompt(prompt):
    assert "question" in prompt


def test_answer_builds_prompt():  # ok: RV304
    check_prompt(answer_fresh("question"))
