"""Front-end shell: vendored files, CSP-safe templates, accessible CSS, and the shared macros.

No app is needed: templates are rendered with a bare Jinja environment and stub globals.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import pytest
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from wtforms import BooleanField, Form, RadioField, SelectChoice, StringField
from wtforms.validators import DataRequired

ROOT = Path(__file__).resolve().parents[2]
STATIC = ROOT / "memoire" / "static"
TEMPLATES = ROOT / "memoire" / "templates"
CSS = STATIC / "css" / "memoire.css"

VENDORED = [
    "vendor/leaflet/leaflet.js",
    "vendor/leaflet/leaflet.css",
    "vendor/leaflet/images/marker-icon.png",
    "vendor/leaflet/images/layers.png",
    "vendor/leaflet/LICENSE",
    "vendor/markercluster/leaflet.markercluster.js",
    "vendor/markercluster/MarkerCluster.css",
    "vendor/markercluster/MarkerCluster.Default.css",
    "vendor/markercluster/LICENSE",
    "vendor/geoman/leaflet-geoman.min.js",
    "vendor/geoman/leaflet-geoman.css",
    "vendor/geoman/LICENSE",
    "vendor/geoman/THIRD-PARTY-LICENSES.txt",
    "vendor/README.md",
]
CDN_HOSTS = re.compile(r"https?://[^\s'\"()]*(unpkg|jsdelivr|cdnjs|googleapis|gstatic)", re.I)


def _static_files(*suffixes: str) -> list[Path]:
    return sorted(p for p in STATIC.rglob("*") if p.is_file() and p.suffix in suffixes)


def _template_files() -> list[Path]:
    return sorted(
        p for p in TEMPLATES.rglob("*") if p.is_file() and p.suffix in {".html", ".xml", ".txt"}
    )


# ---------- vendored libraries ----------


@pytest.mark.parametrize("relative", VENDORED)
def test_vendored_file_is_present(relative):
    path = STATIC / relative
    assert path.is_file(), f"{relative} missing: run `npm ci && npm run vendor`"
    assert path.stat().st_size > 0


def test_every_file_the_vendor_script_copies_is_committed():
    script = (ROOT / "scripts" / "vendor.mjs").read_text()
    targets = re.findall(r'"((?:memoire/static/vendor|tests/browser)/[^"]+)"\]', script)
    assert len(targets) >= 15
    for target in targets:
        path = ROOT / target
        assert path.is_file() and path.stat().st_size > 0, target


def test_package_json_pins_the_vendored_versions():
    package = json.loads((ROOT / "package.json").read_text())
    pins = {**package["dependencies"], **package["devDependencies"]}
    assert package["scripts"]["vendor"] == "node scripts/vendor.mjs"
    # Exact versions only: the vendored copies must be reproducible.
    assert all(re.fullmatch(r"\d+\.\d+\.\d+", v) for v in pins.values()), pins
    assert pins["leaflet"].startswith("1.9.")
    assert {"leaflet.markercluster", "@geoman-io/leaflet-geoman-free", "axe-core"} <= pins.keys()
    leaflet = (STATIC / "vendor/leaflet/leaflet.js").read_text()
    assert f'version="{pins["leaflet"]}"' in leaflet
    lock = json.loads((ROOT / "package-lock.json").read_text())
    assert lock["packages"]["node_modules/leaflet"]["version"] == pins["leaflet"]


def test_axe_core_is_there_for_the_browser_tests():
    axe = ROOT / "tests" / "browser" / "axe.min.js"
    assert axe.is_file()
    assert "axe" in axe.read_text()[:2000]


@pytest.mark.parametrize(
    "path", _static_files(".js", ".css"), ids=lambda p: str(p.relative_to(STATIC))
)
def test_no_cdn_reference(path):
    match = CDN_HOSTS.search(path.read_text(errors="replace"))
    assert match is None, f"{path.name} refers to a CDN: {match.group(0)}"


def test_loader_only_asks_for_files_that_exist():
    loader = (STATIC / "js" / "memoire.js").read_text()
    paths = re.findall(r'"((?:vendor|js|css)/[^"]+\.(?:js|css))"', loader)
    assert "vendor/leaflet/leaflet.js" in paths and "js/map.js" in paths and "js/player.js" in paths
    for relative in paths:
        assert (STATIC / relative).is_file(), relative


OWN_SCRIPTS = [p for p in _static_files(".js") if "vendor" not in p.relative_to(STATIC).parts]


@pytest.mark.parametrize("path", OWN_SCRIPTS, ids=lambda p: p.name)
def test_own_scripts_never_write_html_from_strings(path):
    source = path.read_text()
    # Data reaches the page through textContent and DOM nodes only (XSS, and CSP with Trusted Types).
    for pattern in (
        r"\.innerHTML\s*=(?!=)",
        r"\.outerHTML\s*=(?!=)",
        r"insertAdjacentHTML",
        r"document\.write",
        r"\beval\(",
        r"new Function",
    ):
        assert not re.search(pattern, source), f"{path.name}: {pattern}"


# ---------- templates: nothing the Content-Security-Policy would block ----------


class _InlineCodeFinder(HTMLParser):
    """Collect inline scripts, on* handlers and javascript: URLs in a template."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._script: dict[str, str | None] | None = None
        self._script_text: list[str] = []

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        for name, value in attrs:
            if re.fullmatch(r"on[a-z]{3,}", name) and value is not None:
                self.problems.append(f"line {self.getpos()[0]}: <{tag} {name}=...>")
            if (
                name in {"href", "src", "action", "formaction"}
                and value
                and value.strip().lower().startswith("javascript:")
            ):
                self.problems.append(f"line {self.getpos()[0]}: javascript: URL")
        if tag == "script":
            self._script = names
            self._script_text = []

    def handle_data(self, data):
        if self._script is not None:
            self._script_text.append(data)

    def handle_endtag(self, tag):
        if tag != "script" or self._script is None:
            return
        attrs, body = self._script, "".join(self._script_text).strip()
        kind = (attrs.get("type") or "").strip().lower()
        if kind == "application/json":
            pass  # data, not code
        elif not attrs.get("src"):
            self.problems.append(f"line {self.getpos()[0]}: inline <script> with code")
        elif body:
            self.problems.append(f"line {self.getpos()[0]}: <script src> with a body")
        self._script = None


