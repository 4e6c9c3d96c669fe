"""The monograph_body filter: staff's plain text to paragraphs and bullet lists,
with everything they type escaped."""

import pytest
from django.template import Context, Template
from django.utils.safestring import SafeString

from catalog.templatetags.catalog_tags import monograph_body


def test_a_single_line_is_one_paragraph():
    assert monograph_body("Take with food.") == "<p>Take with food.</p>"


def test_blank_lines_separate_paragraphs():
    text = "First paragraph.\n\nSecond paragraph.\n\n\n\nThird, after two blanks."
    assert monograph_body(text) == (
        "<p>First paragraph.</p>\n"
        "<p>Second paragraph.</p>\n"
        "<p>Third, after two blanks.</p>"
    )


def test_lines_within_a_paragraph_are_joined_with_a_space():
    text = "Baclofen relaxes\nmuscle spasm.\n  Indented continuation."
    assert monograph_body(text) == (
        "<p>Baclofen relaxes muscle spasm. Indented continuation.</p>"
    )


def test_windows_line_endings_are_understood():
    text = "One.\r\n\r\n- a\r\n- b"
    assert monograph_body(text) == "<p>One.</p>\n<ul><li>a</li><li>b</li></ul>"


def test_lines_starting_with_a_dash_and_space_form_a_bullet_list():
    text = "Common side effects:\n\n- drowsiness\n- dizziness\n- nausea"
    assert monograph_body(text) == (
        "<p>Common side effects:</p>\n"
        "<ul><li>drowsiness</li><li>dizziness</li><li>nausea</li></ul>"
    )


def test_indented_bullets_are_still_a_list():
    assert monograph_body("  - one\n  - two") == "<ul><li>one</li><li>two</li></ul>"


def test_a_dash_without_a_space_is_not_a_bullet():
    assert monograph_body("-5 mg daily") == "<p>-5 mg daily</p>"


def test_a_block_mixing_bullets_and_text_stays_a_paragraph():
    assert monograph_body("- one\nnot a bullet") == "<p>- one not a bullet</p>"


def test_separate_lists_stay_separate():
    assert monograph_body("- a\n\n- b") == "<ul><li>a</li></ul>\n<ul><li>b</li></ul>"


@pytest.mark.parametrize("text", ["", "\n\n", "   \n\n  \r\n"])
def test_empty_text_gives_no_markup(text):
    assert monograph_body(text) == ""


def test_the_result_is_marked_safe_for_templates():
    assert isinstance(monograph_body("x"), SafeString)
    assert isinstance(monograph_body(""), SafeString)


def test_script_in_a_paragraph_is_escaped():
    html = monograph_body('<script>alert("x")</script>')
    assert html == "<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</p>"
    assert "<script" not in html


def test_html_in_a_bullet_is_escaped():
    html = monograph_body("- <b>bold</b> & 'quoted'\n- <img src=x onerror=alert(1)>")
    assert html == (
        "<ul><li>&lt;b&gt;bold&lt;/b&gt; &amp; &#x27;quoted&#x27;</li>"
        "<li>&lt;img src=x onerror=alert(1)&gt;</li></ul>"
    )
    assert "<img" not in html and "<b>" not in html


def test_text_that_looks_like_escaped_html_is_escaped_again():
    # Staff typing "&lt;" see "&lt;" on the page, not "<".
    assert monograph_body("&lt;b&gt;") == "<p>&amp;lt;b&amp;gt;</p>"


def test_markup_cannot_break_out_of_a_list_item():
    html = monograph_body("- </li></ul><script>x()</script>")
    assert html == (
        "<ul><li>&lt;/li&gt;&lt;/ul&gt;&lt;script&gt;x()&lt;/script&gt;</li></ul>"
    )


def test_filter_in_a_template_escapes_once_and_keeps_its_own_markup():
    template = Template("{% load catalog_tags %}{{ body|monograph_body }}")
    html = template.render(Context({"body": "A & B\n\n- <i>x</i>"}))
    assert html == "<p>A &amp; B</p>\n<ul><li>&lt;i&gt;x&lt;/i&gt;</li></ul>"


def test_a_blank_line_holding_only_spaces_separates_paragraphs():
    assert monograph_body("First.\n   \nSecond.") == "<p>First.</p>\n<p>Second.</p>"
