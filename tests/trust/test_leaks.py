"""The leak suite: a story that may not be seen is never seen, through any way out.

The archive below holds one story for every combination of visibility and status,
each carrying a unique word in its title, body, transcript, narrator name, place name
and photo caption. Every way out of the system is walked as a visitor, as the
contributor who owns the stories, as another contributor, as a researcher and as a
moderator, and must show each word exactly when `may_view` allows it (or, for
public-only outputs such as OAI-PMH, sitemaps and feeds, only for public+published).

A new route must be added to WAYS_OUT (or to EXEMPT, with the reason it cannot leak):
`test_every_route_is_walked` fails otherwise.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import pytest

from memoire.extensions import db
from memoire.media.operations import add_media
from memoire.stories.models import Status, Visibility
from memoire.stories.visibility import may_view
from memoire.transcripts.operations import attach_transcript
from tests.conftest import jpeg_bytes

VIEWERS = ["visitor", "owner", "other", "researcher", "moderator"]


def word_for(visibility: str, status: str) -> str:
    # Letters only, no French stem to strip: the analyser keeps it whole.
    return f"zq{visibility[:4]}{status[:4]}wk"


@dataclass
class Planted:
    story: object
    word: str
    place: object
    derivative: object
    narrator_id: int


@pytest.fixture
def planted(app, create_user, create_story, create_place):
    return plant(create_user, create_story, create_place)


def plant(create_user, create_story, create_place) -> dict:
    """One story per visibility and status, with a photo and a transcript; a user per viewer.
    (A plain function too, for modules that plant once: tests/trust/test_leaks_network.py.)"""
    owner = create_user("contributor", email="owner@example.org")
    users = {
        "visitor": None,
        "owner": owner,
        "other": create_user("contributor", email="other@example.org"),
        "researcher": create_user("researcher", email="researcher@example.org"),
        "moderator": create_user("moderator", email="moderator@example.org"),
    }
    create_place("Valenciennes", "commune", None, 50.357, 3.523)
    stories = []
    for visibility in Visibility:
        for status in Status:
            word = word_for(visibility.value, status.value)
            place = create_place(f"Lieu {word}", "street", "Valenciennes", 50.36, 3.52)
            story = create_story(
                f"Titre {word}", body=f"Le corps du récit {word}.", summary=f"Résumé {word}",
                visibility=visibility.value, status=status.value, contributor=owner,
                places=[place], narrators=[f"Narratrice {word}"], themes=[f"thème{word}"],
            )
            add_media(None, story, io.BytesIO(jpeg_bytes(color=(len(stories) * 15, 40, 90))),
                      caption=f"Légende {word}")
            db.session.flush()
            attach_transcript(None, story, f"MARIE : on parlait de {word} au café".encode(),
                              filename="t.txt")
            db.session.commit()
            stories.append(Planted(story, word, place, story.media[0].derivative("display"),
                                   story.narrators[0].id))
    from memoire.search import service

    service.apply_pending_after_commit()
    tokens = {}
    from memoire.accounts.operations import create_token

    for name, user in users.items():
        if user is not None:
            tokens[name] = create_token(None, user, "leak-suite")[1]
    db.session.commit()
    return {"users": users, "stories": stories, "tokens": tokens}


def client_for(app, planted, viewer: str):
    client = app.test_client()
    user = planted["users"][viewer]
    if user is not None:
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
    return client


def fetch(client, planted, viewer: str, url: str, headers=None) -> tuple[int, str]:
    headers = dict(headers or {})
    if url.startswith("/api/") and viewer in planted["tokens"]:
        headers["Authorization"] = f"Bearer {planted['tokens'][viewer]}"
    response = client.get(url, headers=headers, follow_redirects=True)
    body = response.get_data()
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        text = body.decode("latin-1")
    return response.status_code, text


# --- the ways out --------------------------------------------------------------------------
#
# Per-story ways out answer 200 exactly when the viewer may see the story, else 404.
# "{id}", "{word}", "{place}", "{derivative}", "{sha}" are filled from each planted story.

PER_STORY = {
    "stories.show": "/stories/{id}",
    "citation.short": "/s/{id}",
    "api.story": "/api/v1/stories/{id}",
    "api.story_manifest": "/api/v1/stories/{id}/manifest.json",
    "api.story_citation": "/api/v1/stories/{id}/citation",
    "api.story_dublin_core": "/api/v1/stories/{id}/dc.xml",
    "api.story_json_ld": "/api/v1/stories/{id}/schema.jsonld",
    "api.story_transcript_text": "/api/v1/stories/{id}/transcript.txt",
    "api.story_transcript_vtt": "/api/v1/stories/{id}/transcript.vtt",
    "api.story_responses": "/api/v1/stories/{id}/responses",
    "media.derivative": "/media/d/{derivative}/{sha}",
}

# Ways out listing many stories, as the viewer may see them: a hidden word must be absent.
LISTS = {
    "web.home": ["/"],
    "search.search_page": ["/search?q={word}", "/search?q=Titre"],
    "api.search": ["/api/v1/search?q={word}", "/api/v1/search?q=Titre&per_page=100",
                   "/api/v1/search?q={misspelt}"],
    "api.map_geojson": ["/api/v1/map.geojson", "/api/v1/map.geojson?q={word}"],
    "api.stories": ["/api/v1/stories?per_page=100"],
    "api.export_stories": ["/api/v1/exports/stories.csv", "/api/v1/exports/stories.json"],
    "api.export_search": ["/api/v1/exports/search.csv?q={word}", "/api/v1/exports/search.json?q=Titre"],
    "api.places_index": ["/api/v1/places?per_page=500", "/api/v1/places?q=Lieu"],
    "api.places_geojson_index": ["/api/v1/places.geojson"],
    "api.place_detail": ["/api/v1/places/{place}"],
    "api.themes": ["/api/v1/themes"],
    "maps.map_page": ["/map"],
    "places.show": ["/places/{place}"],
    "moderation.queue": ["/moderation/"],
    # Browsing without searching (issue 17).
    "browse.index": ["/memories"],
    # Themes by id (a slug would echo the planted word in the page's own links): every planted one.
    "browse.theme": [f"/memories/theme/{n}" for n in range(1, 20)],
    "browse.decade": ["/memories/decade/1960", "/memories/decade/2020"],
    "browse.place": ["/memories/place/{place}"],
    # The network's pages (tests/trust/test_leaks_network.py walks them with workshops too).
    "network.directory": ["/directory"],
    "network.neighbourhoods": ["/neighbourhoods"],
    "network.neighbourhood": ["/neighbourhoods/{place}"],
    "network.workshops": ["/workshops"],
    "network.methods": ["/methods"],
    "api.organisations": ["/api/v1/organisations"], "api.workshops": ["/api/v1/workshops"],
    "api.methods": ["/api/v1/methods"],
}

# Ways out for harvesters and crawlers: public + published only, whoever asks.
PUBLIC_ONLY = {
    "oai.endpoint": ["/oai?verb=ListRecords&metadataPrefix=oai_dc",
                     "/oai?verb=ListIdentifiers&metadataPrefix=oai_dc",
                     "/oai?verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:memoire:{id}",
                     "/oai?verb=ListSets"],
    "web.sitemap": ["/sitemap.xml"],
    "web.feed": ["/feed.atom"],
    "near.near_page": ["/near?lat=50.36&lon=3.52", "/near?place=Valenciennes"],
}

# A contributor's own list: their stories, withdrawn ones included, and nobody else's.
OWN_ONLY = {"contributions.my_stories": ["/my-stories"]}

WAYS_OUT = {**PER_STORY, **LISTS, **PUBLIC_ONLY, **OWN_ONLY}

#: GET routes that cannot show a story, and why.
EXEMPT = {
    "static": "the project's own CSS/JS/images",
    "accounts.login": "a form", "accounts.signup": "a form", "accounts.forgot_password": "a form",
    "accounts.reset_password": "a form", "accounts.change_password": "a form (own password)",
    "api.openapi": "the API's documentation", "api.docs": "the API's documentation",
    "contributions.contribute": "a form; drafts are shown only to their contributor (tests/contributions)",
    "contributions.step": "the contributor's own draft; ownership tested in tests/contributions",
    "contributions.places": "gazetteer type-ahead: place names only (places are checked in api.places_index)",
    "contributions.workshop": "a mediator's upload form",
    "notifications.settings": "the account's own e-mail choice: no story content",
    "contributions.held_preview": "a photo held after a form error, to its uploader only (tests/visitor/test_held_photo.py)",
    "contributions.withdraw": "confirmation form for the contributor's own story",
    "withdrawal.receipt": "consent receipt of a story the viewer entered, or staff (test_leaks_consent.py)",
    "withdrawal.on_request": "idem: the story's contributor or staff (test_leaks_consent.py)",
    "withdrawal.by_link": "signed link naming one story; forged links are 404 (test_leaks_consent.py)",
    "moderation.review": "staff only (tested in tests/moderation)",
    "admin.index": "admin only", "admin.users": "admin only: accounts, no stories",
    "tokens.index": "the user's own tokens",
    "media.original": "staff and owners only (tested in tests/stories/test_pages.py)",
    "exhibitions.index": "only public+published stories can be exhibited (tests/exhibitions)",
    "exhibitions.show": "idem", "exhibitions.manage": "curators only", "exhibitions.edit": "curators only",
    "exhibitions.new": "curators only", "exhibitions.preview": "signed link for curators",
    "exhibitions.export_json": "curators' file of an exhibition (tests/exhibitions)",
    "admin.themes": "staff only (who see every story): theme names (tests/stories/test_theme_names.py)",
    "admin.theme": "idem: one theme's names",
    "api.exhibitions": "tests/exhibitions", "api.exhibition": "tests/exhibitions",
    "api.exhibition_manifest": "tests/exhibitions",
    "walks.index": "walked with every planted story as a stop in tests/trust/test_leaks_walks.py",
    "walks.show": "idem", "walks.manage": "idem (builders only)", "walks.edit": "idem (builders only)",
    "walks.new": "builders' form", "api.walks": "idem", "api.walk": "idem", "api.walk_geojson": "idem",
    "maps.layers": "subjective map layers: no story content (tests/maps)",
    "maps.layer": "idem", "maps.edit_layer": "idem", "maps.import_layer": "idem",
    "maps.new_layer": "idem", "maps.review_layers": "idem", "maps.feelings_page": "idem",
    "api.layers_index": "idem", "api.layers_geojson_index": "idem", "api.layer_geojson": "idem",
    "api.feelings_geojson_index": "idem",
    "jobs.index": "admin only: background job rows, no story content",
    "network.workshop": "walked with planted workshops in tests/trust/test_leaks_network.py",
    "network.organisation": "idem", "network.method": "idem", "network.method_version": "idem",
    "network.new_workshop": "mediators' form", "network.edit_workshop": "mediators' form",
    "network.new_organisation": "mediators' form", "network.edit_organisation": "mediators' form",
    "network.new_method": "mediators' form", "network.edit_method": "mediators' form",
    "network.facilitators": "mediators' list of facilitators, no story",
    "network.new_facilitator": "mediators' form", "network.edit_facilitator": "mediators' form",
    "network.withdraw_listing": "a facilitator's own confirmation form",
    "network.consent_scans": "private scanned consent forms: tests/trust/test_leaks_consent_scans.py",
    "network.consent_scan_file": "idem",
    "api.organisation": "walked with planted workshops in tests/trust/test_leaks_network.py",
    "api.workshop": "idem", "api.method": "idem",
    "transcripts.edit": "editors only, per story: tests/trust/test_leaks_transcripts.py",
    "transcripts.history": "idem", "transcripts.propose": "idem",
    "transcripts.proposals": "staff only: tests/trust/test_leaks_transcripts.py",
    "transcripts.chapters_vtt": "per story: tests/trust/test_leaks_transcripts.py",
    "transcripts.ohms_xml": "per story: tests/trust/test_leaks_transcripts.py",
    "transcripts.translation_vtt": "per story: tests/trust/test_leaks_transcripts.py",
    "api.chapters": "per story: tests/trust/test_leaks_transcripts.py",
    "transcripts.edit_translation": "editors only, per story: tests/trust/test_leaks_transcripts.py",
    "api.translation": "idem", "api.proposals": "idem (one's own; all for moderators)",
    "asr.recording": "staff and the mediator who entered the story only (tests/trust/test_leaks_asr.py)",
    "then_now.index": "walked with every planted story paired both ways in tests/trust/test_leaks_then_now.py",
    "then_now.show": "idem", "then_now.new": "idem (the pairing form, logged-in users)",
    "api.then_now_pairs": "idem", "api.then_now_pair": "idem", "api.then_now_geojson": "idem",
}


def _fill(template: str, item: Planted) -> str:
    misspelt = item.word[:-1] + ("x" if item.word[-1] != "x" else "y")
    return template.format(
        id=item.story.id, word=item.word, place=item.place.id, misspelt=misspelt,
        derivative=item.derivative.id, sha=item.derivative.sha256[:16],
    )


def carriers(item: Planted) -> list[str]:
    """The texts that carry a story's word: a query that echoes the word itself is no leak."""
    w = item.word
    return [f"Titre {w}", f"récit {w}", f"Résumé {w}", f"Narratrice {w}", f"Lieu {w}",
            f"Légende {w}", f"parlait de {w}", f"thème{w}", f"Theme{w}".lower()]