def _inline_code(text: str) -> list[str]:
    text = re.sub(r"\{#.*?#\}", "", text, flags=re.S)  # Jinja comments document, they do not render
    finder = _InlineCodeFinder()
    finder.feed(text)
    finder.close()
    return finder.problems


@pytest.mark.parametrize("path", _template_files(), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_template_has_no_inline_code(path):
    assert _inline_code(path.read_text()) == []


def test_inline_code_finder_catches_what_the_csp_forbids():
    assert (
        _inline_code(
            '<script src="/a.js"></script><script type="application/json">{"a": 1}</script>'
        )
        == []
    )
    assert _inline_code("<script>alert(1)</script>")
    assert _inline_code('<button onclick="go()">x</button>')
    assert _inline_code('<a href="javascript:go()">x</a>')
    assert _inline_code('<div {% if only %}class="x"{% endif %}>') == []


# ---------- CSS ----------


def _css_rules(css: str) -> list[tuple[str, str]]:
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    return [(sel.strip(), body) for sel, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css)]


def test_css_declares_a_visible_focus_style():
    rules = _css_rules(CSS.read_text())
    focus = [body for selector, body in rules if selector == ":focus-visible"]
    assert focus, "no global :focus-visible rule"
    outline = re.search(r"outline:\s*([^;]+);", focus[0])
    assert outline and re.search(r"[1-9]\d*px\s+solid", outline.group(1))
    assert "none" not in outline.group(1)


