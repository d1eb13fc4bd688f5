"""An OAI-PMH 2.0 data provider: the six verbs, `oai_dc`, sets, selective harvesting, resumption.

What is harvested is what an anonymous visitor may see (`is_public_clause`), nothing
else. Withdrawn and erased stories stay as *deleted* records (`deletedRecord` =
persistent): a header from their `StoryTombstone` (id, time, sets; no content) and no
metadata. A draft withdrawn before it was ever published never appears, not even
as deleted.

Record datestamps are `updated_at` (UTC, second granularity); lists are ordered by
story id, and a resumption token is a signed, stateless note of the request and of
the last id delivered, so a harvest can resume against any worker at any time.

Sets: `commune`, `commune:<slug>` (stories tied to a place in that commune),
`theme`, `theme:<slug>`, `organisation:<slug>` and `workshop:<id>` (stories collected at
a workshop, and at the workshops an organisation ran), as `stories.operations.oai_sets`
names them.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from memoire.core.db import utcnow
from memoire.extensions import db
from memoire.oai.dublin_core import OAI_DC_NS, OAI_DC_SCHEMA, oai_dc_element, xml_text
from memoire.places.models import Place
from memoire.places.queries import descendant_ids
from memoire.stories.citation import archive_name
from memoire.stories.models import Story, StoryPlace, StoryTombstone, Theme, story_themes
from memoire.stories.operations import _slug, oai_sets
from memoire.stories.visibility import is_public_clause

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
OAI_SCHEMA = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
IDENTIFIER_NS = "http://www.openarchives.org/OAI/2.0/oai-identifier"
IDENTIFIER_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai-identifier.xsd"
#: Records per page of a list (`MEMOIRE_OAI_PAGE_SIZE` overrides).
PAGE_SIZE = 100
GRANULARITY = "YYYY-MM-DDThh:mm:ssZ"
METADATA_FORMATS = {"oai_dc": (OAI_DC_SCHEMA, OAI_DC_NS)}

#: Arguments each verb takes: (required, optional). A resumption token excludes all others.
VERBS: dict[str, tuple[set[str], set[str]]] = {
    "Identify": (set(), set()),
    "ListMetadataFormats": (set(), {"identifier"}),
    "ListSets": (set(), {"resumptionToken"}),
    "ListIdentifiers": ({"metadataPrefix"}, {"from", "until", "set", "resumptionToken"}),
    "ListRecords": ({"metadataPrefix"}, {"from", "until", "set", "resumptionToken"}),
    "GetRecord": ({"identifier", "metadataPrefix"}, set()),
}
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SECOND = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
_REPOSITORY_ID = re.compile(r"^[a-zA-Z][a-zA-Z0-9\-]*(\.[a-zA-Z][a-zA-Z0-9\-]*)+$")

ET.register_namespace("xsi", XSI_NS)


class OAIError(Exception):
    """An OAI-PMH error condition: answered with HTTP 200 and `<error code=...>`."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


# --- identifiers, dates, tokens --------------------------------------------------------------


def repository_identifier() -> str:
    """The namespace of our OAI identifiers: the public host name, when it is a domain name."""
    configured = current_app.config.get("MEMOIRE_OAI_REPOSITORY_ID")
    if configured:
        return str(configured)
    # Only a configured address: identifiers must not change with the host a harvester used.
    host = urlsplit(str(current_app.config["MEMOIRE_BASE_URL"] or "")).hostname or ""
    return host if _REPOSITORY_ID.match(host) else "memoire.local"


def oai_identifier(story_id: int) -> str:
    return f"oai:{repository_identifier()}:story/{story_id}"


def story_id_of(identifier: str) -> int | None:
    prefix = f"oai:{repository_identifier()}:story/"
    rest = identifier[len(prefix) :] if identifier.startswith(prefix) else ""
    return int(rest) if rest.isascii() and rest.isdigit() and len(rest) < 10 else None


def datestamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse_date(value: str, name: str) -> tuple[datetime, str]:
    """A `from`/`until` value and its granularity ("day" or "second"), or badArgument."""
    try:
        if _DAY.match(value):
            return datetime.strptime(value, "%Y-%m-%d"), "day"
        if _SECOND.match(value):
            return datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ"), "second"
    except ValueError:
        pass
    raise OAIError("badArgument", f"{name} must be YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ: {value}")


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="memoire.oai.resumption")


# --- what is harvested -----------------------------------------------------------------------