def shows(text: str, item: Planted, url: str) -> bool:
    if item.word in url:
        return any(c in text for c in carriers(item))
    return item.word in text


def _allowed(planted, viewer: str, story) -> bool:
    return may_view(planted["users"][viewer], story)


@pytest.mark.parametrize("viewer", VIEWERS)
def test_per_story_ways_out(app, planted, viewer):
    client = client_for(app, planted, viewer)
    failures = []
    for item in planted["stories"]:
        allowed = _allowed(planted, viewer, item.story)
        for template in PER_STORY.values():
            url = _fill(template, item)
            status, text = fetch(client, planted, viewer, url)
            if allowed and status != 200:
                failures.append(f"{viewer} should see {url} ({item.story.status}/{item.story.visibility}): {status}")
            if not allowed and (status != 404 or shows(text, item, url)):
                failures.append(f"{viewer} must not see {url} ({item.story.status}/{item.story.visibility}): {status}")
        # A Range request on a hidden derivative is refused too.
        if not allowed:
            status, _ = fetch(client, planted, viewer, _fill(PER_STORY["media.derivative"], item),
                              headers={"Range": "bytes=0-99"})
            if status != 404:
                failures.append(f"{viewer} got {status} on a Range request of a hidden photo")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("viewer", VIEWERS)