def test_css_never_removes_focus_from_controls():
    for selector, body in _css_rules(CSS.read_text()):
        if re.search(r"outline:\s*(none|0)\b", body) and ":focus" in selector:
            # Only non-controls may drop the ring: <main> (skip-link target) and the
            # card title, whose card draws the ring instead (.card:focus-within).
            assert all(
                part.strip().startswith(("main", ".card__title a")) for part in selector.split(",")
            ), selector


def _luminance(hex_colour: str) -> float:
    hex_colour = hex_colour.lstrip("#")
    if len(hex_colour) == 3:
        hex_colour = "".join(c * 2 for c in hex_colour)
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_contrast_helper_matches_known_values():
    assert _contrast("#000", "#fff") == pytest.approx(21.0)
    assert _contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


TEXT_PAIRS = [
    ("ink", "paper"),
    ("ink", "surface"),
    ("ink", "sand"),
    ("ink-soft", "paper"),
    ("ink-soft", "surface"),
    ("ink-soft", "sand"),
    ("brick", "paper"),
    ("brick", "surface"),
    ("brick", "brick-tint"),
    ("brick-dark", "brick-tint"),
    ("#ffffff", "brick"),
    ("#ffffff", "brick-dark"),
    ("#ffffff", "error"),
    ("error", "paper"),
    ("error", "surface"),
    ("error", "error-tint"),
    ("ink", "ok-tint"),
    ("ink", "warn-tint"),
    ("ink", "info-tint"),
    ("on-dark", "coal"),
    ("#f3c9b8", "coal"),
    ("on-dark", "ink"),
]


@pytest.mark.parametrize(("fg", "bg"), TEXT_PAIRS)
def test_text_colours_meet_wcag_aa(fg, bg):
    variables = dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-fA-F]{3,6})\s*;", CSS.read_text()))
    fg_hex = fg if fg.startswith("#") else variables[fg]
    bg_hex = bg if bg.startswith("#") else variables[bg]
    assert _contrast(fg_hex, bg_hex) >= 4.5, f"{fg} on {bg}: {_contrast(fg_hex, bg_hex):.2f}"


def test_touch_targets_are_44px():
    css = CSS.read_text()
    assert re.search(r"--touch:\s*44px", css)
    for selector in (".button,", ".main-nav a {", ".segment__time {", ".pagination a,"):
        block = css[css.index(selector) :]
        block = block[: block.index("}")]
        assert "var(--touch)" in block, selector


# ---------- macros and base.html, rendered without an app ----------


@pytest.fixture
def env() -> Environment:
    environment = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(default=True, default_for_string=True),
        extensions=["jinja2.ext.i18n"],
    )
    environment.install_null_translations(newstyle=True)
    environment.globals.update(
        url_for=lambda endpoint, **kw: (
            f"/static/{kw['filename']}" if endpoint == "static" else f"/{endpoint}"
        ),
        csrf_token=lambda: "TOKEN",
        current_locale="fr",
        locale_links=[
            ("fr", "Français", "/?lang=fr", True),
            ("nl", "Nederlands", "/?lang=nl", False),
        ],
        config={
            "MEMOIRE_TILE_URL": "https://tiles.example/{z}/{x}/{y}.png",
            "MEMOIRE_TILE_ATTRIBUTION": "© OSM",
        },
        request=SimpleNamespace(endpoint="search.search_page"),
        get_flashed_messages=lambda with_categories=False: [("error", "Bad <file>")],
    )
    return environment


def _macro(env: Environment, template: str, name: str):
    return getattr(env.get_template(template).module, name)


def _render_page(env: Environment, user) -> str:
    page = env.from_string(
        '{% extends "base.html" %}{% block title %}Essai{% endblock %}{% block content %}<p>x</p>{% endblock %}'
    )
    return page.render(current_user=user)