@dataclass(frozen=True)
class Selection:
    """The arguments of one list request, as carried from page to page by resumption tokens."""

    verb: str
    prefix: str
    set_spec: str | None = None
    since: str | None = None  # `from`, as given
    until: str | None = None
    after_id: int = 0
    cursor: int = 0

    def token(self, after_id: int, cursor: int) -> str:
        return _serializer().dumps(
            [self.verb, self.prefix, self.set_spec, self.since, self.until, after_id, cursor]
        )

    @classmethod
    def from_token(cls, verb: str, token: str) -> Selection:
        try:
            values = _serializer().loads(token)
            selection = cls(*values)
        except (BadSignature, TypeError, ValueError):
            raise OAIError("badResumptionToken", "The resumption token is not valid.") from None
        if selection.verb != verb:
            raise OAIError("badResumptionToken", "This resumption token belongs to another verb.")
        return selection

    def bounds(self) -> tuple[datetime | None, datetime | None]:
        """[start, end) on datestamps; `until` is inclusive at its own granularity."""
        start = end = None
        granularities = set()
        if self.since:
            start, granularity = _parse_date(self.since, "from")
            granularities.add(granularity)
        if self.until:
            until, granularity = _parse_date(self.until, "until")
            granularities.add(granularity)
            end = until + (timedelta(days=1) if granularity == "day" else timedelta(seconds=1))
        if len(granularities) > 1:
            raise OAIError("badArgument", "from and until must have the same granularity.")
        if start is not None and end is not None and start >= end:
            raise OAIError("badArgument", "from is later than until.")
        return start, end


@dataclass
class Record:
    story_id: int
    datestamp: datetime
    sets: list[str]
    story: Story | None  # None: a deleted record

    @property
    def deleted(self) -> bool:
        return self.story is None


def _commune_place_ids(slug: str | None) -> set[int]:
    communes = db.session.scalars(select(Place).where(Place.type == "commune"))
    ids: set[int] = set()
    for commune in communes:
        if slug is None or _slug(commune.name) == slug:
            ids |= descendant_ids(commune)
    return ids


def _set_clause(set_spec: str):
    kind, _sep, slug = set_spec.partition(":")
    if kind == "theme":
        linked = select(story_themes.c.story_id).join(Theme, Theme.id == story_themes.c.theme_id)
        if slug:
            linked = linked.where(Theme.slug == slug)
        return Story.id.in_(linked)
    if kind == "commune":
        places = _commune_place_ids(slug or None)
        return Story.id.in_(select(StoryPlace.story_id).where(StoryPlace.place_id.in_(places)))
    if kind in ("organisation", "workshop"):
        from memoire.network.queries import set_story_ids

        return Story.id.in_(set_story_ids(kind, slug or None))
    return None


def _in_set(sets: list[str], set_spec: str | None) -> bool:
    return set_spec is None or any(s == set_spec or s.startswith(set_spec + ":") for s in sets)


def _story_query(selection: Selection, start, end) -> Select | None:
    query = select(Story).where(is_public_clause())
    if selection.set_spec:
        clause = _set_clause(selection.set_spec)
        if clause is None:
            return None
        query = query.where(clause)
    if start is not None:
        query = query.where(Story.updated_at >= start)
    if end is not None:
        query = query.where(Story.updated_at < end)
    return query


def deleted_records() -> list[Record]:
    """Withdrawn and erased stories, by id: a tombstone whose story is not public now.

    A story still in the database must have been published once to show, so that a
    draft withdrawn by its author never appears. Its datestamp is the tombstone's, which
    moves each time the story stops being public (published again, then withdrawn again).
    """
    rows = db.session.execute(
        select(StoryTombstone, Story)
        .outerjoin(Story, Story.id == StoryTombstone.story_id)
        .order_by(StoryTombstone.story_id)
    )
    records = []
    for tombstone, story in rows:
        if story is not None and (story.is_public or story.published_at is None):
            continue
        # The tombstone's own time only: a private edit of the hidden story moves nothing
        # (stories.operations.leave_tombstone moves it each time the story stops being public).
        records.append(Record(tombstone.story_id, tombstone.deleted_at, list(tombstone.sets or []), None))
    return records


def _deleted(selection: Selection, start, end) -> list[Record]:
    return [
        record
        for record in deleted_records()
        if _in_set(record.sets, selection.set_spec)
        and (start is None or record.datestamp >= start)
        and (end is None or record.datestamp < end)
    ]


def _options():
    return (
        selectinload(Story.place_links).selectinload(StoryPlace.place),
        selectinload(Story.themes),
        selectinload(Story.narrator_links),
        selectinload(Story.media),
        selectinload(Story.transcripts),
    )