def test_lists_show_no_hidden_word(app, planted, viewer):
    client = client_for(app, planted, viewer)
    failures = []
    for templates in LISTS.values():
        for template in templates:
            for item in planted["stories"]:
                url = _fill(template, item)
                status, text = fetch(client, planted, viewer, url)
                assert status < 500, f"{url} answered {status}"
                for other in planted["stories"]:
                    if not _allowed(planted, viewer, other.story) and shows(text, other, url):
                        failures.append(f"{viewer}: {url} shows {other.word}")
                if "{" not in template:
                    break  # the same URL for every story: once is enough
    assert not failures, "\n".join(sorted(set(failures)))


def test_public_story_words_do_appear(app, planted):
    """The suite would pass on an empty site: check that what is public is really found."""
    client = client_for(app, planted, "visitor")
    public = next(i for i in planted["stories"]
                  if i.story.status == "published" and i.story.visibility == "public")
    for url in ["/api/v1/search?q={word}", "/search?q={word}", "/api/v1/stories?per_page=100",
                "/oai?verb=ListRecords&metadataPrefix=oai_dc", "/feed.atom", "/api/v1/exports/stories.csv"]:
        status, text = fetch(client, planted, "visitor", _fill(url, public))
        assert status == 200 and public.word in text, url


@pytest.mark.parametrize("viewer", VIEWERS)
def test_public_only_ways_out(app, planted, viewer):
    client = client_for(app, planted, viewer)
    failures = []
    for templates in PUBLIC_ONLY.values():
        for template in templates:
            for item in planted["stories"]:
                url = _fill(template, item)
                status, text = fetch(client, planted, viewer, url)
                assert status < 500, url
                for other in planted["stories"]:
                    public = other.story.status == "published" and other.story.visibility == "public"
                    if not public and (shows(text, other, url) or f"/stories/{other.story.id}<" in text):
                        failures.append(f"{viewer}: {url} shows {other.word}")
                if "{" not in template:
                    break
    assert not failures, "\n".join(sorted(set(failures)))


