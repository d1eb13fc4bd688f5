"""A story in simple Dublin Core (`oai_dc`), for OAI-PMH and the per-story XML export.

Only what a visitor may know: places as the public may see them (a "quartier" story
does not name its street), no coordinates, narrators by their display names, no
contributor. Text is stripped of the characters XML 1.0 cannot carry, so a stray
control character in a story never makes a harvest fail.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from flask import url_for

from memoire.exhibitions.presenters import LICENCE_URIS, licence_label
from memoire.media.models import DerivativeRole, MediaKind
from memoire.places.geo import places_for
from memoire.stories.citation import archive_name, short_url
from memoire.stories.models import Story
from memoire.web.templating import kind_label

OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC_NS = "http://purl.org/dc/elements/1.1/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
OAI_DC_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"

ET.register_namespace("oai_dc", OAI_DC_NS)
ET.register_namespace("dc", DC_NS)
ET.register_namespace("xsi", XSI_NS)

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(value) -> str:
    """Text XML 1.0 can carry: control characters other than tab and line ends removed."""
    return _NOT_XML.sub("", str(value))


def dcmi_types(story: Story) -> list[str]:
    """DCMI Type vocabulary terms for what the story holds."""
    kinds = {m.kind for m in story.media}
    types = []
    if MediaKind.audio in kinds or story.kind == "oral_history":
        types.append("Sound")
    if MediaKind.image in kinds or story.kind == "photo":
        types.append("StillImage")
    if (story.body or "").strip() or story.transcripts or not types:
        types.append("Text")
    return types


def temporal_coverage(story: Story) -> str | None:
    """The period as an ISO 8601 year or interval: "1978", "1955/1965"."""
    if story.period_start is None:
        return None
    end = story.period_end if story.period_end is not None else story.period_start
    return str(story.period_start) if end == story.period_start else f"{story.period_start}/{end}"


def dc_fields(story: Story) -> list[tuple[str, str]]:
    """(element, value) pairs of the 15 Dublin Core elements this story fills."""
    fields: list[tuple[str, str]] = [("title", story.title)]
    fields += [("creator", person.display_name) for person in story.narrators]
    fields += [("subject", theme.name) for theme in story.themes]
    fields += [
        ("description", text) for text in (story.summary, story.body) if (text or "").strip()
    ]
    fields += workshop_fields(story)
    fields.append(("publisher", archive_name()))
    if story.published_at is not None:
        fields.append(("date", story.published_at.date().isoformat()))
    if story.recorded_on is not None:
        fields.append(("date", story.recorded_on.isoformat()))
    fields += [("type", term) for term in dcmi_types(story)]
    fields.append(("type", kind_label(story.kind)))
    formats = sorted(
        {
            d.mime
            for m in story.media
            for d in m.derivatives
            if d.role in (DerivativeRole.display, DerivativeRole.stream)
        }
    )
    fields += [("format", mime) for mime in formats]
    fields.append(("identifier", short_url(story)))
    fields.append(("identifier", url_for("stories.show", story_id=story.id, _external=True)))
    fields.append(("language", story.language))
    fields.append(("relation", url_for("api.story_manifest", story_id=story.id, _external=True)))
    fields += [("coverage", place.name) for place in places_for(None, story)]
    if coverage := temporal_coverage(story):
        fields.append(("coverage", coverage))
    if story.period_text:
        fields.append(("coverage", story.period_text))
    fields.append(("rights", licence_label(story.licence)))
    if uri := LICENCE_URIS.get(story.licence):
        fields.append(("rights", uri))
    return fields


def workshop_fields(story: Story) -> list[tuple[str, str]]:
    """The workshop a story was collected at: `dc:source`, its organisers as `dc:contributor`."""
    from memoire.network.operations import workshop_of_story

    workshop = workshop_of_story(story.id)
    if workshop is None:
        return []
    when = workshop.starts_on.isoformat()
    url = url_for("network.workshop", workshop_id=workshop.id, _external=True)
    fields = [("source", f"{workshop.title} ({when}) {url}")]
    fields += [("contributor", organisation.name) for organisation in workshop.organisations]
    return fields


def oai_dc_element(story: Story) -> ET.Element:
    """`<oai_dc:dc>` with its schema location, as OAI-PMH and the export carry it."""
    root = ET.Element(
        f"{{{OAI_DC_NS}}}dc", {f"{{{XSI_NS}}}schemaLocation": f"{OAI_DC_NS} {OAI_DC_SCHEMA}"}
    )
    for name, value in dc_fields(story):
        ET.SubElement(root, f"{{{DC_NS}}}{name}").text = xml_text(value)
    return root


def dublin_core_xml(story: Story) -> bytes:
    """A standalone XML document of the story's `oai_dc` record."""
    return ET.tostring(oai_dc_element(story), encoding="utf-8", xml_declaration=True)
