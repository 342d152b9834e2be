from __future__ import annotations

import pytest

from amparo.learning.markup import render


@pytest.mark.parametrize(
    ("source", "html"),
    [
        ("Hello **you** and *them*", "<p>Hello <strong>you</strong> and <em>them</em></p>"),
        ("## Title", "<h2>Title</h2>"),
        ("- a\n- b", "<ul><li>a</li><li>b</li></ul>"),
        ("1. a\n2. b", "<ol><li>a</li><li>b</li></ol>"),
        ("> said", "<blockquote><p>said</p></blockquote>"),
        ("`<b>`", "<p><code>&lt;b&gt;</code></p>"),
        (
            "[site](https://example.org/a?b=1&c=2)",
            '<p><a href="https://example.org/a?b=1&amp;c=2" rel="noopener noreferrer">site</a></p>',
        ),
        ("[here](/en/learn/)", '<p><a href="/en/learn/">here</a></p>'),
        (
            "![A map](/static/img/map.png)",
            '<p><img src="/static/img/map.png" alt="A map" loading="lazy"></p>',
        ),
    ],
)
def test_markdown_subset(source, html):
    assert str(render(source)) == html


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[click](javascript:alert(1))",
        '[x](https://a.example/"onmouseover="alert(1))',
        "![tracker](https://tracker.example/pixel.png)",
        "![proto](//evil.example/a.png)",
    ],
)
def test_markdown_never_lets_html_scripts_or_outside_images_through(source):
    html = str(render(source))

    assert "<script" not in html
    assert "<img" not in html
    assert "javascript:" not in html
    assert 'onmouseover="' not in html
    assert 'onerror="' not in html


def test_offline_rendering_turns_images_into_their_text():
    assert str(render("![A map](/static/img/map.png)", offline=True)) == "<p>[A map]</p>"