@pytest.mark.parametrize("viewer", ["owner", "other", "researcher"])
def test_own_lists_show_only_own_stories(app, planted, viewer):
    client = client_for(app, planted, viewer)
    user = planted["users"][viewer]
    for templates in OWN_ONLY.values():
        for url in templates:
            status, text = fetch(client, planted, viewer, url)
            assert status == 200
            for item in planted["stories"]:
                own = item.story.contributor_id == user.id
                assert (f"Titre {item.word}" in text) == own, (url, item.word)


def test_hidden_media_are_never_cached_publicly(app, planted):
    client = client_for(app, planted, "owner")
    for item in planted["stories"]:
        if not _allowed(planted, "owner", item.story):
            continue
        response = client.get(_fill(PER_STORY["media.derivative"], item))
        public = item.story.status == "published" and item.story.visibility == "public"
        cache = response.headers.get("Cache-Control", "")
        assert ("public" in cache) == public, (item.story.status, item.story.visibility, cache)
        if not public:
            assert "no-store" in cache and "private" in cache


def test_error_pages_show_nothing_hidden(app, planted):
    client = client_for(app, planted, "visitor")
    for url in ["/stories/999999", "/places/999999", "/api/v1/stories/999999", "/nowhere"]:
        status, text = fetch(client, planted, "visitor", url)
        assert status == 404
        assert not any(i.word in text for i in planted["stories"])


