"""API resources: stories to read, contribute and moderate; themes.

Handlers are thin: they read the request, call the same operations as the web
forms with the token's user as the actor, commit, and shape the answer with
`api.presenters`. Every read goes through the visibility rule.
"""

from __future__ import annotations

from dataclasses import replace

from flask import current_app, request, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from memoire.api import auth
from memoire.api.common import (
    PayloadTooLarge,
    PreconditionFailed,
    conditional,
    json_response,
    link_header,
    paginate,
    register,
)
from memoire.api.openapi import (
    ETAG,
    LD_JSON,
    LIST_FILTERS,
    WRITE_ERRORS,
    documented,
    path_param,
    query,
    reply,
)
from memoire.api.presenters import (
    is_owner,
    is_staff,
    media_json,
    story_changed_at,
    story_detail,
    story_summary,
)
from memoire.api.queries import filtered_stories
from memoire.api.schemas import (
    CitationSchema,
    IIIFManifestSchema,
    MediaSchema,
    MediaUploadSchema,
    SendBackSchema,
    StoryInputSchema,
    StoryListSchema,
    StoryPatchSchema,
    StorySchema,
    ThemeListSchema,
    ThemeNamedSchema,
    ThemeNamesSchema,
    story_changes,
)
from memoire.api.views import bp
from memoire.contributions import operations as contributions
from memoire.core.errors import Conflict, Forbidden, MediaError, NotFound, ValidationError
from memoire.core.schemas import load
from memoire.extensions import db
from memoire.stories import citation, iiif
from memoire.stories import operations as story_ops
from memoire.stories.generation import changed_at
from memoire.stories.models import Status, Story, Theme, story_themes
from memoire.stories.queries import get_visible_story
from memoire.stories.visibility import visible_clause

register(bp)


def _locale() -> str:
    return str(get_locale() or "fr")


def _archive_changed_at(viewer):
    """When what this viewer may see last changed: the Last-Modified of lists (never moved
    by a change the viewer may not see; see memoire.stories.generation)."""
    return changed_at(viewer)


@bp.get("/stories")
@documented(
    "stories",
    operation_id="listStories",
    summary="Stories the caller may see",
    description="Anonymous callers see published public stories; a researcher's token also "
    "researchers-only ones; a contributor's token also their own; a moderator's token "
    "everything. Send If-None-Match to get 304.",
    responses={
        200: reply(
            "A page of stories, with links to the others.",
            StoryListSchema,
            **ETAG,
            Link={"schema": {"type": "string"}},
        )
    },
    errors=(304, 400, 401, 429),
    parameters=[*LIST_FILTERS, "page", "per_page"],
)
def stories():
    """Stories the caller may see, filtered and paginated, with links to the other pages."""
    viewer = auth.current_api_user()
    page = paginate(filtered_stories(viewer, request.args))
    links = page.links("api.stories")
    payload = {
        "stories": [story_summary(viewer, story, _locale()) for story in page.items],
        "total": page.total,
        "page": page.page,
        "per_page": page.per_page,
        "pages": page.pages,
        "links": links,
    }
    response = json_response(payload)
    if header := link_header(links):
        response.headers["Link"] = header
    return conditional(response, _archive_changed_at(viewer))


@bp.get("/stories/<story_id>")
@documented(
    "stories",
    operation_id="getStory",
    summary="One story",
    responses={
        200: reply(
            "The story with its media (derivatives only), transcripts, places, themes, "
            "licence and consent scope.",
            StorySchema,
            **ETAG,
        )
    },
    errors=(304, 400, 401, 404, 429),
    parameters=["story_id"],
)
def story(story_id: str):
    """One story by archive or external id: media derivatives, transcripts, places, consent."""
    viewer = auth.current_api_user()
    item = get_visible_story(viewer, story_id)
    return conditional(json_response(story_detail(viewer, item, _locale())), story_changed_at(item))