def list_page(selection: Selection, size: int) -> tuple[list[Record], int]:
    """Up to `size` records after `selection.after_id`, and the size of the whole list."""
    start, end = selection.bounds()
    query = _story_query(selection, start, end)
    deleted = _deleted(selection, start, end)
    total = len(deleted)
    stories: list[Story] = []
    if query is not None:
        total += db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
        page_query = query.where(Story.id > selection.after_id).order_by(Story.id).limit(size)
        stories = list(db.session.scalars(page_query.options(*_options())))
    records = [Record(story.id, story.updated_at, oai_sets(story), story) for story in stories]
    records += [record for record in deleted if record.story_id > selection.after_id]
    records.sort(key=lambda record: record.story_id)
    return records[:size], total


def find_record(identifier: str) -> Record:
    story_id = story_id_of(identifier)
    if story_id is not None:
        story = db.session.scalar(select(Story).where(Story.id == story_id, is_public_clause()))
        if story is not None:
            return Record(story.id, story.updated_at, oai_sets(story), story)
        deleted = next((r for r in deleted_records() if r.story_id == story_id), None)
        if deleted is not None:
            return deleted
    raise OAIError("idDoesNotExist", f"No record has the identifier {identifier}.")


def earliest_datestamp() -> datetime:
    moments = [
        db.session.scalar(select(func.min(Story.updated_at)).where(is_public_clause())),
        *(record.datestamp for record in deleted_records()),
    ]
    found = [m for m in moments if m is not None]
    return min(found) if found else utcnow()


def set_names() -> dict[str, str]:
    """Every set a harvested record belongs to, with a name people can read."""
    specs: set[str] = set()
    stories = db.session.scalars(select(Story).where(is_public_clause()).options(*_options()))
    for story in stories:
        specs.update(oai_sets(story))
    for record in deleted_records():
        specs.update(record.sets)
    communes = {
        _slug(p.name): p.name
        for p in db.session.scalars(select(Place).where(Place.type == "commune"))
    }
    themes = {t.slug: t.name for t in db.session.scalars(select(Theme))}
    names = {"commune": "Communes", "theme": "Thèmes"}
    from memoire.network.queries import set_labels

    network = set_labels(specs)
    if network["organisation"]:
        names["organisation"] = "Organisations"
    if network["workshop"]:
        names["workshop"] = "Ateliers"
    for spec in sorted(specs):
        kind, _sep, slug = spec.partition(":")
        label = {"commune": communes, "theme": themes}.get(kind, network.get(kind, {})).get(slug)
        if label is not None:
            names[spec] = f"{names[kind]} : {label}"
    return names


# --- the XML answers -------------------------------------------------------------------------


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs) -> ET.Element:
    element = ET.SubElement(
        parent, tag, {k: xml_text(v) for k, v in attrs.items() if v is not None}
    )
    if text is not None:
        element.text = xml_text(text)
    return element


def _envelope(base_url: str, args: dict[str, str] | None) -> ET.Element:
    root = ET.Element(
        "OAI-PMH",
        {
            "xmlns": OAI_NS,
            f"{{{XSI_NS}}}schemaLocation": f"{OAI_NS} {OAI_SCHEMA}",
        },
    )
    _sub(root, "responseDate", datestamp(utcnow()))
    # After badVerb and badArgument the request is echoed without its arguments.
    _sub(root, "request", base_url, **(args or {}))
    return root


def _header(parent: ET.Element, record: Record) -> None:
    header = _sub(parent, "header", status="deleted" if record.deleted else None)
    _sub(header, "identifier", oai_identifier(record.story_id))
    _sub(header, "datestamp", datestamp(record.datestamp))
    for spec in record.sets:
        _sub(header, "setSpec", spec)


def _record(parent: ET.Element, record: Record) -> None:
    element = _sub(parent, "record")
    _header(element, record)
    if not record.deleted:
        _sub(element, "metadata").append(oai_dc_element(record.story))


def _identify(parent: ET.Element, base_url: str) -> None:
    identify = _sub(parent, "Identify")
    _sub(identify, "repositoryName", archive_name())
    _sub(identify, "baseURL", base_url)
    _sub(identify, "protocolVersion", "2.0")
    _sub(
        identify,
        "adminEmail",
        str(
            current_app.config.get("MEMOIRE_ADMIN_EMAIL") or current_app.config["MEMOIRE_MAIL_FROM"]
        ),
    )
    _sub(identify, "earliestDatestamp", datestamp(earliest_datestamp()))
    _sub(identify, "deletedRecord", "persistent")
    _sub(identify, "granularity", GRANULARITY)
    description = _sub(identify, "description")
    ET.register_namespace("oai-identifier", IDENTIFIER_NS)
    ident = _sub(
        description,
        f"{{{IDENTIFIER_NS}}}oai-identifier",
        **{
            f"{{{XSI_NS}}}schemaLocation": f"{IDENTIFIER_NS} {IDENTIFIER_SCHEMA}",
        },
    )
    _sub(ident, f"{{{IDENTIFIER_NS}}}scheme", "oai")
    _sub(ident, f"{{{IDENTIFIER_NS}}}repositoryIdentifier", repository_identifier())
    _sub(ident, f"{{{IDENTIFIER_NS}}}delimiter", ":")
    _sub(ident, f"{{{IDENTIFIER_NS}}}sampleIdentifier", oai_identifier(1))