def test_base_has_landmarks_skip_link_and_language(env):
    html = _render_page(env, SimpleNamespace(is_authenticated=False, role=None))
    assert '<html lang="fr">' in html
    assert re.search(r'<a class="skip-link" href="#main">', html)
    assert '<main id="main"' in html and "<header" in html and "<footer" in html
    assert html.count("<nav ") == 3
    assert '<div class="flashes" role="status">' in html and "Bad &lt;file&gt;" in html
    env.globals["get_flashed_messages"] = lambda with_categories=False: []
    quiet = _render_page(env, SimpleNamespace(is_authenticated=False, role=None))
    assert '<div class="flashes" role="status"></div>' in quiet  # matches .flashes:empty
    assert 'aria-current="page">Search<' in html
    assert 'name="tile-url" content="https://tiles.example/{z}/{x}/{y}.png"' in html
    assert '<script src="/static/js/memoire.js" defer></script>' in html
    assert "/accounts.login" in html and "/accounts.logout" not in html
    assert _inline_code(html) == []


@pytest.mark.parametrize(
    ("role", "moderation", "admin"),
    [("contributor", False, False), ("moderator", True, False), ("admin", True, True)],
)
def test_base_account_links_follow_the_role(env, role, moderation, admin):
    html = _render_page(env, SimpleNamespace(is_authenticated=True, role=role))
    assert ("/moderation.queue" in html) is moderation
    assert ("/admin.index" in html) is admin
    logout = re.search(
        r'<form[^>]*method="post" action="/accounts.logout">(.*?)</form>', html, re.S
    )
    assert logout and 'name="csrf_token" value="TOKEN"' in logout.group(1)


def test_map_embeds_features_safely(env):
    map_macro = _macro(env, "macros/map.html", "map")
    features = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [3.5, 50.3]},
                "properties": {
                    "title": "</script><script>alert(1)</script>",
                    "url": "javascript:alert(1)",
                },
            },
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [3.9, 50.4]},
                "properties": {"title": "Dutemple", "url": "/places/1"},
            },
        ],
    }
    html = str(
        map_macro(
            "places", features=features, height="large", center=(50.4, 3.7), zoom=12, label="Lieux"
        )
    )
    assert 'class="map map--large" id="places" data-map' in html
    assert 'data-features-id="places-data"' in html and 'data-center="50.4,3.7"' in html
    assert 'aria-label="Lieux"' in html
    block = re.search(
        r'<script type="application/json" id="places-data">(.*?)</script>', html, re.S
    )
    assert block, "the JSON block must not be cut short by data"
    assert json.loads(block.group(1)) == features
    assert "javascript:" not in html.split("<script")[0]  # the no-JS list drops unsafe links
    assert '<a href="/places/1">Dutemple</a>' in html
    assert _inline_code(html) == []


def test_map_with_url_only_has_no_json_block(env):
    html = str(_macro(env, "macros/map.html", "map")("m", geojson_url="/api/v1/map.geojson?q=mine"))
    assert 'data-geojson-url="/api/v1/map.geojson?q=mine"' in html
    assert "application/json" not in html and "data-features-id" not in html


SEGMENTS = [
    {"start": 0, "end": 5.5, "speaker": "Josiane", "text": "Le <b>puits</b>", "place_id": 7},
    {"start": 3725.4, "end": None, "speaker": None, "text": "Fin"},
]


def test_player_links_every_segment_to_its_second(env):
    player = _macro(env, "macros/player.html", "player")
    html = str(player("/media/a.mp3", "audio/mpeg", duration=3800, start=42, segments=SEGMENTS))
    assert re.search(r'<section class="player" id="player"[^>]*data-player data-start="42"', html)
    assert '<audio class="player__audio" controls preload="metadata">' in html
    assert '<source src="/media/a.mp3" type="audio/mpeg">' in html
    assert 'href="?t=0#player"' in html and 'href="?t=3725#player"' in html
    assert ">1:02:05<" in html and ">0:00<" in html
    assert 'data-place-id="7"' in html and html.count("data-place-id") == 1
    assert "Le &lt;b&gt;puits&lt;/b&gt;" in html