@bp.get("/themes")
@documented(
    "stories",
    operation_id="listThemes",
    summary="Themes, with counts of the stories the caller may see",
    responses={200: reply("Themes by name.", ThemeListSchema, **ETAG)},
    errors=(304, 400, 401, 429),
)
def themes():
    """Every theme, with how many stories the caller may see under it."""
    viewer = auth.current_api_user()
    counts = dict(
        db.session.execute(
            select(story_themes.c.theme_id, func.count())
            .join(Story, Story.id == story_themes.c.story_id)
            .where(visible_clause(viewer))
            .group_by(story_themes.c.theme_id)
        ).all()
    )
    locale = _locale()
    items = [
        {
            "slug": t.slug,
            "name": t.name,
            "label": t.label(locale),
            "story_count": counts.get(t.id, 0),
        }
        for t in db.session.scalars(select(Theme).order_by(Theme.name))
        # A theme only private stories use may be personal: show it to those who see one.
        if counts.get(t.id) or is_staff(viewer)
    ]
    return conditional(json_response({"themes": items}), _archive_changed_at(viewer))


@bp.patch("/themes/<slug>")
@documented(
    "stories",
    operation_id="nameTheme",
    summary="Name a theme in the interface languages (moderators)",
    description="The same operation as the administration's themes form. Keys are language "
    "codes; keys left out stay as they are; an empty text removes that translation.",
    responses={200: reply("The theme and its names.", ThemeNamedSchema)},
    errors=WRITE_ERRORS,
    parameters=[path_param("slug", "The theme's slug (see /themes).")],
    body=ThemeNamesSchema,
    write=True,
)
def name_theme(slug: str):
    """Set a theme's name per language (moderators only)."""
    user = auth.require_token_user()
    _staff(user)
    theme = db.session.scalar(select(Theme).where(Theme.slug == slug))
    if theme is None:
        raise NotFound(_l("No theme with this slug."), field="slug")
    story_ops.name_theme(user, theme, load(ThemeNamesSchema(), request.get_json(silent=True)))
    return json_response(
        {
            "slug": theme.slug,
            "name": theme.name,
            "label": theme.label(_locale()),
            "names": dict(theme.names or {}),
        }
    )


# --- contributions -------------------------------------------------------------------------


def _json_body() -> dict:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ValidationError(
            _l("Send a JSON object with Content-Type: application/json."), field="body"
        )
    return body


def _check_external_id(external_id: str | None, story: Story | None = None) -> None:
    if not external_id:
        return
    owner = db.session.scalar(select(Story.id).where(Story.external_id == external_id))
    if owner is not None and (story is None or owner != story.id):
        raise Conflict(
            _l("Another story already has the id %(id)s.", id=external_id), field="external_id"
        )


def _created(user, story: Story):
    response = json_response(story_detail(user, story, _locale()), status=201)
    response.headers["Location"] = url_for("api.story", story_id=story.id, _external=True)
    return response


@bp.post("/stories")
@documented(
    "contributions",
    operation_id="createStory",
    summary="Contribute a story",
    description="The same operation as the web form, in the token's user's name. `status` is "
    "`draft` (default) or `submitted` (then it needs a text or a file, narrators and consent).",
    responses={
        201: reply(
            "The story as created (a draft, or submitted).",
            StorySchema,
            Location={"schema": {"type": "string", "format": "uri"}},
        )
    },
    errors=WRITE_ERRORS,
    body=StoryInputSchema,
    write=True,
)
def create_story():
    """A contribution: a draft, or submitted at once with `"status": "submitted"`."""
    user = auth.require_token_user()
    body = _json_body()
    status = body.get("status", Status.draft.value)
    story_ops.check_start(status)
    changes = story_changes(body, allowed_extra=("status",))
    if "title" not in changes:
        raise ValidationError(_l("A story needs a title."), field="title")
    data = story_ops.StoryInput(**changes, status=Status.draft.value)
    _check_external_id(data.external_id)
    story = story_ops.create_story(user, data)
    if status == Status.submitted:
        contributions.submit_contribution(user, story)
    return _created(user, story)