def test_every_route_is_walked(app):
    """A new way out must join this suite: list it in WAYS_OUT, or in EXEMPT with a reason."""
    missing = []
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or set()):
            continue
        if rule.endpoint not in WAYS_OUT and rule.endpoint not in EXEMPT:
            missing.append(f"{rule.endpoint} {rule.rule}")
    assert not missing, "routes not walked by the leak suite:\n" + "\n".join(sorted(missing))


def test_exact_coordinates_of_a_quartier_story_never_come_out(app, create_story, create_place):
    """Location precision: only the coarsened point leaves the archive."""
    quartier = create_place("Dutemple", "quartier", "Valenciennes", 50.3526, 3.5333)
    story = create_story("Chez nous, rue précise", places=[quartier], precision="quartier",
                         lat=50.361234, lon=3.527891)
    from memoire.search import service

    service.apply_pending_after_commit()
    client = app.test_client()
    urls = ["/", f"/stories/{story.id}", f"/places/{quartier.id}", "/map", "/api/v1/map.geojson",
            "/api/v1/places.geojson", "/api/v1/stories", f"/api/v1/stories/{story.id}",
            f"/api/v1/stories/{story.id}/manifest.json", f"/api/v1/stories/{story.id}/schema.jsonld",
            f"/api/v1/stories/{story.id}/dc.xml", "/api/v1/search?q=rue", "/api/v1/exports/stories.csv",
            "/oai?verb=ListRecords&metadataPrefix=oai_dc", "/search?q=rue"]
    exact = re.compile(r"50\.3612|3\.5278")
    for url in urls:
        text = client.get(url, follow_redirects=True).get_data(as_text=True)
        assert not exact.search(text), url
