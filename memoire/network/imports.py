"""Organisations and workshops from a CSV or JSON file (`memoire network import`).

A door, not a rule: each record goes through the operations the forms use
(`create_organisation`/`update_organisation`, `create_workshop`/`update_workshop`,
`attach_story`), so it is checked the same way. Re-running a file updates what it
created: an organisation is found by its short name (given, or made from its name), a
workshop by its title and first day. The caller runs the whole file as one transaction:
the first bad record stops it, its error names the line, and nothing is kept.

Files: `.csv` (a header line; several values in one cell separated by ";"), `.json`
(an array of objects) or `.jsonl` (one object a line). Places, neighbourhoods and
stories are named as people know them: a place by its gazetteer name (or id), an
organisation by its short name or name, a method by its short name, a story by its
archive id or external id.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from memoire.core.errors import MemoireError, ValidationError
from memoire.extensions import db
from memoire.network import operations as ops
from memoire.network.models import Method, Organisation, Workshop
from memoire.places.models import Place
from memoire.places.operations import find_place
from memoire.stories.operations import find_story

ORGANISATION_COLUMNS = frozenset(
    {
        "name",
        "kind",
        "country",
        "slug",
        "address",
        "place",
        "website",
        "contact_email",
        "contact_phone",
        "description",
        "languages",
        "neighbourhoods",
    }
)
WORKSHOP_COLUMNS = frozenset(
    {
        "title",
        "starts_on",
        "ends_on",
        "place",
        "audience",
        "participants",
        "description",
        "languages",
        "organisations",
        "methods",
        "stories",
    }
)
KINDS = {"organisations": ORGANISATION_COLUMNS, "workshops": WORKSHOP_COLUMNS}


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0


def _at(line: int, error: MemoireError) -> ValidationError:
    where = f"{line}" if not error.field else f"{line} ({error.field})"
    return ValidationError(
        _l("Line %(line)s: %(message)s", line=where, message=error.message), field=error.field
    )


# --------------------------------------------------------------------------- reading the file


def read_records(path: str | Path) -> list[tuple[int, dict]]:
    """(line, record) pairs of a .csv, .json or .jsonl file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(_l("The file is not UTF-8 text.")) from None
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _csv_records(text)
    if suffix == ".jsonl":
        records = []
        for number, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                records.append((number, _json_object(line, number)))
        return records
    if suffix == ".json":
        return _json_array(text)
    raise ValidationError(_l("Give a .csv, .json or .jsonl file."))


def _csv_records(text: str) -> list[tuple[int, dict]]:
    reader = csv.DictReader(io.StringIO(text))
    records = []
    try:
        for row in reader:
            if None in row:  # more cells than the header names
                raise ValidationError(
                    _l("Line %(line)s: more cells than columns.", line=reader.line_num)
                )
            values = {k.strip(): (v or "").strip() for k, v in row.items() if k is not None}
            if any(values.values()):
                records.append((reader.line_num, values))
    except csv.Error as error:
        raise ValidationError(
            _l("Line %(line)s: %(message)s", line=reader.line_num, message=str(error))
        ) from None
    return records


def _json_object(text: str, line: int) -> dict:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValidationError(
            _l(
                "Line %(line)s: not valid JSON (%(message)s).",
                line=line + error.lineno - 1,
                message=error.msg,
            )
        ) from None
    if not isinstance(value, dict):
        raise ValidationError(_l("Line %(line)s: each record must be a JSON object.", line=line))
    return value