def _metadata_formats(parent: ET.Element, identifier: str | None) -> None:
    if identifier is not None:
        find_record(identifier)
    formats = _sub(parent, "ListMetadataFormats")
    for prefix, (schema, namespace) in METADATA_FORMATS.items():
        item = _sub(formats, "metadataFormat")
        _sub(item, "metadataPrefix", prefix)
        _sub(item, "schema", schema)
        _sub(item, "metadataNamespace", namespace)


def _list_sets(parent: ET.Element, token: str | None) -> None:
    if token is not None:
        raise OAIError("badResumptionToken", "The list of sets is never split.")
    sets = _sub(parent, "ListSets")
    for spec, name in set_names().items():
        item = _sub(sets, "set")
        _sub(item, "setSpec", spec)
        _sub(item, "setName", name)


def _check_prefix(prefix: str) -> None:
    if prefix not in METADATA_FORMATS:
        raise OAIError(
            "cannotDisseminateFormat", f"The metadata format {prefix} is not offered: use oai_dc."
        )


def _list(parent: ET.Element, verb: str, args: dict[str, str], size: int) -> None:
    if "resumptionToken" in args:
        selection = Selection.from_token(verb, args["resumptionToken"])
    else:
        selection = Selection(
            verb, args["metadataPrefix"], args.get("set"), args.get("from"), args.get("until")
        )
    selection.bounds()  # bad dates are badArgument before anything else
    _check_prefix(selection.prefix)
    records, total = list_page(selection, size)
    if not records:
        if "resumptionToken" in args:
            raise OAIError("badResumptionToken", "This resumption token leads nowhere any more.")
        raise OAIError("noRecordsMatch", "No record matches these arguments.")
    element = _sub(parent, verb)
    for record in records:
        if verb == "ListRecords":
            _record(element, record)
        else:
            _header(element, record)
    delivered = selection.cursor + len(records)
    if delivered < total:
        _sub(
            element,
            "resumptionToken",
            selection.token(records[-1].story_id, delivered),
            completeListSize=str(total),
            cursor=str(selection.cursor),
        )
    elif "resumptionToken" in args:
        # The last page of a resumed list carries an empty token: the list is complete.
        _sub(
            element,
            "resumptionToken",
            "",
            completeListSize=str(total),
            cursor=str(selection.cursor),
        )


def _get_record(parent: ET.Element, args: dict[str, str]) -> None:
    record = find_record(args["identifier"])
    _check_prefix(args["metadataPrefix"])
    _record(_sub(parent, "GetRecord"), record)


def _check_arguments(verb: str, args: dict[str, str]) -> None:
    required, optional = VERBS[verb]
    unknown = set(args) - required - optional
    if unknown:
        raise OAIError("badArgument", f"Unknown argument for {verb}: {', '.join(sorted(unknown))}.")
    if "resumptionToken" in args:
        if len(args) > 1:
            raise OAIError("badArgument", "resumptionToken is an exclusive argument.")
        return
    missing = required - set(args)
    if missing:
        raise OAIError("badArgument", f"Missing argument for {verb}: {', '.join(sorted(missing))}.")


def respond(base_url: str, pairs: list[tuple[str, str]]) -> bytes:
    """The whole OAI-PMH answer (an XML document) to a request's arguments, as given."""
    names = [name for name, _value in pairs]
    args = dict(pairs)
    verb = args.pop("verb", None)
    root: ET.Element
    try:
        if names.count("verb") != 1 or verb not in VERBS:
            raise OAIError("badVerb", "The verb is missing, repeated or not an OAI-PMH verb.")
        if len(set(names)) != len(names):
            raise OAIError("badArgument", "An argument is repeated.")
        _check_arguments(verb, args)
        root = _envelope(base_url, {"verb": verb, **args})
        if verb == "Identify":
            _identify(root, base_url)
        elif verb == "ListMetadataFormats":
            _metadata_formats(root, args.get("identifier"))
        elif verb == "ListSets":
            _list_sets(root, args.get("resumptionToken"))
        elif verb == "GetRecord":
            _get_record(root, args)
        else:
            _list(
                root, verb, args, int(current_app.config.get("MEMOIRE_OAI_PAGE_SIZE") or PAGE_SIZE)
            )
    except OAIError as error:
        echoed = None if error.code in {"badVerb", "badArgument"} else {"verb": verb, **args}
        root = _envelope(base_url, echoed)
        _sub(root, "error", error.message, code=error.code)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