def _editable(user, story_id: str) -> Story:
    """A story this token's user may change: their own while a draft or sent back; any for staff."""
    story = get_visible_story(user, story_id)
    if user.is_staff:
        if story.status == Status.withdrawn:
            raise Conflict(_l("This story was withdrawn: it cannot be changed."), field="status")
        return story
    if not is_owner(user, story):
        raise Forbidden(_l("You may only change your own stories."))
    if story.status not in contributions.EDITABLE:
        raise Conflict(
            _l(
                "This memory is with the moderators or published: it can no longer be changed here."
            ),
            field="status",
        )
    return story


@bp.patch("/stories/<story_id>")
@documented(
    "contributions",
    operation_id="updateStory",
    summary="Change some fields of a story",
    description="Contributors change their own drafts and stories sent back; moderators any "
    "story. Keys left out stay as they are. Send the ETag you read as If-Match to be refused "
    "(412) if someone changed it since.",
    responses={200: reply("The story as changed.", StorySchema)},
    errors=(*WRITE_ERRORS, 412),
    parameters=["story_id"],
    body=StoryPatchSchema,
    write=True,
)
def update_story(story_id: str):
    """Change some fields of a story; the others stay as they are. `If-Match` guards against
    overwriting someone else's change."""
    user = auth.require_token_user()
    story = _editable(user, story_id)
    _check_if_match(user, story)
    changes = story_changes(_json_body())
    data = replace(contributions.story_input(story), **changes)
    _check_external_id(data.external_id, story)
    story_ops.update_story(user, story, data)
    return json_response(story_detail(user, story, _locale()))


def _check_if_match(user, story: Story) -> None:
    wanted = request.if_match
    if not wanted or wanted.star_tag:
        return
    current = conditional(json_response(story_detail(user, story, _locale())))
    etag, _weak = current.get_etag()
    if not wanted.contains(etag):
        raise PreconditionFailed(
            _l("The story changed since you read it: read it again before changing it."),
            field="If-Match",
        )


@bp.post("/stories/<story_id>/media")
@documented(
    "contributions",
    operation_id="addStoryMedia",
    summary="Add a photo or a recording",
    responses={
        201: reply(
            "The media item; derivatives of recordings are prepared in the background.",
            MediaSchema,
        )
    },
    errors=(*WRITE_ERRORS, 413),
    parameters=["story_id"],
    body={"multipart/form-data": MediaUploadSchema},
    write=True,
)
def add_media(story_id: str):
    """Upload one photo or recording (multipart field `file`, optional `caption`, `alt_text`)."""
    user = auth.require_token_user()
    story = _editable(user, story_id)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise ValidationError(_l("Send the file in a multipart field named file."), field="file")
    try:
        media = contributions.add_contribution_media(
            user,
            story,
            upload.stream,
            caption=request.form.get("caption", ""),
            alt_text=request.form.get("alt_text", ""),
            declared_size=upload.content_length or None,
        )
    except MediaError as error:
        if error.code in {"file_too_large", "story_too_large"}:
            raise PayloadTooLarge(error.message, field="file") from None
        raise
    response = json_response(media_json(media), status=201)
    response.headers["Location"] = url_for("api.story", story_id=story.id, _external=True)
    return response


# --- review steps ---------------------------------------------------------------------------


@bp.post("/stories/<story_id>/submit")
@documented(
    "contributions",
    operation_id="submitStory",
    summary="Send a story to the moderators",
    responses={200: reply("The story, submitted.", StorySchema)},
    errors=WRITE_ERRORS,
    parameters=["story_id"],
    write=True,
)
def submit_story(story_id: str):
    """Send a draft (or a story sent back) to the moderators."""
    user = auth.require_token_user()
    story = get_visible_story(user, story_id)
    contributions.submit_contribution(user, story)
    return json_response(story_detail(user, story, _locale()))


def _staff(user) -> None:
    if not user.is_staff:
        raise Forbidden(_l("Only moderators can do this."))