def _json_array(text: str) -> list[tuple[int, dict]]:
    """The objects of a JSON array, each with the line it starts on."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValidationError(
            _l("Line %(line)s: not valid JSON (%(message)s).", line=error.lineno, message=error.msg)
        ) from None
    if not isinstance(value, list):
        raise ValidationError(
            _l("Line %(line)s: the file must hold a JSON array of objects.", line=1)
        )
    decoder = json.JSONDecoder()
    records, position = [], text.index("[") + 1
    for _item in value:
        while text[position] in " \t\r\n,":
            position += 1
        item, end = decoder.raw_decode(text, position)
        line = text.count("\n", 0, position) + 1
        if not isinstance(item, dict):
            raise ValidationError(
                _l("Line %(line)s: each record must be a JSON object.", line=line)
            )
        records.append((line, item))
        position = end
    return records


# --------------------------------------------------------------------------- values


def _list(value) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return [part.strip() for part in str(value).split(";") if part.strip()]


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _place(ref, field: str) -> Place | None:
    ref = _text(ref)
    if not ref:
        return None
    place = db.session.get(Place, int(ref)) if ref.isdigit() else find_place(ref)
    if place is None:
        raise ValidationError(_l("No place named %(ref)s in the gazetteer.", ref=ref), field=field)
    return place


def _date(value, field: str) -> date | None:
    text = _text(value)
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationError(
            _l("Not a date (YYYY-MM-DD): %(value)s.", value=text), field=field
        ) from None


def _participants(value) -> int | None:
    text = _text(value)
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        raise ValidationError(
            _l("How many took part: a number, not %(value)s.", value=text), field="participants"
        ) from None


def _organisation(ref: str) -> Organisation:
    found = db.session.scalar(select(Organisation).where(Organisation.slug == ref))
    found = found or db.session.scalar(select(Organisation).where(Organisation.name == ref))
    if found is None:
        raise ValidationError(
            _l("No organisation with the short name %(ref)s.", ref=ref), field="organisations"
        )
    return found


def _method(ref: str) -> Method:
    found = db.session.scalar(select(Method).where(Method.slug == ref))
    if found is None:
        raise ValidationError(
            _l("No method card with the short name %(ref)s.", ref=ref), field="methods"
        )
    return found


# --------------------------------------------------------------------------- records


def _organisation_input(record: dict) -> ops.OrganisationInput:
    place = _place(record.get("place"), "place")
    languages = _list(record.get("languages"))
    return ops.OrganisationInput(
        name=_text(record.get("name")),
        kind=_text(record.get("kind")) or "association",
        country=_text(record.get("country")).upper() or "FR",
        slug=_text(record.get("slug")),
        address=_text(record.get("address")),
        place_id=place.id if place else None,
        website=_text(record.get("website")),
        contact_email=_text(record.get("contact_email")),
        contact_phone=_text(record.get("contact_phone")),
        description=_text(record.get("description")),
        languages=languages or ["fr"],
        neighbourhood_ids=[
            _place(ref, "neighbourhoods").id for ref in _list(record.get("neighbourhoods"))
        ],
    )


def _import_organisation(actor, record: dict, report: ImportReport) -> None:
    data = _organisation_input(record)
    slug = data.slug or ops.slugify(data.name)
    existing = (
        db.session.scalar(select(Organisation).where(Organisation.slug == slug)) if slug else None
    )
    if existing is None:
        ops.create_organisation(actor, data)
        report.created += 1
    else:
        data.slug = slug
        ops.update_organisation(actor, existing, data)
        report.updated += 1


def _import_workshop(actor, record: dict, report: ImportReport) -> None:
    place = _place(record.get("place"), "place")
    data = ops.WorkshopInput(
        title=_text(record.get("title")),
        starts_on=_date(record.get("starts_on"), "starts_on"),
        ends_on=_date(record.get("ends_on"), "ends_on"),
        place_id=place.id if place else None,
        audience=_text(record.get("audience")) or None,
        participants=_participants(record.get("participants")),
        description=_text(record.get("description")),
        languages=_list(record.get("languages")) or ["fr"],
        organisation_ids=[_organisation(ref).id for ref in _list(record.get("organisations"))],
        method_ids=[_method(ref).id for ref in _list(record.get("methods"))],
    )
    stories = [find_story(ref) for ref in _list(record.get("stories"))]
    existing = (
        db.session.scalar(
            select(Workshop).where(
                Workshop.title == " ".join(data.title.split()), Workshop.starts_on == data.starts_on
            )
        )
        if data.starts_on
        else None
    )
    if existing is None:
        workshop = ops.create_workshop(actor, data)
        report.created += 1
    else:
        data.facilitator_ids = [
            f.id for f in existing.facilitators
        ]  # credits are kept, not imported
        workshop = ops.update_workshop(actor, existing, data)
        report.updated += 1
    for story in stories:
        ops.attach_story(actor, workshop, story)


def import_records(actor, kind: str, records: list[tuple[int, dict]]) -> ImportReport:
    """Create or update each record through the operations; flush, never commit."""
    columns = KINDS[kind]
    report = ImportReport()
    for line, record in records:
        unknown = sorted(set(record) - columns)
        if unknown:
            raise ValidationError(
                _l(
                    "Line %(line)s: unknown column %(name)s (expected: %(expected)s).",
                    line=line,
                    name=", ".join(unknown),
                    expected=", ".join(sorted(columns)),
                )
            )
        try:
            if kind == "organisations":
                _import_organisation(actor, record, report)
            else:
                _import_workshop(actor, record, report)
        except MemoireError as error:
            raise _at(line, error) from None
    return report