def test_player_without_times_and_while_pending(env):
    player = _macro(env, "macros/player.html", "player")
    untimed = [{"start": None, "end": None, "speaker": "A", "text": "Plain text transcript"}]
    html = str(player("/m.ogg", "audio/ogg", segments=untimed, id="p2"))
    assert "?t=" not in html and "Plain text transcript" in html
    pending = str(player("/m.ogg", "audio/ogg", segments=SEGMENTS, pending=True))
    assert "This recording is being prepared" in pending
    assert "<audio" not in pending and "data-player" not in pending and "?t=" not in pending


class _StoryForm(Form):
    title = StringField("Title", validators=[DataRequired()], description="A few words.")
    visibility = RadioField(
        "Who may see it",
        choices=[SelectChoice("public", "Everyone"), SelectChoice("private", "Only me")],
    )
    consent = BooleanField("I agree")


def test_field_ties_label_help_and_errors(env):
    field = _macro(env, "macros/forms.html", "field")
    form = _StoryForm()
    form.validate()
    html = str(field(form.title, autocomplete="off"))
    assert '<label for="title">Title' in html and "(required)" in html
    assert 'id="title-help"' in html and 'id="title-error"' in html
    control = re.search(r"<input[^>]*>", html).group(0)
    assert 'aria-describedby="title-help title-error"' in control
    assert (
        'aria-invalid="true"' in control
        and 'autocomplete="off"' in control
        and "required" in control
    )

    radios = str(field(form.visibility))
    assert "<fieldset" in radios and "<legend>Who may see it" in radios
    assert '<label for="visibility-0">Everyone</label>' in radios
    checkbox = str(field(form.consent))
    assert checkbox.index("<input") < checkbox.index('<label for="consent">')
    assert "aria-invalid" not in checkbox


def test_field_without_errors_has_no_error_wiring(env):
    field = _macro(env, "macros/forms.html", "field")
    form = _StoryForm(data={"title": "Les bals"})
    html = str(field(form.title))
    assert (
        'aria-describedby="title-help"' in html
        and "aria-invalid" not in html
        and "title-error" not in html
    )


def test_error_summary_links_to_fields(env):
    summary = _macro(env, "macros/forms.html", "error_summary")
    form = _StoryForm()
    form.validate()
    html = str(summary(form))
    assert 'role="alert"' in html and '<a href="#title">Title: ' in html
    assert str(summary(_StoryForm(data={"title": "x"}))).strip() == ""


def test_csrf_macro(env):
    assert (
        str(_macro(env, "macros/forms.html", "csrf")())
        == '<input type="hidden" name="csrf_token" value="TOKEN">'
    )


def test_story_card_escapes_and_links(env):
    card = _macro(env, "macros/cards.html", "story_card")
    html = str(
        card(
            {
                "url": "/stories/3",
                "title": "<b>Bals</b>",
                "summary": "Résumé",
                "kind_label": "Oral history",
                "period_label": "1960s",
                "place_names": ["Dutemple", "Valenciennes"],
                "thumbnail_url": "/media/t.jpg",
                "thumbnail_alt": "Un couple danse",
            }
        )
    )
    assert '<h3 class="card__title"><a href="/stories/3">&lt;b&gt;Bals&lt;/b&gt;</a></h3>' in html
    assert 'alt="Un couple danse"' in html and 'loading="lazy"' in html
    assert "Dutemple · Valenciennes" in html
    bare = str(card({"url": "/stories/4", "title": "Sans image"}, level=2))
    assert "<img" not in bare and "<h2" in bare
    grid = str(
        _macro(env, "macros/cards.html", "story_cards")(
            [{"url": "/a", "title": "A"}, {"url": "/b", "title": "B"}]
        )
    )
    assert grid.count("<li>") == 2 and 'class="card-grid"' in grid


def test_macros_return_markup(env):
    assert isinstance(_macro(env, "macros/forms.html", "csrf")(), Markup)