@bp.post("/stories/<story_id>/publish")
@documented(
    "moderation",
    operation_id="publishStory",
    summary="Publish a submitted story (moderators)",
    description="Refused (400) when the consent does not cover the story's visibility.",
    responses={200: reply("The story, published.", StorySchema)},
    errors=WRITE_ERRORS,
    parameters=["story_id"],
    write=True,
)
def publish_story(story_id: str):
    """Publish a story sent to the moderators (moderators only)."""
    user = auth.require_token_user()
    _staff(user)
    story = get_visible_story(user, story_id)
    story_ops.publish_story(user, story)
    return json_response(story_detail(user, story, _locale()))


@bp.post("/stories/<story_id>/send-back")
@documented(
    "moderation",
    operation_id="sendBackStory",
    summary="Send a story back with a reason (moderators)",
    responses={200: reply("The story, sent back.", StorySchema)},
    errors=WRITE_ERRORS,
    parameters=["story_id"],
    body=SendBackSchema,
    write=True,
)
def send_back_story(story_id: str):
    """Send a story back to its contributor with a reason (moderators only)."""
    user = auth.require_token_user()
    _staff(user)
    story = get_visible_story(user, story_id)
    body = _json_body()
    unknown = sorted(set(body) - {"reason"})
    if unknown:
        raise ValidationError(
            _l("Unknown key: %(keys)s", keys=", ".join(unknown)), field=unknown[0]
        )
    reason = body.get("reason")
    if not isinstance(reason, str):
        raise ValidationError(_l("Say why the story is sent back."), field="reason")
    story_ops.send_back_story(user, story, reason)
    return json_response(story_detail(user, story, _locale()))


# --- other views of one story ----------------------------------------------------------------


@bp.get("/stories/<story_id>/manifest.json")
@documented(
    "iiif",
    operation_id="getStoryManifest",
    summary="The story as a IIIF Presentation 3 manifest",
    responses={
        200: reply(
            "Photos as image canvases, recordings as sound canvases, the transcript as "
            "supplementing annotations on #t=start,end.",
            IIIFManifestSchema,
            LD_JSON,
        )
    },
    errors=(304, 400, 401, 404, 429),
    parameters=["story_id"],
)
def story_manifest(story_id: str):
    """The story as a IIIF Presentation 3 Manifest: photos, recordings, transcript annotations."""
    viewer = auth.current_api_user()
    item = get_visible_story(viewer, story_id)
    response = json_response(iiif.manifest(item), mimetype=iiif.MEDIA_TYPE)
    response.headers["Access-Control-Allow-Origin"] = "*"
    return conditional(response, story_changed_at(item))


@bp.get("/stories/<story_id>/citation")
@documented(
    "citations",
    operation_id="getStoryCitation",
    summary="How to cite a story",
    description="Citations name the archive id and the short URL /s/{id}, so they stay valid "
    "when the title changes.",
    responses={
        200: reply(
            "All formats as JSON without `format`; one format with it.",
            CitationSchema,
            also={
                "text/plain": {"type": "string"},
                "application/x-bibtex": {"type": "string"},
                "application/vnd.citationstyles.csl+json": {
                    "type": "array",
                    "items": {"$ref": "#/components/schemas/CslItem"},
                },
            },
        ),
    },
    errors=(304, 400, 401, 404, 429),
    parameters=[
        "story_id",
        query("format", "text, bibtex or csl.", {"enum": ["text", "bibtex", "csl"]}),
    ],
)
def story_citation(story_id: str):
    """How to cite a story: `?format=text|bibtex|csl`, or all three as JSON without it."""
    viewer = auth.current_api_user()
    item = get_visible_story(viewer, story_id)
    wanted = request.args.get("format", "")
    if wanted and wanted not in citation.FORMATS:
        raise ValidationError(
            _l("Unknown format %(format)s (text, bibtex, csl).", format=wanted), field="format"
        )
    if not wanted:
        response = json_response(citation.all_formats(item))
    elif wanted == "csl":
        response = json_response([citation.csl_json(item)], mimetype=citation.FORMATS["csl"])
    else:
        body = citation.bibtex(item) if wanted == "bibtex" else citation.text(item)
        response = current_app.response_class(body, mimetype=citation.FORMATS[wanted])
    return conditional(response, story_changed_at(item))


# Routes that live in their own module but belong to these resources.
from memoire.api import exports, openapi  # noqa: E402, F401
