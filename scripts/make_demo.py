"""Regenerate the demo archive that `memoire demo` loads: stories, photos, recordings, transcripts.

Everything in `memoire/demo/data/` is written by this script and committed; the loader only
reads the committed files, so neither CI nor a visitor's machine needs the tools below. The
script is a tool of the project, not part of the installed package.

    python scripts/make_demo.py           # rebuild all of data/ (needs espeak-ng on PATH)
    python scripts/make_demo.py --photos  # only the photos and the JSON files
    python scripts/make_demo.py --check   # validate data/ as committed (Pillow and mutagen only)

Rebuilding needs espeak-ng (`apt-get install espeak-ng`, voices `fr`, `fr-be`, `nl`) and the
ffmpeg binary that the `imageio-ffmpeg` dependency ships. Output is deterministic: seeded
drawings, bit-exact encoders, cue times measured from the synthesised speech itself.

The stories are invented for the project but historically grounded (the Dutemple headframe,
the Renard spoil heap, Usinor Denain, the 1963 strike, Italian, Polish, Moroccan and Flemish
migration). Narrators are invented first names or pseudonyms; voices are synthetic.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import random
import re
import shutil
import subprocess
import sys
import tempfile
import wave
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageEnhance, ImageFilter, ImageFont, ImageOps

DATA_DIR = Path(__file__).resolve().parent.parent / "memoire" / "demo" / "data"
STORIES_FILE = "stories.jsonl"
EXHIBITION_FILE = "exhibition.json"
LICENCE = "CC-BY-NC-4.0"

# The import format: any other key is an error for the importer, so the check enforces it too.
STORY_KEYS = {
    "id",
    "title",
    "summary",
    "body",
    "kind",
    "narrators",
    "period",
    "recorded_on",
    "language",
    "themes",
    "places",
    "media",
    "transcript",
    "visibility",
    "status",
    "consent",
    "licence",
}
NARRATOR_KEYS = {"name", "birth_decade", "pseudonym"}
PERIOD_KEYS = ({"start", "end"}, {"text"})
PLACE_KEYS = {"name", "type", "parent", "lat", "lon", "role"}
MEDIA_KEYS = {"path", "caption", "alt"}
CONSENT_KEYS = {
    "given_by",
    "method",
    "online_publication",
    "research_use",
    "exhibition_use",
    "licence",
    "precision",
}
# The exhibition format of docs/exhibition-format.md.
EXHIBITION_KEYS = {"slug", "title", "introduction", "languages", "status", "cover", "items"}
EXHIBITION_ITEM_KEYS = {"story", "caption", "excerpt"}
THEMES = {
    "mine",
    "usine",
    "école",
    "fête",
    "migration",
    "commerce",
    "logement",
    "chemin de fer",
    "verrerie",
    "sport",
    "religion",
    "famille",
}
KINDS = {"oral_history", "photo", "anecdote", "heritage"}
PLACE_TYPES = {"commune", "quartier", "street", "building", "landmark"}
# Hainaut and the Valenciennois: every point of the demo must fall inside this box.
REGION = (50.25, 50.55, 3.3, 4.05)
MAX_TOTAL_BYTES = 4_000_000  # "under 4 MB", read strictly


# --- Places -------------------------------------------------------------------------------------
# Communes and Jemappes/Nimy come from /work/shared/data/gazetteer (La Poste and zipcode-belgium
# points); the Dutemple headframe and the Renard pit from their BRGM coordinates. Quartier centres,
# community centres and other landmarks are placed by hand inside their commune's outline.


@dataclass(frozen=True)
class PlaceDef:
    type: str
    parent: str | None
    lat: float
    lon: float


PLACES: dict[str, PlaceDef] = {
    "Valenciennes": PlaceDef("commune", None, 50.35887, 3.51568),
    "Denain": PlaceDef("commune", None, 50.32997, 3.38986),
    "Onnaing": PlaceDef("commune", None, 50.38671, 3.59668),
    "Vieux-Condé": PlaceDef("commune", None, 50.47356, 3.56607),
    "Mons": PlaceDef("commune", None, 50.45496, 3.95196),
    "Dutemple": PlaceDef("quartier", "Valenciennes", 50.3600, 3.4850),
    "Chevalement de la fosse Dutemple": PlaceDef("landmark", "Dutemple", 50.36155, 3.48026),
    "Centre social Dutemple": PlaceDef("building", "Dutemple", 50.3592, 3.4872),
    "Ancienne école de garçons Dutemple": PlaceDef("building", "Dutemple", 50.3606, 3.4868),
    "Epinlieu": PlaceDef("quartier", "Mons", 50.4630, 3.9640),
    "Maison de quartier d'Epinlieu": PlaceDef("building", "Epinlieu", 50.4627, 3.9648),
    "Nimy": PlaceDef("quartier", "Mons", 50.47594, 3.95459),
    "Maison de quartier de Nimy": PlaceDef("building", "Nimy", 50.4751, 3.9532),
    "Le canal à Nimy": PlaceDef("landmark", "Nimy", 50.4695, 3.9480),
    "L'Île aux Oiseaux": PlaceDef("quartier", "Mons", 50.4590, 3.9330),
    "Maison de quartier de l'Allée des Oiseaux": PlaceDef(
        "building", "L'Île aux Oiseaux", 50.4588, 3.9337
    ),
    "La Gare": PlaceDef("quartier", "Mons", 50.4530, 3.9410),
    "Gare de Mons": PlaceDef("landmark", "La Gare", 50.4536, 3.9424),
    "Maison de quartier de la Gare": PlaceDef("building", "La Gare", 50.4524, 3.9402),
    "Grand-Place de Mons": PlaceDef("landmark", "Mons", 50.45436, 3.95186),
    "Collégiale Sainte-Waudru": PlaceDef("landmark", "Mons", 50.45460, 3.94660),
    "Jemappes": PlaceDef("quartier", "Mons", 50.44842, 3.88944),
    "Maison de quartier de Jemappes": PlaceDef("building", "Jemappes", 50.4490, 3.8880),
    "Faubourg Duchâteau": PlaceDef("quartier", "Denain", 50.3230, 3.4050),
    "Centre social du Faubourg Duchâteau": PlaceDef(
        "building", "Faubourg Duchâteau", 50.3236, 3.4043
    ),
    "Tonini": PlaceDef("quartier", "Denain", 50.3380, 3.3720),
    "Terril Renard": PlaceDef("landmark", "Denain", 50.3235, 3.3730),
    "Usinor Denain (ancien site)": PlaceDef("landmark", "Denain", 50.3400, 3.3950),
    "Église de Vieux-Condé": PlaceDef("building", "Vieux-Condé", 50.4705, 3.5655),
    "Bords de l'Escaut": PlaceDef("landmark", "Vieux-Condé", 50.4790, 3.5510),
    "Stade municipal d'Onnaing": PlaceDef("landmark", "Onnaing", 50.3880, 3.5990),
    "Usine automobile d'Onnaing": PlaceDef("landmark", "Onnaing", 50.3960, 3.5790),
}


def _chain(name: str) -> list[str]:
    """The place and its ancestors, commune first, so every parent is named before its child."""
    chain = [name]
    while PLACES[chain[0]].parent:
        chain.insert(0, PLACES[chain[0]].parent)
    return chain


def _place(name: str, role: str) -> dict:
    p = PLACES[name]
    entry = {"name": name, "type": p.type}
    if p.parent:
        entry["parent"] = p.parent
    entry.update({"lat": p.lat, "lon": p.lon, "role": role})
    return entry


def places(*happened: str, told: tuple[str, ...] = ()) -> list[dict]:
    """Place entries for a story: where it happened (with ancestors) and where it was told."""
    out: list[dict] = []
    named: set[str] = set()
    for name in happened:
        for link in _chain(name):
            if link not in named:
                out.append(_place(link, "happened"))
                named.add(link)
    for name in told:
        for link in _chain(name)[:-1]:
            if link not in named:
                out.append(_place(link, "told"))
                named.add(link)
        out.append(_place(name, "told"))
        named.add(name)
    return out


def narrator(name: str, decade: int | None, *, pseudonym: bool = False) -> dict:
    return {"name": name, "birth_decade": decade, "pseudonym": pseudonym}


def consent(
    given_by: str,
    method: str,
    *,
    online: bool = True,
    research: bool = True,
    exhibition: bool = True,
    precision: str = "street",
) -> dict:
    return {
        "given_by": given_by,
        "method": method,
        "online_publication": online,
        "research_use": research,
        "exhibition_use": exhibition,
        "licence": LICENCE,
        "precision": precision,
    }


# --- Recordings ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Voice:
    """An espeak-ng voice: the voice name with its variant, words per minute, pitch 0-99."""

    espeak: str
    speed: int = 150
    pitch: int = 50


@dataclass(frozen=True)
class Recording:
    """An oral history clip: who speaks which line, and the container it is delivered in."""

    story: str
    fmt: str  # "ogg" (Vorbis), "opus" (Opus in Ogg), "mp3", "wav" (8 kHz PCM)
    title: str
    voices: dict[str, Voice] = field(hash=False)
    cues: tuple[tuple[str, str], ...]

    @property
    def audio_path(self) -> str:
        return f"media/{self.story}.{self.fmt}"

    @property
    def transcript_path(self) -> str:
        return f"transcripts/{self.story}.vtt"


MEDIATRICE = Voice("fr+f3", 180, 62)

RECORDINGS: dict[str, Recording] = {
    r.story: r
    for r in (
        Recording(
            "demo-001",
            "ogg",
            "Le chevalement à la fenêtre",
            {"Médiatrice": MEDIATRICE, "Marcel D.": Voice("fr+m3", 155, 38)},
            (
                (
                    "Médiatrice",
                    "Marcel, qu'est-ce que vous voyiez de votre fenêtre, quand vous étiez petit ?",
                ),
                (
                    "Marcel D.",
                    "Le chevalement. Tous les matins, le chevalement de la fosse Dutemple, en béton, gris comme le ciel.",
                ),
                (
                    "Marcel D.",
                    "Mon père descendait là. Il partait avec son briquet, c'est comme ça qu'on appelait le casse-croûte.",
                ),
                (
                    "Marcel D.",
                    "En mai quarante, la fosse s'est arrêtée. Il a continué dans une autre fosse, plus loin, à vélo.",
                ),
                (
                    "Marcel D.",
                    "Le chevalement, lui, il est resté. Aujourd'hui il est dans un jardin, et les gamins jouent autour.",
                ),
                (
                    "Marcel D.",
                    "Moi, quand je passe, je lui dis bonjour. C'est bête, hein, mais c'est comme ça.",
                ),
            ),
        ),
        Recording(
            "demo-005",
            "opus",
            "La clé d'Épinlieu",
            {"Josée": Voice("fr-be+f2", 165, 56)},
            (
                (
                    "Josée",
                    "On a eu la clé en soixante-quatorze. Un appartement au deuxième, avec une salle de bain !",
                ),
                (
                    "Josée",
                    "Avant, on vivait à cinq dans deux pièces à Cuesmes, avec la toilette au fond de la cour.",
                ),
                (
                    "Josée",
                    "À Épinlieu, il y avait des familles de partout : des Italiens, des Espagnols, des Marocains, des Montois comme nous.",
                ),
                (
                    "Josée",
                    "Les enfants jouaient dehors jusqu'à la nuit. Les mamans s'appelaient d'un balcon à l'autre.",
                ),
                (
                    "Josée",
                    "Maintenant, ils démolissent et ils reconstruisent. C'est bien pour les jeunes. Mais j'ai pleuré quand j'ai vu le trou.",
                ),
            ),
        ),
        Recording(
            "demo-010",
            "mp3",
            "Le Doudou sur les épaules de mon père",
            {"Christian": Voice("fr-be", 165, 44)},
            (
                (
                    "Christian",
                    "Le Doudou, c'est le dimanche de la Trinité. Mon père me mettait sur ses épaules, sur la Grand-Place.",
                ),
                (
                    "Christian",
                    "Le matin, il y a la procession, et le car d'or qu'on pousse dans la montée, près de la collégiale.",
                ),
                (
                    "Christian",
                    "Si le car ne monte pas d'un seul coup, c'est un malheur pour la ville. Alors tout le monde pousse.",
                ),
                (
                    "Christian",
                    "À midi, c'est le Lumeçon : saint Georges contre le dragon. Moi, je voulais attraper un crin de sa queue.",
                ),
                (
                    "Christian",
                    "Je n'en ai jamais eu. Mon fils, lui, en a eu un en quatre-vingt-quinze. Il le garde dans son portefeuille.",
                ),
            ),
        ),
        Recording(
            "demo-011",
            "opus",
            "Des noms d'oiseaux sur les immeubles",
            {"Nadia": Voice("fr-be+f4", 173, 60)},
            (
                (
                    "Nadia",
                    "J'ai grandi à l'allée des Oiseaux. Chez nous, tous les immeubles portaient un nom d'oiseau.",
                ),
                (
                    "Nadia",
                    "Pour aller à l'école, on traversait le terrain vague en courant, le cartable qui tapait dans le dos.",
                ),
                (
                    "Nadia",
                    "La maîtresse avait mis une carte du monde au mur, avec nos prénoms. Il y avait douze pays dans la classe.",
                ),
                (
                    "Nadia",
                    "Quand ils ont tout refait, ça s'est appelé l'Île aux Oiseaux. Au début, ça nous faisait rire.",
                ),
                (
                    "Nadia",
                    "Aujourd'hui, ma fille va à la crèche du quartier. Elle est toute neuve, et elle chauffe presque toute seule.",
                ),
            ),
        ),
        Recording(
            "demo-013",
            "mp3",
            "Mijn vader, spoorman in Bergen",
            {"Annie": Voice("nl+f3", 160, 58)},
            (
                (
                    "Annie",
                    "Mijn vader kwam uit Ronse. In 1950 begon hij bij de spoorwegen, in het station van Bergen.",
                ),
                (
                    "Annie",
                    "Thuis spraken we Vlaams, maar op straat en op school was alles in het Frans.",
                ),
                (
                    "Annie",
                    "Hij werkte in ploegen. Als hij 's nachts thuiskwam, rook zijn jas naar kolen en naar stoom.",
                ),
                (
                    "Annie",
                    "Op zondag nam hij me mee naar de perrons. Ik mocht naar de locomotieven kijken, maar niet te dichtbij.",
                ),
                (
                    "Annie",
                    "Ik ben hier gebleven. Ik droom in het Frans, maar ik tel nog altijd in het Vlaams.",
                ),
            ),
        ),
        Recording(
            "demo-016",
            "ogg",
            "Van Poperinge naar Jemappes",
            {"Interviewster": Voice("nl+f2", 175, 60), "Jozef V.": Voice("nl+m3", 155, 36)},
            (
                ("Interviewster", "Jozef, waar kwam uw familie vandaan?"),
                (
                    "Jozef V.",
                    "Mijn grootouders kwamen in 1923 uit de streek van Poperinge. Er was geen werk op het land.",
                ),
                (
                    "Jozef V.",
                    "Mijn grootvader ging in de koolmijn werken, in de Borinage. Hij sprak geen woord Frans.",
                ),
                (
                    "Jozef V.",
                    "Ze woonden in Jemappes, in een klein huis bij de vaart. Mijn grootmoeder hield er geiten en konijnen.",
                ),
                (
                    "Jozef V.",
                    "De Walen noemden ons de Flamins. Dat was niet altijd vriendelijk bedoeld.",
                ),
                ("Jozef V.", "Thuis Vlaams, op straat Frans, en in de mijn een beetje van alles."),
            ),
        ),
        Recording(
            "demo-022",
            "ogg",
            "Du Frioul à la cité",
            {"Lucia": Voice("fr+f2", 163, 54)},
            (
                (
                    "Lucia",
                    "Mon père est venu du Frioul en quarante-sept, avec le contrat des mines. Nous, on l'a rejoint deux ans après.",
                ),
                (
                    "Lucia",
                    "Je me rappelle le train, la valise en carton, et ma mère qui pleurait à la frontière.",
                ),
                (
                    "Lucia",
                    "À la cité, la maison était petite, mais il y avait un jardin. Mon père y a planté des tomates et de la vigne.",
                ),
                (
                    "Lucia",
                    "Le premier hiver, les voisins polonais nous ont donné du charbon. On ne parlait pas la même langue, mais on s'est compris.",
                ),
                (
                    "Lucia",
                    "À l'école, la maîtresse a changé mon prénom en Lucie. À la maison, je suis restée Lucia.",
                ),
            ),
        ),
        Recording(
            "demo-024",
            "opus",
            "Le silence des hauts-fourneaux",
            {"Gérard L.": Voice("fr+m1", 155, 34)},
            (
                (
                    "Gérard L.",
                    "J'ai fait trente ans à l'usine, dont vingt aux hauts-fourneaux. Denain, c'était l'acier.",
                ),
                (
                    "Gérard L.",
                    "En décembre soixante-dix-huit, on a appris le plan. Des milliers d'emplois supprimés, comme ça, d'un coup.",
                ),
                (
                    "Gérard L.",
                    "En soixante-dix-neuf, toute la ville était dans la rue. Les commerçants baissaient le rideau avec nous.",
                ),
                (
                    "Gérard L.",
                    "Le jour où le dernier haut-fourneau s'est arrêté, il y avait un silence. On n'avait jamais entendu Denain comme ça.",
                ),
                (
                    "Gérard L.",
                    "Après, mon fils est parti à Dunkerque. Moi, je suis resté avec le silence.",
                ),
            ),
        ),
        Recording(
            "demo-026",
            "ogg",
            "La chorale polonaise",
            {"Stanislas K.": Voice("fr+m2", 157, 40)},
            (
                (
                    "Stanislas K.",
                    "Mes parents sont arrivés de Pologne en vingt-trois, par la Westphalie. Mon père était mineur, de père en fils.",
                ),
                (
                    "Stanislas K.",
                    "Le dimanche, il y avait la messe en polonais. L'aumônier venait exprès, et on chantait fort, très fort.",
                ),
                (
                    "Stanislas K.",
                    "J'étais dans la chorale. Pour la Sainte-Barbe, on portait l'écharpe rouge et blanche.",
                ),
                (
                    "Stanislas K.",
                    "Ma mère faisait des pierogi pour toute la rue. Les voisins français disaient : les raviolis polonais.",
                ),
                (
                    "Stanislas K.",
                    "Aujourd'hui je chante encore, mais en français. Et à la Sainte-Barbe, je pense à mon père.",
                ),
            ),
        ),
        Recording(
            "demo-030",
            "wav",
            "Le tampon vert",
            {"Ahmed B.": Voice("fr+m4", 172, 42)},
            (
                (
                    "Ahmed B.",
                    "En soixante-quatorze, un recruteur des Houillères est venu dans mon village, dans le Souss.",
                ),
                (
                    "Ahmed B.",
                    "Il regardait nos mains, nos dents, nos épaules. Un tampon vert sur la poitrine, c'était bon.",
                ),
                (
                    "Ahmed B.",
                    "J'ai fait dix ans au fond. Après, le bâtiment, et à cinquante ans, l'usine de voitures, ici.",
                ),
                (
                    "Ahmed B.",
                    "Mes enfants sont nés ici. Eux, ils disent : on est d'Onnaing. Et c'est vrai.",
                ),
            ),
        ),
        Recording(
            "demo-034",
            "opus",
            "Trente-cinq jours en mars 1963",
            {"Rémi": Voice("fr+m7", 160, 40)},
            (
                (
                    "Rémi",
                    "En mars soixante-trois, on s'est mis en grève. Trente-cinq jours. Les gens de la ville nous apportaient à manger.",
                ),
                (
                    "Rémi",
                    "Les paysans donnaient des pommes de terre, les commerçants faisaient crédit. Il y avait des soupes populaires.",
                ),
                (
                    "Rémi",
                    "Mon oncle, lui, voulait reprendre. On ne s'est plus parlé pendant des années.",
                ),
                (
                    "Rémi",
                    "À la fin, on a eu une augmentation. Mais dans la famille, la fracture est restée.",
                ),
            ),
        ),
    )
}


# --- Photos -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PhotoDef:
    """A drawn photo and the EXIF a phone or scanner would have left in it."""

    path: str
    scene: str
    camera: tuple[str, str] | None = None
    taken_at: str | None = None
    owner: str | None = None
    gps: tuple[float, float, float] | None = None  # lat, lon, altitude in metres
    orientation: int = 1


PHOTOS: list[PhotoDef] = [
    PhotoDef(
        "media/photo-001.jpg",
        "chevalement",
        ("samsung", "SM-A536B"),
        "2024:10:13 17:42:10",
        "Karim",
        (50.36092, 3.48057, 38.0),
    ),
    PhotoDef("media/photo-002.jpg", "ducasse", ("EPSON", "Perfection V39")),
    PhotoDef("media/photo-003.jpg", "ecole"),
    PhotoDef(
        "media/photo-004.jpg",
        "immeubles",
        ("Google", "Pixel 6a"),
        "2022:05:21 11:03:44",
        "Thomas",
        (50.46312, 3.96533, 61.0),
    ),
    PhotoDef("media/photo-005.jpg", "epicerie"),
    PhotoDef(
        "media/photo-006.jpg",
        "canal",
        ("Apple", "iPhone 12"),
        "2024:10:02 08:17:31",
        "Pieter",
        (50.46958, 3.94741, 33.0),
    ),
    PhotoDef("media/photo-007.jpg", "gare"),
    PhotoDef(
        "media/photo-008.jpg", "bouteille", ("Canon", "Canon EOS 250D"), "2025:01:18 15:26:02"
    ),
    PhotoDef("media/photo-009.jpg", "terril", ("samsung", "SM-G991B"), "2024:07:06 16:55:12"),
    PhotoDef(
        "media/photo-010.jpg",
        "marche",
        ("Apple", "iPhone SE (2nd generation)"),
        "2025:03:08 09:41:27",
        orientation=6,
    ),
    PhotoDef("media/photo-011.jpg", "corons"),
    PhotoDef("media/photo-012.jpg", "hauts_fourneaux", ("Nikon", "Coolscan V ED")),
    PhotoDef("media/photo-013.jpg", "eglise", ("Xiaomi", "Redmi Note 11"), "2024:04:14 11:48:03"),
    PhotoDef("media/photo-014.jpg", "stade"),
]


# --- Stories ------------------------------------------------------------------------------------


def _md(text: str) -> str:
    return "\n".join(line.strip() for line in text.strip().splitlines())


def _audio(story_id: str, caption: str) -> list[dict]:
    return [{"path": RECORDINGS[story_id].audio_path, "caption": caption}]


def _photo(number: int, caption: str, alt: str) -> list[dict]:
    return [{"path": f"media/photo-{number:03d}.jpg", "caption": caption, "alt": alt}]


STORIES: list[dict] = [
    {
        "id": "demo-001",
        "title": "Le chevalement à la fenêtre",
        "summary": "Marcel a grandi face au chevalement de la fosse Dutemple. Son père y est descendu jusqu'à l'arrêt de mai 1940 ; la tour de béton, elle, est restée.",
        "body": _md("""
            Marcel est né en 1931 dans une maison de la cité, à deux rues du carreau de la **fosse Dutemple**. De la fenêtre de la cuisine, on voyait le chevalement de béton construit après la Grande Guerre, et les molettes qui tournaient quand la cage remontait.

            Son père était mineur de fond. Il partait avant l'aube avec son *briquet* — le casse-croûte, dans sa boîte en fer — et sa lampe. Le 18 mai 1940, en pleine débâcle, la fosse a cessé d'extraire. Elle n'a jamais repris : le père de Marcel a fini sa carrière dans une autre fosse du Valenciennois, qu'il rejoignait à vélo.

            > « Le chevalement, lui, il est resté. On l'a gardé comme on garde une photo. »

            Le puits a été comblé à la fin des années 1940 et le carreau est devenu un jardin public. Le chevalement est inscrit aux monuments historiques depuis 1992 et fait partie du Bassin minier inscrit au patrimoine mondial en 2012. Marcel y passe encore presque chaque jour.

            *Entretien enregistré à l'atelier mémoire du centre social, mars 2025.*
        """),
        "kind": "oral_history",
        "narrators": [narrator("Marcel D.", 1930)],
        "period": {"start": 1936, "end": 1949},
        "recorded_on": "2025-03-14",
        "language": "fr",
        "themes": ["mine", "famille", "logement"],
        "places": places("Chevalement de la fosse Dutemple", told=("Centre social Dutemple",)),
        "media": _audio(
            "demo-001", "Entretien avec Marcel D., atelier mémoire, mars 2025 (extrait)."
        ),
        "transcript": RECORDINGS["demo-001"].transcript_path,
        "visibility": "public",
        "status": "published",
        "consent": consent("Marcel D.", "signed_form", precision="exact"),
        "licence": LICENCE,
    },
    {
        "id": "demo-002",
        "title": "Le chevalement de la fosse Dutemple aujourd'hui",
        "summary": "Photo prise un soir d'octobre depuis l'allée du jardin public : le chevalement de béton de 1920, dernier vestige de la fosse.",
        "body": _md("""
            Karim habite le quartier depuis 2009. Il a pris cette photo un dimanche d'octobre, à l'heure où le soleil passe derrière les maisons de la rue voisine.

            Le chevalement de la fosse Dutemple est en **béton armé**. Il a été bâti en 1920 sur le modèle des chevalements métalliques, après la destruction des installations pendant la Première Guerre mondiale. C'est le dernier chevalement en béton des anciennes mines d'Anzin encore debout.

            « Les enfants demandent toujours à quoi servaient les roues, en haut. Je leur explique : c'est là que passaient les câbles qui descendaient les hommes, à des centaines de mètres sous nos pieds. »

            Le carreau de la fosse est devenu un jardin de promenade. Le centre social y a organisé une visite racontée par d'anciens du quartier, dont Marcel, qui a grandi face au chevalement.
        """),
        "kind": "photo",
        "narrators": [narrator("Karim", 1980)],
        "period": {"start": 2024, "end": 2024},
        "recorded_on": "2024-10-20",
        "language": "fr",
        "themes": ["mine"],
        "places": places("Chevalement de la fosse Dutemple"),
        "media": _photo(
            1,
            "Le chevalement de la fosse Dutemple, vu depuis l'allée du jardin, octobre 2024.",
            "Un chevalement en béton à quatre pieds, surmonté de deux grandes roues, se découpe sur un ciel de fin d'après-midi ; au premier plan, une pelouse, un banc et une allée où marchent un adulte et un enfant.",
        ),
        "visibility": "public",
        "status": "published",
        "consent": consent("Karim", "online", precision="exact"),
        "licence": LICENCE,
    },
    {
        "id": "demo-003",
        "title": "Les chevaux de bois de la ducasse",
        "summary": "Chaque printemps, la ducasse s'installait dans le quartier. Sylvie se souvient du manège de chevaux de bois et du pompon qu'on attrapait pour un tour gratuit.",
        "body": _md("""
            La ducasse, c'était la fête du quartier : une fois par an, les forains arrivaient avec leurs caravanes et montaient leurs métiers sur la place. Le manège de chevaux de bois tenait le milieu, entre la baraque à frites et le tir à la carabine.

            Sylvie y allait avec sa grand-mère, qui lui donnait une pièce par tour. Le forain agitait au bout d'une perche un **pompon** ; celui qui l'attrapait gagnait un tour gratuit.

            - le lundi de la ducasse, l'école finissait plus tôt ;
            - le soir, il y avait le bal au café du coin ;
            - les gaufres venaient de la baraque de Mme Léonie, « les meilleures du Valenciennois ».

            « J'ai attrapé le pompon une seule fois, en 1974. J'étais tellement fière que j'ai fait trois tours sans descendre. »

            La photo a été prise par l'oncle de Sylvie avec un petit appareil à cartouche, au moment où les ampoules s'allumaient. Le tirage a été numérisé à l'atelier mémoire.
        """),
        "kind": "anecdote",
        "narrators": [narrator("Sylvie", 1960)],
        "period": {"text": "années 70"},
        "recorded_on": "2024-11-05",
        "language": "fr",
        "themes": ["fête", "famille"],
        "places": places("Dutemple"),
        "media": _photo(
            2,
            "Le manège de la ducasse à la tombée de la nuit, milieu des années 1970 (tirage numérisé).",
            "Un manège de chevaux de bois sous un toit rayé rouge et blanc, éclairé d'ampoules ; des guirlandes lumineuses traversent le ciel de nuit et une foule en silhouette se tient devant.",
        ),
        "visibility": "public",
        "status": "published",
        "consent": consent("Sylvie", "signed_form", precision="quartier"),
        "licence": LICENCE,
    },
    {
        "id": "demo-004",
        "title": "La sortie de l'école, 1962",
        "summary": "La sortie de l'école de garçons, photographiée depuis le trottoir d'en face par le père de Jean-Pierre, un jour de juin 1962.",
        "body": _md("""
            Jean-Pierre avait onze ans sur cette photo. Les filles avaient leur école de l'autre côté de la rue, avec une entrée séparée, et on ne se mélangeait pas dans la cour.

            Le maître tenait la porte à quatre heures et demie. Les plus grands portaient encore des culottes courtes et la blouse grise. Dans la cour, on jouait aux billes en terre et au palet avec des *gaillettes*, les morceaux de charbon ramassés le long de la voie ferrée.

            « On apprenait en français, bien sûr, mais à la maison beaucoup parlaient le patois, ou le polonais, ou l'italien. À l'école, on n'avait pas le droit. »

            Il restait trois ans à Jean-Pierre avant le certificat d'études. Le bâtiment existe toujours ; l'inscription *École de garçons* est encore gravée au-dessus de la porte, sans les accents, comme on le faisait alors.
        """),
        "kind": "photo",
        "narrators": [narrator("Jean-Pierre", 1950)],
        "period": {"start": 1962, "end": 1962},
        "recorded_on": "2025-02-11",
        "language": "fr",
        "themes": ["école", "famille"],
        "places": places("Ancienne école de garçons Dutemple"),
        "media": _photo(
            3,
            "La sortie de l'école de garçons, juin 1962 (photo de famille).",
            "Photographie sépia : façade d'une école en brique à deux niveaux, avec une horloge au fronton et l'inscription ECOLE DE GARCONS ; des garçons sortent par la porte centrale, un adulte les regarde.",
        ),
        "visibility": "public",
        "status": "published",
        "consent": consent("Jean-Pierre", "signed_form", precision="exact"),
        "licence": LICENCE,
    },
    {
        "id": "demo-005",
        "title": "La clé d'Épinlieu",
        "summary": "Josée raconte l'arrivée de sa famille dans un appartement neuf du domaine d'Épinlieu en 1974 : une salle de bain, des voisins de partout, des enfants dehors jusqu'au soir.",
        "body": _md("""
            Le domaine d'Épinlieu a été construit à partir de 1967, d'abord pour loger du personnel du SHAPE, le quartier général militaire installé près de Mons, avant de devenir un quartier de logements sociaux.

            Josée y est arrivée en 1974 avec son mari et leurs trois enfants. Avant, la famille vivait à cinq dans deux pièces à Cuesmes, avec la toilette au fond de la cour. L'appartement d'Épinlieu, au deuxième étage, avait une salle de bain et le chauffage central.

            Elle décrit un quartier très mélangé — familles italiennes, espagnoles, marocaines, turques et montoises — où les mères se parlaient d'un balcon à l'autre et où les enfants jouaient dehors jusqu'à la nuit.

            Le domaine fait aujourd'hui l'objet d'une grande opération de démolition et de reconstruction. Josée en parle avec des sentiments mêlés : « C'est bien pour les jeunes. Mais j'ai pleuré quand j'ai vu le trou. »

            *Recueilli à la maison de quartier d'Épinlieu, janvier 2025.*
        """),
        "kind": "oral_history",
        "narrators": [narrator("Josée", 1940)],
        "period": {"start": 1974, "end": 1985},
        "recorded_on": "2025-01-23",
        "language": "fr",
        "themes": ["logement", "famille", "migration"],
        "places": places("Epinlieu", told=("Maison de quartier d'Epinlieu",)),
        "media": _audio(
            "demo-005",
            "Entretien avec Josée, maison de quartier d'Épinlieu, janvier 2025 (extrait).",
        ),
        "transcript": RECORDINGS["demo-005"].transcript_path,
        "visibility": "public",
        "status": "published",
        "consent": consent("Josée", "oral_recorded", precision="quartier"),
        "licence": LICENCE,
    },
    {
        "id": "demo-006",
        "title": "Les immeubles d'Épinlieu pendant la démolition",
        "summary": "Un bloc à moitié abattu, la pelleteuse au travail, la clôture de chantier : Thomas a photographié la démolition des immeubles où il a grandi.",
        "body": _md("""
            Thomas a grandi au quatrième étage d'un des blocs du domaine. Quand les démolitions ont commencé, il est revenu avec son téléphone et a photographié le chantier plusieurs semaines de suite.

            « On voyait les papiers peints des appartements, chacun sa couleur, comme une maison de poupée ouverte. J'ai reconnu le bleu de la chambre de ma sœur. »

            Le projet de réhabilitation prévoit des maisons et de petits immeubles à très basse consommation d'énergie, des espaces verts et des chemins pour les piétons et les vélos. Les anciens locataires ont été relogés, certains dans le quartier, d'autres ailleurs à Mons.

            Thomas a montré ses photos à l'atelier de cartographie sensible du réseau : sur la carte du quartier, il a placé à cet endroit le mot *nostalgie*, et juste à côté, *espoir*.
        """),
        "kind": "photo",
        "narrators": [narrator("Thomas", 1980)],
        "period": {"start": 2022, "end": 2022},
        "recorded_on": "2024-05-30",
        "language": "fr",
        "themes": ["logement"],
        "places": places("Epinlieu"),
        "media": _photo(
            4,
            "Démolition d'un bloc du domaine d'Épinlieu, mai 2022.",
            "Des immeubles de quatre étages aux façades claires ; l'un est à moitié démoli et ses étages ouverts laissent voir des murs de couleurs différentes. Une pelleteuse jaune et un tas de gravats, derrière une clôture de chantier.",
        ),
        "visibility": "public",
        "status": "published",
        "consent": consent("Thomas", "online", precision="street"),
        "licence": LICENCE,
    },
    {
        "id": "demo-007",
        "title": "Le camion-épicerie du mardi",
        "summary": "Dans les premières années du domaine, pas de magasin : un camion-épicerie montait deux fois par semaine. Françoise y échangeait les bouteilles consignées contre des caramels.",
        "body": _md("""
            Dans les premières années, il n'y avait presque pas de commerces au domaine. Le mardi et le vendredi, un camion-épicerie montait de la ville et s'arrêtait au bout de l'allée. Le marchand klaxonnait trois fois ; les mères descendaient avec leur filet et leur porte-monnaie.

            On y trouvait de tout : du café en grains, du savon, des boîtes de sardines, des bonbons à la pièce pour les enfants sages. Le marchand notait les ardoises dans un cahier à spirale, et on payait à la quinzaine, quand la paie tombait.

            Françoise, qui avait douze ans, était chargée de rapporter les bouteilles vides consignées. « Une bouteille rendue, c'était un caramel. J'en ramassais dans tous les halls. »

            Le camion a disparu au début des années 1980, quand un supermarché a ouvert de l'autre côté de la route. Le cahier, lui, a été retrouvé par la fille du marchand et prêté pour une exposition à la maison de quartier.
        """),
        "kind": "anecdote",
        "narrators": [narrator("Françoise", 1950)],
        "period": {"start": 1970, "end": 1982},
        "recorded_on": "2025-01-23",
        "language": "fr",
        "themes": ["commerce", "famille"],
        "places": places("Epinlieu"),
        "media": [],
        "visibility": "public",
        "status": "published",
        "consent": consent("Françoise", "signed_form", precision="quartier"),
        "licence": LICENCE,
    },
    {
        "id": "demo-008",
        "title": "De winkel van mijn moeder in Nimy",
        "summary": "Hilde vertelt over de kruidenierswinkel die haar Vlaamse ouders in 1958 in Nimy openden: Frans voor de klanten, Vlaams in de keuken.",
        "body": _md("""
            Mijn ouders kwamen in 1956 uit Geraardsbergen naar Nimy. Vader werkte eerst in de cementfabriek van Obourg, maar moeder wilde een eigen zaak. In 1958 openden ze een kleine kruidenierswinkel op de hoek van onze straat.

            Op het uithangbord stond in het Frans *Alimentation générale*, want alle klanten spraken Frans. In de winkel sprak moeder Frans met een zwaar Vlaams accent; in de keuken, achter het gordijn, was het altijd Vlaams.

            - 's morgens om zes uur bracht de bakker het brood;
            - op vrijdag verkochten we gezouten haring uit een houten ton;
            - de arbeiders kochten tabak en kauwgom voor de ploeg.

            « Veel klanten betaalden op het einde van de maand. Moeder schreef alles in een schriftje, en ze vergat nooit iemand. »

            De winkel sloot in 1972, toen de supermarkten de klanten wegnamen. Het huis staat er nog; op de gevel ziet men nog de sporen van het oude uithangbord.
        """),
        "kind": "anecdote",
        "narrators": [narrator("Hilde", 1950)],
        "period": {"start": 1958, "end": 1972},
        "recorded_on": "2024-12-04",
        "language": "nl",
        "themes": ["commerce", "migration", "famille"],
        "places": places("Nimy"),
        "media": _photo(
            5,
            "De winkel van Hildes ouders in Nimy, midden jaren zestig (familiefoto).",
            "Sepiafoto: een winkelpui met een groot uitstalraam vol blikken en potten, een gestreepte zonnewering en het opschrift ALIMENTATION GENERALE. In de deuropening staat een vrouw met een wit schort; op het trottoir staat een fiets met een mand.",
        ),
        "visibility": "public",
        "status": "published",
        "consent": consent("Hilde", "signed_form", precision="street"),
        "licence": LICENCE,
    },
    {
        "id": "demo-009",
        "title": "Het kanaal in Nimy, waar grootvaders schip lag",
        "summary": "Pieter fotografeerde het kanaal op een mistige ochtend, op de plek waar zijn grootvader, een Vlaamse binnenschipper, met zijn spits aanlegde.",
        "body": _md("""
            Mijn grootvader was binnenschipper, zoals zijn vader. Met zijn spits, de *Maria-Louisa*, voer hij in de jaren vijftig steenkool uit de Borinage naar Gent en Antwerpen. In Nimy legde hij vaak aan om te wachten op zijn lading of op zijn beurt aan de sluis.

            Mijn vader is op dat schip opgegroeid. Tijdens de week zat hij op een internaat voor schipperskinderen; in de vakantie voer hij mee. Hij vertelde dat ze aan wal in het Frans boodschappen deden, maar dat aan boord alleen West-Vlaams gesproken werd.

            Ik heb deze foto genomen op een ochtend in oktober, vanop het jaagpad. Er lag een woonboot aan de kade, ongeveer waar de spits van grootvader moet gelegen hebben.

            « Als er mist was, zei grootvader, bleven we liggen. Dan dronk hij koffie met de sluiswachter, tot de zon erdoor kwam. »
        """),
        "kind": "photo",
        "narrators": [narrator("Pieter", 1970)],
        "period": {"start": 1952, "end": 1963},
        "recorded_on": "2024-10-09",
        "language": "nl",
        "themes": ["famille", "commerce", "mine"],
        "places": places("Le canal à Nimy"),
        "media": _photo(
            6,
            "Het kanaal in Nimy op een mistige ochtend, oktober 2024.",
            "Een recht kanaal tussen twee rijen populieren verdwijnt in de mist; links een jaagpad, rechts een donkere woonboot met bloembakken. De bomen weerspiegelen in het stille water.",
        ),
        "visibility": "public",
        "status": "published",
        "consent": consent("Pieter", "online", precision="exact"),
        "licence": LICENCE,
    },
    {
        "id": "demo-010",
        "title": "Le Doudou sur les épaules de mon père",
        "summary": "Christian raconte ses premières Ducasses de Mons, au début des années 60 : la procession, la montée du car d'or et le Lumeçon vus depuis les épaules de son père.",
        "body": _md("""
            Pour Christian, comme pour beaucoup de Montois, l'année commence au **Doudou**, le week-end de la Trinité. Son père, cheminot, habitait Nimy ; il l'emmenait dès six heures du matin pour trouver une place sur la Grand-Place.

            Il raconte la procession, puis la montée du **car d'or** dans la rue en pente qui mène à la collégiale Sainte-Waudru : la foule pousse le char, qui doit monter d'un seul élan, sinon, dit la tradition, un malheur arrive à la ville.

            Le dimanche midi vient le Lumeçon, le combat de saint Georges contre le dragon. Christian a passé son enfance à essayer d'attraper un crin de la queue du dragon, qui porte bonheur. Il n'en a jamais eu ; son fils en a attrapé un en 1995 et le garde dans son portefeuille.

            La Ducasse de Mons fait partie des géants et dragons processionnels de Belgique et de France reconnus par l'UNESCO en 2005.

            *Enregistré à la maison de quartier de Nimy, juin 2024.*
        """),
        "kind": "oral_history",
        "narrators": [narrator("Christian", 1950)],
        "period": {"text": "années 60"},
        "recorded_on": "2024-06-12",
        "language": "fr",
        "themes": ["fête", "religion", "famille"],
        "places": places(
            "Grand-Place de Mons", "Collégiale Sainte-Waudru", told=("Maison de quartier de Nimy",)
        ),
        "media": _audio(
            "demo-010", "Entretien avec Christian, maison de quartier de Nimy, juin 2024 (extrait)."
        ),
        "transcript": RECORDINGS["demo-010"].transcript_path,
        "visibility": "public",
        "status": "published",
        "consent": consent("Christian", "oral_recorded", precision="exact"),
        "licence": LICENCE,
    },
    {
        "id": "demo-011",
        "title": "Des noms d'oiseaux sur les immeubles",
        "summary": "Nadia a grandi allée des Oiseaux dans les années 80. Elle raconte l'école aux douze pays et la transformation du quartier en « Île aux Oiseaux ».",
        "body": _md("""
            Nadia est arrivée allée des Oiseaux à six ans, en 1982. Ses parents venaient de Tétouan ; son père travaillait dans le bâtiment. Les immeubles portaient tous des noms d'oiseaux, et les enfants se donnaient rendez-vous au pied de l'un ou de l'autre.

            Elle garde un souvenir précis de l'école : une institutrice avait accroché au mur de la classe une carte du monde, avec une étiquette au prénom de chaque élève sur son pays. Il y en avait douze.

            Dans les années 2000, le quartier a été profondément transformé : logements rénovés, maisons basse énergie et logements passifs, un étang, des aires de jeux et une crèche. Le nouveau nom, *l'Île aux Oiseaux*, a d'abord fait sourire les habitants.

            Aujourd'hui, la fille de Nadia va à la crèche du quartier. « Elle chauffe presque toute seule », dit Nadia en riant.
        """),
        "kind": "oral_history",
        "narrators": [narrator("Nadia", 1970)],
        "period": {"start": 1982, "end": 2011},
        "recorded_on": "2024-09-26",
        "language": "fr",
        "themes": ["école", "logement", "famille", "migration"],
        "places": places("L'Île aux Oiseaux", told=("Maison de quartier de l'Allée des Oiseaux",)),
        "media": _audio(
            "demo-011",
            "Entretien avec Nadia, maison de quartier de l'Allée des Oiseaux, septembre 2024 (extrait).",
        ),
        "transcript": RECORDINGS["demo-011"].transcript_path,
        "visibility": "public",
        "status": "published",
        "consent": consent("Nadia", "oral_recorded", precision="quartier"),
        "licence": LICENCE,
    },
    {
        "id": "demo-012",
        "title": "Le tournoi de mini-foot entre les blocs",
        "summary": "Chaque été des années 90, les grands du quartier organisaient un tournoi sur le terrain en béton entre deux immeubles, avec des buts en palettes et un arbitre à la retraite.",
        "body": _md("""
            Chaque été, de 1993 à 1999 à peu près, les grands du quartier organisaient un tournoi de mini-foot sur le terrain en béton entre deux blocs. Les buts étaient faits avec des palettes, les lignes tracées à la craie, et l'arbitre était toujours le même : M. Antonio, un retraité qui avait joué en troisième division en Italie — du moins, c'est ce qu'il disait.

            Les équipes portaient le nom de leur immeuble. Les coupes en plastique venaient du marché, et la finale se jouait le 21 juillet, jour de la fête nationale, sous les encouragements des mamans installées sur des chaises de cuisine.

            « On était douze nationalités sur le terrain, mais une seule équipe quand on jouait contre le quartier d'à côté. »

            Kévin a gardé le fanion de l'édition 1996, qu'il a apporté à l'atelier mémoire. Le terrain a disparu pendant la rénovation, remplacé par une aire de jeux.
        """),
        "kind": "anecdote",
        "narrators": [narrator("Kévin", 1980)],
        "period": {"text": "années 90"},
        "recorded_on": "2024-09-26",
        "language": "fr",
        "themes": ["sport", "fête"],
        "places": places("L'Île aux Oiseaux"),
        "media": [],
        "visibility": "public",
        "status": "published",
        "consent": consent("Kévin", "signed_form", precision="quartier"),
        "licence": LICENCE,
    },
    {
        "id": "demo-013",
        "title": "Mijn vader, spoorman in Bergen",
        "summary": "Annie vertelt over haar vader, die in 1950 uit Ronse naar Bergen kwam om bij de spoorwegen te werken, en over opgroeien tussen twee talen.",
        "body": _md("""
            Annie werd in 1946 geboren in Ronse. In 1950 kreeg haar vader een vaste betrekking bij de spoorwegen, in het station van Bergen, en het gezin verhuisde naar een huis vlak bij de sporen, in de stationswijk.

            Thuis werd Vlaams gesproken, op straat en op school alles in het Frans. Annie leerde Frans op de speelplaats, « in drie maanden, zoals kinderen dat doen ».

            Haar vader werkte in ploegen, ook 's nachts. Ze herinnert zich de geur van kolen en stoom aan zijn jas, en de zondagen waarop hij haar meenam naar de perrons om naar de locomotieven te kijken — « maar niet te dichtbij ».

            Annie is in Bergen gebleven en werkte later zelf aan het loket van het station. « Ik droom in het Frans, maar ik tel nog altijd in het Vlaams. »

            *Opgenomen in het buurthuis van de stationswijk, november 2024.*
        """),
        "kind": "oral_history",
        "narrators": [narrator("Annie", 1940)],
        "period": {"start": 1950, "end": 1965},
        "recorded_on": "2024-11-19",
        "language": "nl",
        "themes": ["chemin de fer", "migration", "famille"],
        "places": places("Gare de Mons", told=("Maison de quartier de la Gare",)),
        "media": _audio(
            "demo-013",
            "Gesprek met Annie, buurthuis van de stationswijk, november 2024 (fragment).",
        ),
        "transcript": RECORDINGS["demo-013"].transcript_path,
        "visibility": "public",
        "status": "published",
        "consent": consent("Annie", "oral_recorded", precision="quartier"),
        "licence": LICENCE,
    },
    {
        "id": "demo-014",
        "title": "La gare de Mons dans les années 50",
        "summary": "Le parvis de la gare de Mons photographié par un amateur au milieu des années 50 : voyageurs, valises et autobus.",
        "body": _md("""
            Cette photo vient d'un album de famille confié par Bernard, dont l'oncle était photographe amateur et membre d'un club photo montois. Elle montre le parvis de la gare un matin de semaine, au milieu des années 1950.

            On reconnaît les grandes baies vitrées du hall, l'horloge que tout le monde regardait en courant, l'autobus qui attend les voyageurs pour le Borinage. Les hommes portent le chapeau, les femmes le manteau long ; un enfant tient la main de sa mère, une petite valise à ses pieds.

            « Mon oncle disait qu'une gare, c'est le seul endroit où tout le monde est pressé et où personne ne se dispute. »

            Le bâtiment de la photo n'existe plus : la gare a été entièrement reconstruite depuis. C'est pour cela que Bernard a voulu que l'image rejoigne l'archive du quartier.
        """),
        "kind": "photo",
        "narrators": [narrator("Bernard", 1940)],
        "period": {"text": "années 50"},
        "recorded_on": "2024-11-19",
        "language": "fr",
        "themes": ["chemin de fer"],
        "places": places("Gare de Mons"),
        "media": _photo(
            7,
            "Le parvis de la gare de Mons, milieu des années 1950 (album de famille).",
            "Photographie sépia : façade d'une gare avec une horloge et de grandes baies vitrées, un autobus arrondi garé à droite, des voyageurs avec des valises sur le parvis.",
        ),
        "visibility": "public",
        "status": "published",
        "consent": consent("Bernard", "signed_form", precision="exact"),
        "licence": LICENCE,
    },
    {
        "id": "demo-015",
        "title": "Le café des cheminots",
        "summary": "De 1962 à 1975, les parents de Micheline ont tenu un café en face de la gare, ouvert de la première équipe au dernier train.",
        "body": _md("""
            De 1962 à 1975, les parents de Micheline ont tenu un café en face de la gare. Il ouvrait à cinq heures du matin pour les cheminots de la première équipe et fermait après le dernier train de Bruxelles.

            Le matin, on servait le café arrosé ; le midi, les ouvriers du dépôt mangeaient leurs tartines au comptoir avec une bière. Il y avait un billard, un jeu de fléchettes et, au mur, l'horaire des trains recopié à la main par son père à chaque changement de service.

            Micheline faisait ses devoirs sur une table du fond. Elle a appris les gares de la ligne en écoutant les conversations : Jemappes, Quaregnon, Saint-Ghislain, Boussu, Quiévrain…

            « Quand un train avait du retard, le café se remplissait. Mon père disait que les chemins de fer étaient son meilleur fournisseur de clients. »
        """),
        "kind": "anecdote",
        "narrators": [narrator("Micheline", 1940)],
        "period": {"start": 1962, "end": 1975},
        "recorded_on": "2024-11-19",
        "language": "fr",
        "themes": ["commerce", "chemin de fer", "famille"],
        "places": places("La Gare"),
        "media": [],
        "visibility": "public",
        "status": "published",
        "consent": consent("Micheline", "signed_form", precision="quartier"),
        "licence": LICENCE,
    },
    {
        "id": "demo-016",
        "title": "Van Poperinge naar Jemappes",
        "summary": "Jozef vertelt hoe zijn grootouders in 1923 uit de streek van Poperinge naar Jemappes kwamen, waar zijn grootvader in de koolmijn ging werken.",
        "body": _md("""
            Tussen de twee wereldoorlogen trokken duizenden Vlaamse gezinnen naar de Waalse industriebekkens. Ook de grootouders van Jozef: in 1923 verlieten ze een pachtboerderijtje in de streek van Poperinge, waar er na de oorlog geen werk meer was.

            Zijn grootvader vond werk in een koolmijn van de Borinage, zonder een woord Frans te spreken. Het gezin huurde een klein huis in Jemappes, dicht bij de vaart. Grootmoeder hield er geiten en konijnen, zoals op de boerderij.

            De Walen noemden de nieuwkomers *les Flamins*, en dat was niet altijd vriendelijk bedoeld. Toch trouwde Jozefs vader later met een meisje uit Jemappes. Thuis werd het Vlaams, op straat het Frans, en in de mijn « een beetje van alles ».

            *Opgenomen in het buurthuis van Jemappes, februari 2025. Jozef sprak Nederlands: hij wilde dat zijn kleinkinderen de taal van zijn grootouders zouden horen.*
        """),
        "kind": "oral_history",
        "narrators": [narrator("Jozef V.", 1930)],
        "period": {"start": 1923, "end": 1940},
        "recorded_on": "2025-02-06",
        "language": "nl",
        "themes": ["migration", "mine", "famille"],
        "places": places("Jemappes", told=("Maison de quartier de Jemappes",)),
        "media": _audio(
            "demo-016", "Gesprek met Jozef V., buurthuis van Jemappes, februari 2025 (fragment)."
        ),
        "transcript": RECORDINGS["demo-016"].transcript_path,
        "visibility": "public",
        "status": "published",
        "consent": consent("Jozef V.", "oral_recorded", precision="quartier"),
        "licence": LICENCE,
    },
    {
        "id": "demo-017",
        "title": "La verrerie du bord du canal",
        "summary": "Une bouteille verte et un gobelet soufflés à la verrerie de Jemappes, gardés par la famille de Guy, racontent un siècle de verre dans le Borinage.",
        "body": _md("""
            Le verre est, avec le charbon, l'autre industrie du feu du Borinage et du Centre. Le sable, la chaux et surtout le charbon étaient sur place ; les canaux emportaient les bouteilles et le verre à vitre vers Bruxelles, Anvers et la France.

            La famille de Guy a travaillé trois générations dans une verrerie à bouteilles installée près du canal, à Jemappes. Son grand-père était **souffleur** : il cueillait le verre en fusion au bout de la canne et le soufflait dans un moule de fonte. Son père a connu l'arrivée des machines automatiques, qui ont peu à peu remplacé les souffleurs au milieu du siècle.

            La bouteille de la photo est une bouteille de rebut, à la teinte trop foncée, que les ouvriers avaient le droit de ramener chez eux. Le petit gobelet a été soufflé par le grand-père pour la communion de Guy.

            « Chez nous, on ne jetait jamais un verre. Même fêlé, il servait pour les crayons. »
        """),
        "kind": "heritage",
        "narrators": [narrator("Guy", 1940)],
        "period": {"start": 1920, "end": 1965},
        "recorded_on": "2025-02-06",
        "language": "fr",
        "themes": ["verrerie", "usine", "famille"],
        "places": places("Jemappes"),
        "media": _photo(
            8,
            "Bouteille et gobelet soufflés à la verrerie, conservés par la famille de Guy.",
            "Une bouteille de verre vert foncé, haute et arrondie aux épaules, et un petit gobelet de verre transparent, posés sur une table en bois devant un fond sombre.",
        ),
        "visibility": "public",
        "status": "published",
        "consent": consent("Guy", "signed_form", precision="quartier"),
        "licence": LICENCE,
    },
    {
        "id": "demo-018",
        "title": "Les pigeons du dimanche",
        "summary": "Dans la rue de René, chaque maison avait son colombier. Le dimanche, tout le quartier levait les yeux au ciel en attendant les pigeons.",
        "body": _md("""
            Dans la rue de René, presque chaque maison avait son colombier sous le toit. Le samedi, les hommes portaient leurs pigeons au local de la société colombophile, au café du coin, où on les enlogeait pour le concours.

            Les pigeons partaient en camion, lâchés à Noyon, à Orléans, parfois jusqu'à Bordeaux. Le dimanche commençait l'attente : tout le quartier levait les yeux. Quand un pigeon se posait, il fallait l'attraper vite, retirer la bague et la glisser dans l'horloge de constatation. Une seconde de trop pouvait coûter le premier prix.

            René avait douze ans et le droit de tenir la trappe du colombier de son père. « Mon père, qui était mineur, disait : toute la semaine je suis dessous, le dimanche je regarde au-dessus. »

            Les prix étaient modestes — une pendule, un service à café, une enveloppe — mais l'honneur était immense. La colombophilie reste une passion dans le Borinage, même si les colombiers se font plus rares.
        """),
        "kind": "anecdote",
        "narrators": [narrator("René", 1940)],
        "period": {"text": "vers 1955"},
        "recorded_on": "2025-02-06",
        "language": "fr",
        "themes": ["sport", "famille", "mine"],
        "places": places("Jemappes"),
        "media": [],
        "visibility": "public",
        "status": "published",
        "consent": consent("René", "signed_form", precision="quartier"),
        "licence": LICENCE,
    },
    {
        "id": "demo-019",
        "title": "Le terril Renard vu du faubourg",
        "summary": "Inès a photographié le terril Renard au-dessus des toits. Pour elle, c'est « la montagne de Denain ».",
        "body": _md("""
            Le terril Renard domine Denain de ses 76 mètres. Il s'est formé de 1836 à 1948 avec les schistes remontés de la fosse Renard, où Émile Zola est descendu en 1884 pour préparer *Germinal*. On le surnomme « la citadelle ».

            Inès a grandi au Faubourg Duchâteau. Enfant, elle croyait que c'était un volcan : sa grand-mère lui avait raconté que le terril « brûlait à l'intérieur », ce qui est vrai — certains terrils restent des décennies en combustion lente.

            C'est aujourd'hui un espace naturel, couvert de bouleaux et d'herbes sur ses pentes basses, et inscrit au patrimoine mondial de l'UNESCO avec le Bassin minier depuis 2012.

            « Quand je reviens à Denain en train, c'est lui que je vois en premier. Là, je sais que je suis rentrée. »
        """),
        "kind": "photo",
        "narrators": [narrator("Inès", 1990)],
        "period": {"start": 2024, "end": 2024},
        "recorded_on": "2024-07-10",
        "language": "fr",
        "themes": ["mine"],
        "places": places("Terril Renard", "Faubourg Duchâteau"),
        "media": _photo(
            9,
            "Le terril Renard au-dessus des toits, juillet 2024.",
            "Un terril conique, sombre au sommet et verdoyant sur ses pentes basses, se dresse sous un ciel bleu nuageux, derrière une rangée de maisons de brique et quelques arbres.",
        ),
        "visibility": "public",
        "status": "published",
        "consent": consent("Inès", "online", precision="exact"),
        "licence": LICENCE,
    },
    {
        "id": "demo-020",
        "title": "Le marché du samedi",
        "summary": "Un samedi matin au marché de Denain : Yasmina, qui y vend des fruits et légumes depuis vingt ans, a pris la photo depuis son étal.",
        "body": _md("""
            Yasmina tient un étal de fruits et légumes sur le marché depuis 2005. Avant, elle aidait ses parents, qui faisaient les marchés de Denain, de Douchy et de Lourches avec une camionnette.

            Le marché se tenait autrefois sur la place du Faubourg Duchâteau ; il a déménagé pendant la rénovation du quartier, quand de nouveaux logements ont été construits sur l'ancienne place. « Les anciens du faubourg viennent toujours. Ils prennent le bus exprès. »

            Elle a pris cette photo avec son téléphone, tenu à bout de bras, pendant un moment calme de la matinée :

            - les bâches rayées des marchands de tissu et des primeurs ;
            - les cagettes de tomates, d'oranges et de poivrons ;
            - les habitués qui font le tour avant de choisir.

            « Le marché, c'est le dernier endroit où tout le monde se dit bonjour. »
        """),
        "kind": "photo",
        "narrators": [narrator("Yasmina", 1970)],
        "period": {"start": 2025, "end": 2025},
        "recorded_on": "2025-03-10",
        "language": "fr",
        "themes": ["commerce"],
        "places": places("Faubourg Duchâteau"),
        "media": _photo(
            10,
            "Le marché du samedi matin, vu depuis un étal, mars 2025.",
            "Une rue de marché en perspective : des étals sous des bâches rayées rouge et blanc, vert et blanc, bleu et blanc, des cagettes de fruits colorés, des passants, et des façades de maisons de ville sous un ciel bleu.",
        ),
        "visibility": "public",
        "status": "published",
        "consent": consent("Yasmina", "online", precision="quartier"),
        "licence": LICENCE,
    },
    {
        "id": "demo-021",
        "title": "Les rues sans nom du faubourg",
        "summary": "Pendant cinquante ans, les voies du Faubourg Duchâteau n'ont pas eu de nom. On donnait son adresse par le nom de son bâtiment.",
        "body": _md("""
            Quand la famille de Daniel a emménagé au Faubourg Duchâteau en 1962, le quartier venait d'être construit : de grandes barres qui portaient des noms de provinces françaises, et entre elles, des voies… sans nom.

            Pour donner son adresse, on disait « bâtiment Anjou, escalier C », ou « derrière le Lyonnais ». Le facteur connaissait tout le monde ; les ambulances, beaucoup moins. Les enfants avaient inventé leurs propres noms : *la rue du Vent*, entre deux barres où l'on ne pouvait pas tenir un parapluie, ou *le chemin des Pommes*, le long des vergers qui restaient.

            Il a fallu attendre la grande rénovation des années 2010 pour que les rues reçoivent enfin des noms officiels, au moment où plusieurs barres étaient démolies et remplacées par des maisons et de petits immeubles.

            « J'ai habité cinquante ans dans une rue qui n'existait pas. Maintenant elle a un nom, et ma barre n'existe plus. »
        """),
        "kind": "anecdote",
        "narrators": [narrator("Daniel", 1950)],
        "period": {"start": 1962, "end": 2013},
        "recorded_on": "2025-03-10",
        "language": "fr",
        "themes": ["logement", "famille"],
        "places": places("Faubourg Duchâteau"),
        "media": [],
        "visibility": "public",
        "status": "published",
        "consent": consent("Daniel", "signed_form", precision="quartier"),
        "licence": LICENCE,
    },
    {
        "id": "demo-022",
        "title": "Du Frioul à la cité",
        "summary": "Lucia avait six ans quand elle a rejoint son père, mineur italien, dans la cité Tonini à Denain. Elle raconte le voyage, le jardin, et le prénom qu'on lui a changé à l'école.",
        "body": _md("""
            Après la guerre, la France manquait de bras pour la « bataille du charbon ». Des accords signés avec l'Italie en 1946 et 1947 ont fait venir des dizaines de milliers de travailleurs italiens dans les mines du Nord et de la Lorraine.

            Le père de Lucia est arrivé du Frioul en 1947. Sa femme et ses deux filles l'ont rejoint deux ans plus tard, en train, avec une valise en carton. Lucia se souvient de sa mère qui pleurait à la frontière.

            La maison de la cité était petite, mais elle avait un jardin : le père y a planté des tomates et même un pied de vigne. Le premier hiver, des voisins polonais leur ont apporté du charbon. « On ne parlait pas la même langue, mais on s'est compris. »

            À l'école, l'institutrice a francisé son prénom : elle est devenue Lucie. « À la maison, je suis restée Lucia. »

            *Enregistré au centre social du Faubourg Duchâteau, avril 2025.*
        """),
        "kind": "oral_history",
        "narrators": [narrator("Lucia", 1940)],
        "period": {"start": 1947, "end": 1955},
        "recorded_on": "2025-04-08",
        "language": "fr",
        "themes": ["migration", "mine", "famille", "école"],
        "places": places("Tonini", told=("Centre social du Faubourg Duchâteau",)),
        "media": _audio(
            "demo-022",
            "Entretien avec Lucia, centre social du Faubourg Duchâteau, avril 2025 (extrait).",
        ),
        "transcript": RECORDINGS["demo-022"].transcript_path,
        "visibility": "public",
        "status": "published",
        "consent": consent("Lucia", "signed_form", precision="quartier"),
        "licence": LICENCE,
    },
    {
        "id": "demo-023",
        "title": "Les corons de la cité, vers 1955",
        "summary": "Une rue de la cité photographiée vers 1955 : les maisons de brique alignées, une cheminée sur chaque mur mitoyen, les enfants dans la rue.",
        "body": _md("""
            Cette photo a été retrouvée dans une boîte à biscuits par Colette, qui a grandi dans la cité. Elle pense qu'elle a été prise vers 1955 par un voisin qui venait d'acheter un appareil à la foire de Lille.

            On y voit la rue principale de la cité : deux longues rangées de maisons de brique identiques, portes et fenêtres qui alternent, une cheminée sur chaque mur mitoyen. Les trottoirs étaient balayés chaque samedi et les seuils lavés à grande eau.

            « Toutes les maisons étaient pareilles, mais on reconnaissait la sienne les yeux fermés : au bruit de la porte, à l'odeur de la cuisine. »

            Derrière chaque maison, un jardin et une petite remise pour les lapins et le charbon. Les maisons ont été rénovées dans les années 2000 ; les façades sont restées les mêmes.
        """),
        "kind": "photo",
        "narrators": [narrator("Colette", 1940)],
        "period": {"text": "vers 1955"},
        "recorded_on": "2025-04-08",
        "language": "fr",
        "themes": ["logement", "mine"],
        "places": places("Tonini"),
        "media": _photo(
            11,
            "Une rue de la cité minière, vers 1955 (photo de famille).",
            "Photographie sépia : une longue rue pavée bordée de deux rangées de maisons basses en brique, identiques, avec une cheminée sur chaque mur mitoyen ; une femme et deux enfants marchent au milieu de la rue.",
        ),
        "visibility": "public",
        "status": "published",
        "consent": consent("Colette", "signed_form", precision="quartier"),
        "licence": LICENCE,
    },
    {
        "id": "demo-024",
        "title": "Le silence des hauts-fourneaux",
        "summary": "Gérard a passé trente ans à l'usine sidérurgique de Denain. Il raconte l'annonce de décembre 1978, la ville dans la rue, et le silence après l'arrêt des hauts-fourneaux.",
        "body": _md("""
            Denain a été pendant plus d'un siècle une ville de l'acier : les forges, puis Usinor, employaient des milliers de personnes, et toute la ville vivait au rythme des hauts-fourneaux.

            Gérard y est entré en 1950, à seize ans. Il a fait vingt ans aux hauts-fourneaux, puis à l'entretien. En décembre 1978, le plan de restructuration de la sidérurgie annonce la suppression de milliers d'emplois dans le bassin. En 1979, la ville entière descend dans la rue : ouvriers, commerçants, enseignants, familles.

            Gérard se souvient surtout du jour où le dernier haut-fourneau s'est arrêté : « Il y avait un silence. On n'avait jamais entendu Denain comme ça. »

            Son fils est parti travailler à Dunkerque ; lui est resté. Il fait partie de ceux qui veulent que la mémoire de l'usine soit transmise aux jeunes du Denaisis.
        """),
        "kind": "oral_history",
        "narrators": [narrator("Gérard L.", 1930)],
        "period": {"start": 1978, "end": 1980},
        "recorded_on": "2025-04-08",
        "language": "fr",
        "themes": ["usine"],
        "places": places(
            "Usinor Denain (ancien site)", told=("Centre social du Faubourg Duchâteau",)
        ),
        "media": _audio(
            "demo-024",
            "Entretien avec Gérard L., centre social du Faubourg Duchâteau, avril 2025 (extrait).",
        ),
        "transcript": RECORDINGS["demo-024"].transcript_path,
        "visibility": "public",
        "status": "published",
        "consent": consent("Gérard L.", "signed_form", precision="exact"),
        "licence": LICENCE,
    },
    {
        "id": "demo-025",
        "title": "Les hauts-fourneaux d'Usinor en 1976",
        "summary": "Une diapositive prise en 1976 depuis la route : les hauts-fourneaux de Denain au soleil couchant, deux ans avant l'annonce de la fermeture.",
        "body": _md("""
            Alain avait vingt ans et un appareil reflex acheté avec sa première paie. Un soir de septembre 1976, il s'est arrêté au bord de la route pour photographier l'usine où travaillaient son père et ses deux oncles.

            La diapositive montre les hauts-fourneaux et leurs cowpers — les hautes tours qui chauffaient l'air soufflé dans le fourneau —, les cheminées, la fumée, les lumières du poste de nuit qui s'allument.

            « Je voulais juste une belle photo du coucher de soleil. Je ne savais pas que je photographiais la fin de quelque chose. »

            Deux ans plus tard, le plan de restructuration de la sidérurgie condamnait l'usine. Les installations ont été démolies dans les années 1980 et il ne reste presque rien du site. La diapositive a été numérisée lors d'un atelier du réseau, avec une centaine d'autres.
        """),
        "kind": "photo",
        "narrators": [narrator("Alain", 1950)],
        "period": {"start": 1976, "end": 1976},
        "recorded_on": "2024-12-03",
        "language": "fr",
        "themes": ["usine"],
        "places": places("Usinor Denain (ancien site)"),
        "media": _photo(
            12,
            "Les hauts-fourneaux d'Usinor Denain au coucher du soleil, septembre 1976 (diapositive numérisée).",
            "Silhouettes sombres de deux hauts-fourneaux, de tours cylindriques et de cheminées devant un ciel orange et violet ; des lumières orange brillent au pied des installations et des wagons passent au premier plan.",
        ),
        "visibility": "public",
        "status": "published",
        "consent": consent("Alain", "signed_form", precision="exact"),
        "licence": LICENCE,
    },
    {
        "id": "demo-026",
        "title": "La chorale polonaise",
        "summary": "Fils de mineurs polonais arrivés par la Westphalie, Stanislas raconte la messe en polonais, la chorale de la Sainte-Barbe et les pierogi de sa mère.",
        "body": _md("""
            Dans les années 1920, les compagnies minières du Nord ont recruté des dizaines de milliers de mineurs polonais, dont beaucoup avaient déjà travaillé dans les mines de Westphalie, en Allemagne. Les parents de Stanislas sont de ceux-là : ils arrivent à Vieux-Condé en 1923.

            La communauté polonaise avait ses associations, ses fanfares, son aumônier qui venait célébrer la messe en polonais. Stanislas a chanté dans la chorale dès l'âge de huit ans. Le 4 décembre, pour la **Sainte-Barbe**, patronne des mineurs, les choristes portaient l'écharpe rouge et blanche.

            Sa mère faisait des *pierogi* pour toute la rue ; les voisins français les appelaient « les raviolis polonais ». Stanislas a grandi entre les deux langues et a travaillé au fond, comme son père.

            Aujourd'hui il chante encore, dans une chorale paroissiale, en français.
        """),
        "kind": "oral_history",
        "narrators": [narrator("Stanislas K.", 1930)],
        "period": {"start": 1936, "end": 1955},
        "recorded_on": "2024-12-04",
        "language": "fr",
        "themes": ["migration", "religion", "mine"],
        "places": places("Église de Vieux-Condé"),
        "media": _audio(
            "demo-026", "Entretien avec Stanislas K., Vieux-Condé, décembre 2024 (extrait)."
        ),
        "transcript": RECORDINGS["demo-026"].transcript_path,
        "visibility": "public",
        "status": "published",
        "consent": consent("Stanislas K.", "oral_recorded", precision="exact"),
        "licence": LICENCE,
    },
    {
        "id": "demo-027",
        "title": "L'église de Vieux-Condé, un dimanche matin",
        "summary": "Agnieszka, arrière-petite-fille de mineurs polonais, a photographié l'église où sa famille est baptisée depuis quatre générations.",
        "body": _md("""
            « Mon arrière-grand-père a été baptisé en Pologne, mais mon grand-père, mon père, moi et mon fils, nous avons tous été baptisés ici. » Agnieszka a pris cette photo un dimanche matin de printemps, à la sortie de la messe.

            Pendant des décennies, la paroisse a accueilli une messe en polonais. On y chantait les cantiques de Noël polonais, les *kolędy*, et l'on y bénissait les paniers de Pâques le Samedi saint — une tradition que la famille d'Agnieszka perpétue toujours.

            Elle a voulu que la photo rejoigne l'archive à côté du récit de Stanislas, qui a chanté dans la chorale polonaise de la paroisse : « C'est le même bâtiment, mais on n'y entend plus les mêmes chants. Il faut que quelqu'un s'en souvienne. »
        """),
        "kind": "photo",
        "narrators": [narrator("Agnieszka", 1980)],
        "period": {"start": 2024, "end": 2024},
        "recorded_on": "2024-04-20",
        "language": "fr",
        "themes": ["religion", "migration", "famille"],
        "places": places("Église de Vieux-Condé"),
        "media": _photo(
            13,
            "L'église de Vieux-Condé à la sortie de la messe, printemps 2024.",
            "Une église de brique rouge avec un clocher pointu en ardoise et une rosace au-dessus du portail ; des fidèles sortent sur le parvis, entre des arbres, sous un ciel bleu.",
        ),
        "visibility": "public",
        "status": "published",
        "consent": consent("Agnieszka", "online", precision="exact"),
        "licence": LICENCE,
    },
    {
        "id": "demo-028",
        "title": "La pêche au bord de l'Escaut",
        "summary": "Le dimanche, le grand-père de Jacky, ancien mineur, l'emmenait pêcher au bord de l'Escaut : « le contraire de la fosse ».",
        "body": _md("""
            Le dimanche, quand il ne travaillait pas, le grand-père de Jacky l'emmenait pêcher au bord de l'Escaut. Ils partaient à bicyclette avant le lever du jour, les cannes attachées au cadre, avec une musette pour le casse-croûte et une boîte d'asticots.

            On pêchait le gardon, la brème et, les bons jours, une anguille. Les péniches passaient lentement, chargées de charbon ou de sable, et les mariniers saluaient de la main.

            Le grand-père parlait peu. Il avait été mineur pendant trente-cinq ans et disait que le silence au bord de l'eau était « le contraire de la fosse ».

            « Je n'ai jamais été un bon pêcheur. Mais je reconnais le bruit d'une péniche à un kilomètre, et ça, c'est grâce à lui. »

            Jacky emmène aujourd'hui ses petits-enfants au même endroit, sur le chemin de halage.
        """),
        "kind": "anecdote",
        "narrators": [narrator("Jacky", 1950)],
        "period": {"text": "années 60"},
        "recorded_on": "2024-12-04",
        "language": "fr",
        "themes": ["famille", "sport", "mine"],
        "places": places("Bords de l'Escaut"),
        "media": [],
        "visibility": "public",
        "status": "published",
        "consent": consent("Jacky", "signed_form", precision="street"),
        "licence": LICENCE,
    },
    {
        "id": "demo-029",
        "title": "Les maisons de la cité, avant et après",
        "summary": "Depuis l'inscription du Bassin minier à l'UNESCO en 2012, les cités se rénovent. Martine raconte le chantier de sa maison, entre fierté et nostalgie.",
        "body": _md("""
            En 2012, le Bassin minier du Nord-Pas-de-Calais a été inscrit au patrimoine mondial de l'UNESCO comme *paysage culturel évolutif vivant* : fosses, terrils, cités minières, écoles et églises, témoins de trois siècles d'exploitation du charbon.

            Pour les habitants, cette reconnaissance s'est d'abord traduite par des chantiers : isolation des maisons, nouvelles menuiseries, toitures refaites, jardins réaménagés. Martine a vécu celui de sa maison de 2016 à 2017, avec quelques mois dans un logement provisoire.

            « Avant, on avait froid l'hiver, il y avait de l'humidité dans la chambre du fond. Maintenant on a chaud, la facture a baissé. Mais ils ont changé la porte, et c'était la porte de mes parents. »

            Elle a gardé la poignée en laiton de l'ancienne porte et l'a apportée à l'atelier mémoire. Pour elle, le patrimoine, « ce n'est pas seulement les briques, c'est aussi les gens qui sont dedans ».
        """),
        "kind": "heritage",
        "narrators": [narrator("Martine", 1960)],
        "period": {"start": 2012, "end": 2019},
        "recorded_on": "2024-12-04",
        "language": "fr",
        "themes": ["logement", "mine"],
        "places": places("Vieux-Condé"),
        "media": [],
        "visibility": "public",
        "status": "published",
        "consent": consent("Martine", "signed_form", precision="quartier"),
        "licence": LICENCE,
    },
    {
        "id": "demo-030",
        "title": "Le tampon vert",
        "summary": "Recruté en 1974 dans le sud du Maroc pour les Houillères, Ahmed raconte la visite de sélection, le tampon vert, dix ans au fond, puis sa vie à Onnaing.",
        "body": _md("""
            Des années 1960 au milieu des années 1970, les Houillères du bassin du Nord et du Pas-de-Calais ont recruté des dizaines de milliers de jeunes Marocains, surtout dans le Souss, au sud du pays. Les recruteurs examinaient les candidats un par un : les mains, les dents, les épaules. Un tampon vert sur la poitrine voulait dire accepté ; rouge, refusé.

            Ahmed a reçu le tampon vert en 1974. Il a travaillé dix ans au fond, avec des contrats à durée limitée renouvelés les uns après les autres. Quand les puits ont fermé, il a travaillé dans le bâtiment, puis, à cinquante ans, dans une usine automobile d'Onnaing.

            Ses enfants sont nés dans le Valenciennois. « Eux, ils disent : on est d'Onnaing. Et c'est vrai. »

            En 1980, les mineurs marocains ont fait grève pour obtenir le même statut que leurs collègues français. Ahmed en parle dans un second entretien, encore en cours de transcription.
        """),
        "kind": "oral_history",
        "narrators": [narrator("Ahmed B.", 1950)],
        "period": {"start": 1974, "end": 2012},
        "recorded_on": "2025-05-15",
        "language": "fr",
        "themes": ["migration", "mine", "usine"],
        "places": places("Onnaing", "Usine automobile d'Onnaing"),
        "media": _audio(
            "demo-030",
            "Entretien avec Ahmed B., Onnaing, mai 2025 (extrait, enregistrement téléphonique).",
        ),
        "transcript": RECORDINGS["demo-030"].transcript_path,
        "visibility": "public",
        "status": "published",
        "consent": consent("Ahmed B.", "oral_recorded", precision="quartier"),
        "licence": LICENCE,
    },
    {
        "id": "demo-031",
        "title": "Le stade, un dimanche de 1978",
        "summary": "Un match au stade municipal d'Onnaing, photographié par Patrick depuis la main courante en 1978.",
        "body": _md("""
            Le dimanche après-midi, après le repas de famille, les hommes et les enfants allaient au stade. Patrick avait seize ans en 1978 et jouait chez les juniors ; ce jour-là, il photographiait l'équipe première avec l'appareil de son père.

            L'équipe comptait des fils de mineurs français, polonais, italiens, et deux joueurs algériens qui travaillaient à l'usine. Après le match, tout le monde se retrouvait à la buvette, puis au café de la place, où l'on refaisait la partie.

            « On ne gagnait pas souvent. Mais quand on gagnait, on l'entendait jusqu'à Quarouble. »

            La photo montre la petite tribune couverte de l'autre côté du terrain, pleine de monde, et la rangée de peupliers derrière. Les peupliers ont été abattus depuis, et la tribune remplacée par un bâtiment neuf.
        """),
        "kind": "photo",
        "narrators": [narrator("Patrick", 1960)],
        "period": {"start": 1978, "end": 1978},
        "recorded_on": "2025-05-15",
        "language": "fr",
        "themes": ["sport"],
        "places": places("Stade municipal d'Onnaing"),
        "media": _photo(
            14,
            "Match au stade d'Onnaing, un dimanche de 1978.",
            "Un terrain de football vu depuis la main courante : joueurs en maillots rouges et blancs, une petite tribune couverte pleine de spectateurs au fond, une rangée de peupliers et un ciel nuageux ; quelques spectateurs au premier plan.",
        ),
        "visibility": "public",
        "status": "published",
        "consent": consent("Patrick", "signed_form", precision="exact"),
        "licence": LICENCE,
    },
    {
        "id": "demo-032",
        "title": "La faïence d'Onnaing",
        "summary": "Les pichets en barbotine d'Onnaing, en forme de têtes et d'animaux, ont fait la réputation de la faïencerie de la commune jusqu'à sa fermeture à la fin des années 1930.",
        "body": _md("""
            Au XIXe siècle et au début du XXe, Onnaing était connue bien au-delà du Valenciennois pour sa **faïencerie**. On y fabriquait de la vaisselle, mais surtout des pichets et des vases en barbotine, colorés, en forme de têtes d'hommes, de perroquets, de poissons ou de cochons, aujourd'hui recherchés par les collectionneurs.

            La grand-mère de Gisèle y a travaillé comme décoratrice à la fin des années 1920 : elle posait au pinceau les émaux sur les pièces, avant la cuisson. Elle racontait l'odeur de la terre mouillée, les mains toujours colorées, et les pièces ratées que les ouvrières rapportaient à la maison.

            La faïencerie a fermé à la fin des années 1930. Dans la famille de Gisèle, il reste un pichet en forme de tête de paysan, fêlé, recollé, que personne n'a jamais voulu vendre.

            « Ma grand-mère disait : ce n'est pas un beau pichet, c'est mon pichet. »
        """),
        "kind": "heritage",
        "narrators": [narrator("Gisèle", 1940)],
        "period": {"start": 1925, "end": 1938},
        "recorded_on": "2025-05-15",
        "language": "fr",
        "themes": ["usine", "famille"],
        "places": places("Onnaing"),
        "media": [],
        "visibility": "public",
        "status": "published",
        "consent": consent("Gisèle", "signed_form", precision="quartier"),
        "licence": LICENCE,
    },
    {
        "id": "demo-033",
        "title": "Le car de 4 h 52 pour l'usine",
        "summary": "Quand l'usine automobile a ouvert à Onnaing, Sandrine, sans permis, y allait chaque matin par le car de ramassage. Dans le car, il y avait de la fierté, même à cinq heures du matin.",
        "body": _md("""
            Quand l'usine automobile a ouvert à Onnaing au début des années 2000, Sandrine a été embauchée sur la ligne de montage. Elle habitait Vieux-Condé et n'avait pas le permis : tous les matins, elle prenait le car de ramassage de 4 h 52, à l'arrêt devant la boulangerie.

            Dans le car, toujours les mêmes visages. On dormait, on tricotait, on se passait le journal. Pour beaucoup, c'était le premier contrat stable après des années d'intérim ou de chômage, et il y avait de la fierté dans ce car, même à cinq heures du matin.

            Sandrine raconte aussi les méthodes de travail venues du Japon, les mots nouveaux qu'il a fallu apprendre, et les anciens mineurs qui disaient que « la chaîne, c'est moins dur que le fond, mais c'est plus long ».

            « Mon grand-père est descendu au fond, mon père a connu la fermeture de Denain, et moi je fais des voitures. Chacun son tour. »
        """),
        "kind": "anecdote",
        "narrators": [narrator("Sandrine", 1970)],
        "period": {"start": 2001, "end": 2009},
        "recorded_on": "2025-05-15",
        "language": "fr",
        "themes": ["usine"],
        "places": places("Usine automobile d'Onnaing"),
        "media": [],
        "visibility": "public",
        "status": "published",
        "consent": consent("Sandrine", "online", precision="exact"),
        "licence": LICENCE,
    },
    # Three stories that must never reach an anonymous visitor (tests look for their titles).
    {
        "id": "demo-034",
        "title": "Trente-cinq jours en mars 1963",
        "summary": "Rémi raconte la grande grève des mineurs de mars-avril 1963, la solidarité de la ville et la brouille durable avec un oncle qui voulait reprendre le travail.",
        "body": _md("""
            Au printemps 1963, les mineurs des Houillères se mettent en grève pour les salaires et contre les menaces sur l'emploi. Le mouvement dure trente-cinq jours, du 1er mars au début d'avril, malgré l'ordre de réquisition du gouvernement.

            Rémi avait dix-neuf ans et travaillait au fond depuis trois ans. Il raconte la solidarité autour des grévistes : les agriculteurs qui livraient des pommes de terre, les commerçants qui faisaient crédit, les soupes populaires dans les salles paroissiales et syndicales.

            Il évoque aussi une blessure familiale : un oncle qui voulait reprendre le travail, et avec qui il ne s'est plus parlé pendant des années. Les personnes citées dans l'entretien étant reconnaissables, Rémi a souhaité que son récit soit réservé aux chercheurs.

            *Entretien réservé à la recherche : consultable par les chercheurs inscrits du réseau.*
        """),
        "kind": "oral_history",
        "narrators": [narrator("Rémi", 1940, pseudonym=True)],
        "period": {"start": 1963, "end": 1963},
        "recorded_on": "2025-04-09",
        "language": "fr",
        "themes": ["mine", "famille"],
        "places": places("Faubourg Duchâteau", told=("Centre social du Faubourg Duchâteau",)),
        "media": _audio("demo-034", "Entretien avec Rémi (pseudonyme), avril 2025 (extrait)."),
        "transcript": RECORDINGS["demo-034"].transcript_path,
        "visibility": "researchers",
        "status": "published",
        "consent": consent(
            "Rémi (pseudonyme)", "signed_form", online=False, exhibition=False, precision="quartier"
        ),
        "licence": LICENCE,
    },
    {
        "id": "demo-035",
        "title": "Le carnet de paie de mon père",
        "summary": "Odile a déposé le carnet de paie de son père, mineur de 1933 à 1940 : les journées, les retenues, les amendes. Elle a choisi de le garder privé.",
        "body": _md("""
            Odile a retrouvé, dans une boîte à chaussures, le carnet de paie de son père, mineur de 1933 à 1940. Chaque quinzaine y est notée à l'encre violette : le nombre de journées, le salaire, les retenues pour le charbon et le loyer de la maison de la compagnie, et parfois une amende pour une berline mal chargée.

            Elle a souhaité déposer le carnet et son témoignage dans l'archive du réseau, sans le rendre public pour l'instant : certaines pages parlent d'un accident et d'une maladie que la famille préfère garder pour elle.

            « Je veux qu'il soit en lieu sûr. Plus tard, mes petits-enfants décideront. »
        """),
        "kind": "anecdote",
        "narrators": [narrator("Odile", 1930, pseudonym=True)],
        "period": {"start": 1933, "end": 1940},
        "recorded_on": "2025-03-14",
        "language": "fr",
        "themes": ["mine", "famille"],
        "places": places("Dutemple"),
        "media": [],
        "visibility": "private",
        "status": "published",
        "consent": consent(
            "Odile (pseudonyme)",
            "signed_form",
            online=False,
            research=False,
            exhibition=False,
            precision="quartier",
        ),
        "licence": LICENCE,
    },
    {
        "id": "demo-036",
        "title": "Fête des voisins au pied de la crèche",
        "summary": "Aurore raconte la première fête des voisins organisée par les nouveaux habitants du quartier rénové, en juin 2019.",
        "body": _md("""
            En juin 2019, quelques familles arrivées dans les nouvelles maisons du quartier ont eu l'idée d'une fête des voisins sur la pelouse, à côté de la crèche. Aurore a fait les affiches à la main et les a glissées dans toutes les boîtes aux lettres, anciens immeubles compris.

            Il est venu plus de monde que prévu : des tables de camping mises bout à bout, des plats de partout, un barbecue prêté par un voisin, une enceinte pour la musique. Les anciens ont raconté l'allée des Oiseaux d'avant aux nouveaux venus, qui ne connaissaient que l'Île aux Oiseaux.

            « C'est ce soir-là que j'ai eu l'impression d'habiter un quartier, et pas seulement une maison. »

            Ce récit attend la relecture de l'équipe de modération avant publication.
        """),
        "kind": "anecdote",
        "narrators": [narrator("Aurore", 1990)],
        "period": {"start": 2019, "end": 2019},
        "recorded_on": "2025-05-20",
        "language": "fr",
        "themes": ["fête", "logement"],
        "places": places("L'Île aux Oiseaux"),
        "media": [],
        "visibility": "public",
        "status": "submitted",
        "consent": consent("Aurore", "online", precision="quartier"),
        "licence": LICENCE,
    },
]

# Excerpts point at cues (first, last, 1-based) so they follow the measured timings.
EXHIBITION: dict = {
    "slug": "memoires-de-la-mine",
    "title": "Mémoires de la mine",
    "introduction": _md("""
        Du chevalement de la fosse Dutemple aux corons de Denain, des chorales polonaises de Vieux-Condé au tampon vert des recruteurs des Houillères : six souvenirs confiés par des habitants du Valenciennois racontent ce que la mine a fait des familles, des quartiers et des paysages, et ce qu'il en reste aujourd'hui.

        Une exposition du Réseau Hainaut Solidaire, préparée avec les ateliers mémoire des centres sociaux. Les récits et les photos sont publiés avec l'accord de leurs auteurs.
    """),
    "languages": ["fr"],
    "status": "published",
    "cover": {"item": 0},
    "items": [
        {
            "story": "demo-002",
            "caption": "Le chevalement de béton de la fosse Dutemple, bâti en 1920, dans son jardin aujourd'hui.",
            "photo": 0,
        },
        {
            "story": "demo-001",
            "caption": "Marcel se souvient de son père, mineur à Dutemple jusqu'en mai 1940.",
            "excerpt": (2, 4),
        },
        {
            "story": "demo-023",
            "caption": "Une rue de la cité minière vers 1955 : les corons, une cheminée sur chaque mur mitoyen.",
            "photo": 0,
        },
        {
            "story": "demo-022",
            "caption": "Lucia, arrivée du Frioul enfant, et le premier hiver dans la cité.",
            "excerpt": (3, 4),
        },
        {
            "story": "demo-026",
            "caption": "Stanislas et la messe en polonais, la chorale de la Sainte-Barbe.",
            "excerpt": (1, 3),
        },
        {
            "story": "demo-030",
            "caption": "Ahmed, recruté dans le Souss en 1974 : les mains, les dents, le tampon vert.",
            "excerpt": (1, 2),
        },
    ],
}


# --- Drawings -----------------------------------------------------------------------------------
# Procedural "photos": drawn at twice the size with simple shapes and a pinhole camera, then
# reduced and given the look of a phone photo, a faded colour print or a scanned sepia print.

Color = tuple[int, int, int]
W, H = 1600, 1067
SS = 2  # drawn at twice the size, then reduced: cheap anti-aliasing


def _lerp(a: float, b: float, t: float) -> float:
    return a + (b - a) * t


def _mix(c0: Color, c1: Color, t: float) -> Color:
    return tuple(round(_lerp(a, b, t)) for a, b in zip(c0, c1, strict=True))


def _gradient(size: tuple[int, int], stops: list[tuple[float, Color]]) -> Image.Image:
    """A vertical gradient through colour stops given as (position 0..1, colour)."""
    w, h = size
    column = []
    for y in range(h):
        t = y / max(1, h - 1)
        colour = stops[-1][1]
        for (p0, c0), (p1, c1) in zip(stops, stops[1:], strict=False):
            if p0 <= t <= p1:
                colour = _mix(c0, c1, (t - p0) / (p1 - p0) if p1 > p0 else 0.0)
                break
        else:
            if t < stops[0][0]:
                colour = stops[0][1]
        column.append(colour)
    strip = Image.new("RGB", (1, h))
    strip.putdata(column)
    return strip.resize((w, h), Image.Resampling.NEAREST)


def _soft_disc(radius: int, power: float = 2.0) -> Image.Image:
    """An L mask, 255 in the middle fading to 0 at `radius`."""
    ramp = Image.radial_gradient("L").resize((2 * radius, 2 * radius), Image.Resampling.BILINEAR)
    return ramp.point([round(255 * max(0.0, 1 - v / 255) ** power) for v in range(256)])


def _glow(
    img: Image.Image,
    xy: tuple[int, int],
    radius: int,
    colour: Color,
    alpha: float,
    power: float = 2.0,
) -> None:
    mask = _soft_disc(radius, power).point(lambda v: round(v * alpha))
    img.paste(Image.new("RGB", mask.size, colour), (xy[0] - radius, xy[1] - radius), mask)


def _layer(img: Image.Image) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    layer = Image.new("RGBA", img.size, (0, 0, 0, 0))
    return layer, ImageDraw.Draw(layer)


def _merge(img: Image.Image, layer: Image.Image, blur: float = 0.0) -> None:
    if blur:
        layer = layer.filter(ImageFilter.GaussianBlur(blur))
    img.paste(layer, (0, 0), layer)


def _clouds(
    img: Image.Image,
    rng: random.Random,
    n: int,
    band: tuple[float, float],
    colour: Color,
    alpha: int,
) -> None:
    w, h = img.size
    layer, draw = _layer(img)
    for _ in range(n):
        cx, cy = rng.uniform(-0.1, 1.1) * w, rng.uniform(*band) * h
        for _ in range(rng.randint(4, 8)):
            rx, ry = rng.uniform(0.04, 0.12) * w, rng.uniform(0.015, 0.04) * h
            ox, oy = rng.uniform(-0.08, 0.08) * w, rng.uniform(-0.02, 0.01) * h
            draw.ellipse(
                (cx + ox - rx, cy + oy - ry, cx + ox + rx, cy + oy + ry), fill=(*colour, alpha)
            )
    _merge(img, layer, blur=w / 120)


def _tree(
    draw: ImageDraw.ImageDraw,
    rng: random.Random,
    x: float,
    y: float,
    r: float,
    dark: Color,
    light: Color,
) -> None:
    """A leafy tree: trunk and a cluster of blobs, lit from the upper left."""
    draw.rectangle(
        (x - r * 0.08, y - r * 0.6, x + r * 0.08, y + r * 0.9), fill=_mix(dark, (40, 30, 20), 0.5)
    )
    for i in range(14):
        t = i / 13
        bx, by = x + rng.uniform(-0.7, 0.7) * r, y - r * 0.9 + rng.uniform(-0.6, 0.5) * r
        br = r * rng.uniform(0.35, 0.55)
        draw.ellipse(
            (bx - br, by - br, bx + br, by + br),
            fill=_mix(dark, light, t * 0.6 + rng.uniform(0, 0.25)),
        )


def _poplar(draw: ImageDraw.ImageDraw, x: float, ground: float, h: float, colour: Color) -> None:
    draw.ellipse((x - h * 0.09, ground - h, x + h * 0.09, ground - h * 0.08), fill=colour)
    draw.line(
        (x, ground - h * 0.1, x, ground),
        fill=_mix(colour, (30, 25, 20), 0.5),
        width=max(2, round(h * 0.015)),
    )


def _person(
    draw: ImageDraw.ImageDraw,
    x: float,
    ground: float,
    h: float,
    colour: Color,
    rng: random.Random,
    coat: Color | None = None,
) -> None:
    """A standing figure, seen from afar."""
    coat = coat or colour
    head = h * 0.13
    draw.ellipse((x - head * 0.5, ground - h, x + head * 0.5, ground - h + head), fill=colour)
    sway = rng.uniform(-0.06, 0.06) * h
    draw.polygon(
        [
            (x - h * 0.12, ground - h * 0.82),
            (x + h * 0.12, ground - h * 0.82),
            (x + h * 0.16 + sway, ground - h * 0.38),
            (x - h * 0.16 + sway, ground - h * 0.38),
        ],
        fill=coat,
    )
    step = rng.uniform(0.02, 0.08) * h
    lw = max(2, round(h * 0.07))
    draw.line((x - h * 0.05, ground - h * 0.4, x - h * 0.05 - step, ground), fill=colour, width=lw)
    draw.line((x + h * 0.05, ground - h * 0.4, x + h * 0.05 + step, ground), fill=colour, width=lw)


def _windows(
    draw: ImageDraw.ImageDraw,
    box: tuple[float, float, float, float],
    cols: int,
    rows: int,
    fill: Color,
    frame: Color,
    lit: list[bool] | None = None,
    lit_colour: Color = (250, 210, 120),
    margin: float = 0.25,
) -> None:
    x0, y0, x1, y1 = box
    cw, rh = (x1 - x0) / cols, (y1 - y0) / rows
    for r in range(rows):
        for c in range(cols):
            wx0, wy0 = x0 + c * cw + cw * margin, y0 + r * rh + rh * margin * 0.8
            wx1, wy1 = x0 + (c + 1) * cw - cw * margin, y0 + (r + 1) * rh - rh * margin * 0.8
            on = lit[(r * cols + c) % len(lit)] if lit else False
            draw.rectangle(
                (wx0, wy0, wx1, wy1),
                fill=lit_colour if on else fill,
                outline=frame,
                width=max(2, round(cw * 0.04)),
            )
            draw.line(
                ((wx0 + wx1) / 2, wy0, (wx0 + wx1) / 2, wy1),
                fill=frame,
                width=max(1, round(cw * 0.025)),
            )


def _bricks(
    draw: ImageDraw.ImageDraw,
    box: tuple[float, float, float, float],
    base: Color,
    mortar: Color,
    course: float,
    rng: random.Random,
) -> None:
    x0, y0, x1, y1 = box
    draw.rectangle(box, fill=base)
    y, row = y0, 0
    while y < y1:
        draw.line((x0, y, x1, y), fill=mortar, width=max(1, round(course * 0.12)))
        x = x0 + (course * 1.1 if row % 2 else 0)
        while x < x1:
            draw.line(
                (x, y, x, min(y1, y + course)), fill=mortar, width=max(1, round(course * 0.1))
            )
            x += course * 2.2
        y += course
        row += 1


def _noise(
    size: tuple[int, int], rng: random.Random, strength: float, grain: int = 2
) -> Image.Image:
    """Film grain as an L image centred on 128, from a seeded generator (Pillow's own noise is not seeded)."""
    w, h = size
    gw, gh = max(1, w // grain), max(1, h // grain)
    small = Image.frombytes("L", (gw, gh), rng.randbytes(gw * gh))
    lut = [max(0, min(255, round(128 + (v - 128) * strength))) for v in range(256)]
    return small.resize((w, h), Image.Resampling.BILINEAR).point(lut)


def _vignette(img: Image.Image, amount: float) -> Image.Image:
    ramp = Image.radial_gradient("L").resize(img.size, Image.Resampling.BILINEAR)
    mask = ramp.point([round(255 * (1 - amount * min(1.0, v / 255) ** 2)) for v in range(256)])
    return ImageChops.multiply(img, Image.merge("RGB", (mask, mask, mask)))


def _finish(
    img: Image.Image, rng: random.Random, *, style: str, grain: float = 0.08, vignette: float = 0.25
) -> Image.Image:
    """Reduce to final size and give the look of a modern phone photo, a faded print or an old sepia print."""
    img = img.resize((W, H), Image.Resampling.LANCZOS)
    grain_block = 2
    if style == "sepia":
        grey = ImageOps.grayscale(img.filter(ImageFilter.GaussianBlur(0.9)))
        grey = ImageOps.autocontrast(grey, cutoff=1)
        img = ImageOps.colorize(grey, black=(34, 24, 16), mid=(140, 112, 80), white=(240, 226, 196))
        grain_block = 3
    elif style == "faded":
        img = ImageEnhance.Color(img).enhance(0.72)
        img = img.point(lambda v: round(18 + v * 0.86))
        img = Image.blend(img, Image.new("RGB", img.size, (235, 180, 110)), 0.08)
        img = img.filter(ImageFilter.GaussianBlur(0.6))
    grain_img = _noise(img.size, rng, grain * 2.2, grain=grain_block).convert("RGB")
    img = ImageChops.add(img, grain_img, scale=1.0, offset=-128)
    img = _vignette(img, vignette)
    if style == "sepia":
        img = _scan_border(img, rng)
    return img


def _scan_border(img: Image.Image, rng: random.Random) -> Image.Image:
    """A scanned print: off-white border, a few specks of dust."""
    w, h = img.size
    border = round(w * 0.025)
    out = Image.new("RGB", (w, h), (236, 230, 214))
    out.paste(
        img.resize((w - 2 * border, h - 2 * border), Image.Resampling.LANCZOS), (border, border)
    )
    draw = ImageDraw.Draw(out)
    for _ in range(40):
        x, y, r = (
            rng.uniform(border, w - border),
            rng.uniform(border, h - border),
            rng.uniform(0.6, 2.2),
        )
        shade = rng.choice([(250, 244, 230), (40, 30, 22)])
        draw.ellipse((x - r, y - r, x + r, y + r), fill=shade)
    for _ in range(2):
        x, y = rng.uniform(border, w - border), rng.uniform(border, h * 0.6)
        draw.line(
            (x, y, x + rng.uniform(-20, 20), y + rng.uniform(60, 200)),
            fill=(214, 200, 176),
            width=1,
        )
    return out


class Camera:
    """A pinhole camera: world metres (x right, y up, z away) to canvas pixels."""

    def __init__(
        self, width: int, height: int, *, eye: float, horizon: float, focal: float, x: float = 0.0
    ) -> None:
        self.cx, self.horizon, self.focal = width / 2, height * horizon, width * focal
        self.eye, self.x = eye, x

    def __call__(self, x: float, y: float, z: float) -> tuple[float, float]:
        return self.cx + self.focal * (x - self.x) / z, self.horizon - self.focal * (
            y - self.eye
        ) / z

    def size(self, metres: float, z: float) -> float:
        return self.focal * metres / z


CW, CH = W * SS, H * SS


def _font(px: float) -> ImageFont.FreeTypeFont:
    """Pillow's bundled font, the same on every machine (it has no accented capitals)."""
    return ImageFont.load_default(size=max(8, round(px)))


def _fade(colour: Color, sky: Color, z: float, depth: float) -> Color:
    """Aerial perspective: a colour `z` metres away drifts towards the sky's."""
    return _mix(colour, sky, 1 - math.exp(-z / depth))


def _quad(
    draw: ImageDraw.ImageDraw, cam: Camera, pts: list[tuple[float, float, float]], fill: Color
) -> None:
    draw.polygon([cam(*p) for p in pts], fill=fill)


def _figure_at(
    draw: ImageDraw.ImageDraw,
    cam: Camera,
    rng: random.Random,
    x: float,
    z: float,
    height: float = 1.7,
    colour: Color = (40, 36, 34),
    coat: Color | None = None,
) -> None:
    """A person standing on the ground at (x, z) metres, at the right size for the distance."""
    bx, by = cam(x, 0, z)
    _person(draw, bx, by, cam.size(height, z), colour, rng, coat=coat)


def chevalement(rng: random.Random) -> Image.Image:
    """The concrete headframe of the former Dutemple pit, in its public garden, late afternoon."""
    img = _gradient(
        (CW, CH),
        [
            (0, (74, 112, 168)),
            (0.45, (160, 170, 190)),
            (0.68, (246, 200, 150)),
            (0.74, (252, 222, 170)),
            (1, (252, 222, 170)),
        ],
    )
    _glow(img, (int(CW * 0.18), int(CH * 0.66)), int(CW * 0.28), (255, 236, 190), 0.8)
    _clouds(img, rng, 7, (0.08, 0.4), (255, 244, 235), 120)
    horizon = CH * 0.74
    draw = ImageDraw.Draw(img)
    # distant town
    x = 0.0
    while x < CW:
        bw, bh = rng.uniform(0.03, 0.08) * CW, rng.uniform(0.02, 0.07) * CH
        draw.rectangle((x, horizon - bh, x + bw, horizon), fill=(120, 112, 128))
        if rng.random() < 0.5:
            draw.polygon(
                [(x, horizon - bh), (x + bw / 2, horizon - bh - bw * 0.35), (x + bw, horizon - bh)],
                fill=(112, 104, 120),
            )
        x += bw + rng.uniform(0, 0.01) * CW
    for _ in range(22):
        _tree(
            draw,
            rng,
            rng.uniform(0, 1) * CW,
            horizon + rng.uniform(-0.01, 0.02) * CH,
            rng.uniform(0.03, 0.06) * CW,
            (48, 70, 40),
            (120, 140, 70),
        )
    draw.rectangle((0, horizon, CW, CH), fill=(84, 120, 56))
    lawn = _gradient((CW, int(CH - horizon)), [(0, (120, 150, 70)), (1, (58, 96, 44))])
    img.paste(lawn, (0, int(horizon)))
    draw = ImageDraw.Draw(img)
    # path curving to the foot of the headframe
    draw.polygon(
        [(CW * 0.52, horizon + 8), (CW * 0.6, horizon + 8), (CW * 0.95, CH), (CW * 0.55, CH)],
        fill=(196, 180, 150),
    )
    # the headframe: four reinforced-concrete legs, beams, the sheave platform and wheels, the inclined strut
    conc_dark, conc_lit = (92, 86, 92), (214, 184, 150)
    ground = horizon + CH * 0.02
    lx0, lx1, top = CW * 0.44, CW * 0.6, CH * 0.16
    taper = CW * 0.025
    leg = CW * 0.016
    for xb, xt in ((lx0, lx0 + taper), (lx1, lx1 - taper)):
        draw.polygon(
            [(xb - leg, ground), (xb + leg, ground), (xt + leg * 0.8, top), (xt - leg * 0.8, top)],
            fill=conc_dark,
        )
        draw.polygon(
            [
                (xb - leg, ground),
                (xb - leg * 0.4, ground),
                (xt - leg * 0.3, top),
                (xt - leg * 0.8, top),
            ],
            fill=conc_lit,
        )
    for i in range(6):
        t = i / 5
        y = _lerp(ground - CH * 0.07, top + CH * 0.02, t)
        xa, xb = (
            _lerp(lx0, lx0 + taper, 1 - (y - top) / (ground - top)),
            _lerp(lx1, lx1 - taper, 1 - (y - top) / (ground - top)),
        )
        draw.rectangle((xa, y - CH * 0.011, xb, y + CH * 0.011), fill=conc_dark)
        draw.line((xa, y - CH * 0.011, xb, y - CH * 0.011), fill=conc_lit, width=4)
    # strut down to the right (the winding house stood there)
    sx_top, sy_top = lx1 - taper, top + CH * 0.06
    for off in (0, CW * 0.05):
        draw.polygon(
            [
                (sx_top + off * 0.2, sy_top),
                (sx_top + off * 0.2 + leg * 1.5, sy_top),
                (CW * 0.83 + off, ground),
                (CW * 0.83 + off - leg * 1.8, ground),
            ],
            fill=_mix(conc_dark, (0, 0, 0), 0.1),
        )
    for i in range(1, 4):
        t = i / 4
        ya = _lerp(sy_top, ground, t)
        xa = _lerp(sx_top, CW * 0.83, t)
        draw.rectangle((xa, ya - CH * 0.008, xa + CW * 0.05, ya + CH * 0.008), fill=conc_dark)
    # platform and sheaves
    draw.rectangle(
        (lx0 - CW * 0.01, top - CH * 0.03, lx1 + CW * 0.01, top + CH * 0.01), fill=conc_dark
    )
    draw.line(
        (lx0 - CW * 0.01, top - CH * 0.03, lx1 + CW * 0.01, top - CH * 0.03), fill=conc_lit, width=5
    )
    for cx in (CW * 0.485, CW * 0.555):
        r = CW * 0.032
        cy = top - CH * 0.05
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=(60, 56, 62), width=10)
        for k in range(6):
            a = k * math.pi / 3 + 0.3
            draw.line(
                (cx, cy, cx + r * math.cos(a), cy + r * math.sin(a)), fill=(60, 56, 62), width=5
            )
    # garden: benches, shrubs, walkers
    for x in (0.08, 0.2, 0.3, 0.88, 0.95):
        _tree(
            draw,
            rng,
            CW * x,
            horizon + CH * 0.08,
            CW * rng.uniform(0.05, 0.08),
            (40, 66, 36),
            (110, 140, 60),
        )
    draw.rectangle((CW * 0.36, CH * 0.86, CW * 0.43, CH * 0.875), fill=(70, 50, 36))
    draw.rectangle((CW * 0.365, CH * 0.875, CW * 0.37, CH * 0.9), fill=(50, 40, 30))
    draw.rectangle((CW * 0.42, CH * 0.875, CW * 0.425, CH * 0.9), fill=(50, 40, 30))
    _person(draw, CW * 0.68, CH * 0.93, CH * 0.16, (40, 36, 40), rng, coat=(120, 40, 40))
    _person(draw, CW * 0.72, CH * 0.95, CH * 0.1, (40, 36, 40), rng, coat=(40, 70, 130))
    return _finish(img, rng, style="modern", grain=0.03, vignette=0.22)


def corons(rng: random.Random) -> Image.Image:
    """A street of miners' terraced houses receding to the horizon, around 1955."""
    sky = (226, 226, 222)
    img = _gradient((CW, CH), [(0, (190, 192, 194)), (0.5, sky), (1, sky)])
    _clouds(img, rng, 8, (0.05, 0.3), (246, 246, 244), 140)
    draw = ImageDraw.Draw(img)
    cam = Camera(CW, CH, eye=1.6, horizon=0.56, focal=0.5, x=-0.6)
    draw.polygon(
        [cam(-60, 0, 2.0), cam(60, 0, 2.0), cam(60, 0, 400), cam(-60, 0, 400)], fill=(150, 146, 140)
    )
    for side in (-1, 1):
        xf, xr = 5.2 * side, 8.0 * side
        bricks = [(146, 76, 56), (132, 68, 52), (156, 84, 60), (124, 66, 50)]
        houses = [(3.0 + i * 5.2, 3.0 + (i + 1) * 5.2) for i in range(46)]
        for i, (z0, z1) in reversed(list(enumerate(houses))):
            base = _fade(bricks[(i + (side > 0)) % 4], sky, z0, 90)
            roof = _fade((64, 58, 60), sky, z0, 90)
            dark = _fade((42, 38, 40), sky, z0, 90)
            _quad(draw, cam, [(xf, 0, z0), (xf, 0, z1), (xf, 4.4, z1), (xf, 4.4, z0)], base)
            _quad(draw, cam, [(xf, 4.4, z0), (xf, 4.4, z1), (xr, 7.0, z1), (xr, 7.0, z0)], roof)
            if z0 < 60:
                for k in range(1, 14):
                    y = k * 0.32
                    a, b = cam(xf, y, z0), cam(xf, y, z1)
                    draw.line(
                        (a, b),
                        fill=_mix(base, (196, 178, 160), 0.3),
                        width=max(1, round(cam.size(0.03, z0))),
                    )
            door = (z0 + 0.6, z0 + 1.6) if i % 2 == 0 else (z1 - 1.6, z1 - 0.6)
            win = (z0 + 2.4, z0 + 3.8) if i % 2 == 0 else (z0 + 1.0, z0 + 2.4)
            _quad(
                draw,
                cam,
                [(xf, 0, door[0]), (xf, 0, door[1]), (xf, 2.1, door[1]), (xf, 2.1, door[0])],
                dark,
            )
            _quad(
                draw,
                cam,
                [(xf, 1.0, win[0]), (xf, 1.0, win[1]), (xf, 2.4, win[1]), (xf, 2.4, win[0])],
                _fade((58, 62, 70), sky, z0, 90),
            )
            _quad(
                draw,
                cam,
                [
                    (xf, 2.4, win[0] - 0.1),
                    (xf, 2.4, win[1] + 0.1),
                    (xf, 2.6, win[1] + 0.1),
                    (xf, 2.6, win[0] - 0.1),
                ],
                _fade((214, 204, 186), sky, z0, 90),
            )
            _quad(
                draw,
                cam,
                [
                    (xf, 0.9, win[0] - 0.1),
                    (xf, 0.9, win[1] + 0.1),
                    (xf, 1.0, win[1] + 0.1),
                    (xf, 1.0, win[0] - 0.1),
                ],
                _fade((214, 204, 186), sky, z0, 90),
            )
            # dormer-less roofs, a chimney on every party wall
            cxw = xf + (xr - xf) * 0.55
            cy = 4.4 + (7.0 - 4.4) * 0.55
            _quad(
                draw,
                cam,
                [
                    (cxw, cy, z0 - 0.35),
                    (cxw, cy, z0 + 0.35),
                    (cxw, cy + 1.3, z0 + 0.35),
                    (cxw, cy + 1.3, z0 - 0.35),
                ],
                _fade((112, 60, 46), sky, z0, 90),
            )
        # pavement and kerb
        _quad(
            draw,
            cam,
            [
                (3.4 * side, 0.001, 2.0),
                (5.2 * side, 0.001, 2.0),
                (5.2 * side, 0.001, 300),
                (3.4 * side, 0.001, 300),
            ],
            (176, 170, 160),
        )
        a, b = cam(3.4 * side, 0, 2.0), cam(3.4 * side, 0, 300)
        draw.line((a, b), fill=(110, 104, 98), width=6)
    # cobbles: rows that get closer with distance
    z = 2.2
    while z < 250:
        a, b = cam(-3.4, 0, z), cam(3.4, 0, z)
        draw.line((a, b), fill=(118, 114, 108), width=max(1, round(cam.size(0.05, z))))
        z *= 1.06
    # a lamp post, a bicycle, people of the street
    lx, lz = 3.7, 11.0
    draw.line(
        (cam(lx, 0, lz), cam(lx, 4.2, lz)), fill=(40, 38, 36), width=round(cam.size(0.12, lz))
    )
    p = cam(lx, 4.2, lz)
    draw.ellipse((p[0] - 14, p[1] - 22, p[0] + 14, p[1] + 8), fill=(60, 58, 54))
    bx, by = cam(-5.0, 0.35, 6.5)
    r = cam.size(0.35, 6.5)
    for dx in (0, r * 0.5):
        draw.ellipse(
            (bx + dx - r * 0.35, by - r, bx + dx + r * 0.35, by + r), outline=(34, 30, 28), width=5
        )
    _figure_at(draw, cam, rng, -1.0, 9.0, coat=(74, 70, 72))
    _figure_at(draw, cam, rng, 0.3, 7.0, height=1.15, coat=(120, 110, 100))
    _figure_at(draw, cam, rng, 0.9, 7.2, height=1.05, coat=(96, 88, 84))
    _figure_at(draw, cam, rng, 4.2, 22.0, coat=(60, 58, 60))
    _figure_at(draw, cam, rng, -4.4, 30.0, coat=(80, 76, 74))
    _figure_at(draw, cam, rng, 1.5, 48.0)
    return _finish(img, rng, style="sepia", grain=0.05)


def terril(rng: random.Random) -> Image.Image:
    """The conical spoil heap of the Renard pit seen across the rooftops, green on its lower slopes."""
    img = _gradient((CW, CH), [(0, (82, 134, 202)), (0.62, (176, 204, 230)), (1, (200, 220, 234))])
    _clouds(img, rng, 9, (0.04, 0.32), (255, 255, 255), 190)
    base_y, peak_x, peak_y, half = CH * 0.74, CW * 0.44, CH * 0.2, CW * 0.38

    def top_at(u: float) -> float:
        return base_y - (base_y - peak_y) * min(1.0, (1 - abs(u) ** 1.25) * 1.06)

    outline = [(peak_x + (k / 200 * 2 - 1) * half, top_at(k / 200 * 2 - 1)) for k in range(201)]
    mask = Image.new("L", img.size, 0)
    ImageDraw.Draw(mask).polygon(
        outline + [(peak_x + half, base_y), (peak_x - half, base_y)], fill=255
    )
    heap = _gradient(img.size, [(0, (96, 84, 82)), (0.7, (84, 76, 74)), (1, (70, 66, 62))])
    hd = ImageDraw.Draw(heap)
    hd.polygon(
        [
            (peak_x + CW * 0.01, peak_y),
            (peak_x + half, base_y),
            (peak_x + half, CH),
            (peak_x + CW * 0.01, CH),
        ],
        fill=(66, 60, 62),
    )
    for _ in range(22):
        u = rng.uniform(-0.8, 0.8)
        x0 = peak_x + u * half * 0.25
        hd.line(
            (x0, top_at(u * 0.25), peak_x + u * half * 1.05, base_y),
            fill=(58, 52, 54) if u > 0 else (82, 72, 70),
            width=4,
        )
    greens = [(52, 80, 42), (62, 92, 46), (74, 104, 52), (88, 114, 58), (58, 86, 46)]
    for _ in range(9000):
        u = rng.uniform(-1, 1)
        depth = rng.random() ** 0.6
        y = _lerp(top_at(u), base_y + CH * 0.02, 0.25 + 0.75 * depth)
        x = peak_x + u * half
        r = CW * rng.uniform(0.002, 0.005) * (0.5 + depth)
        hd.ellipse((x - r, y - r * 0.7, x + r, y + r * 0.7), fill=rng.choice(greens))
    heap = heap.filter(ImageFilter.GaussianBlur(2.0))
    img.paste(
        _gradient((CW, CH - int(base_y) + 40), [(0, (110, 140, 70)), (1, (84, 118, 58))]),
        (0, int(base_y) - 40),
    )
    img.paste(heap, (0, 0), mask)
    draw = ImageDraw.Draw(img)
    for x in (0.02, 0.12, 0.7, 0.82, 0.95):
        _tree(
            draw, rng, CW * x, CH * 0.76, CW * rng.uniform(0.05, 0.07), (40, 74, 38), (120, 152, 64)
        )
    # rooftops of the faubourg in front
    y0 = CH * 0.9
    x = -CW * 0.02
    while x < CW:
        bw = rng.uniform(0.07, 0.12) * CW
        bh = rng.uniform(0.05, 0.1) * CH
        wall = _mix((168, 88, 66), (222, 204, 186), rng.random() * 0.6)
        draw.rectangle((x, y0 - bh, x + bw, CH), fill=wall)
        draw.polygon(
            [
                (x - CW * 0.006, y0 - bh),
                (x + bw / 2, y0 - bh - bw * 0.28),
                (x + bw + CW * 0.006, y0 - bh),
            ],
            fill=_mix((96, 62, 56), (64, 64, 74), rng.random()),
        )
        _windows(
            draw,
            (x + bw * 0.1, y0 - bh * 0.85, x + bw * 0.9, CH + CH * 0.12),
            2,
            2,
            (64, 74, 84),
            (232, 232, 226),
        )
        x += bw
    return _finish(img, rng, style="modern", grain=0.035, vignette=0.16)


def ecole(rng: random.Random) -> Image.Image:
    """A 1930s brick school façade, boys leaving through the gate, 1962."""
    img = _gradient((CW, CH), [(0, (200, 204, 206)), (1, (232, 232, 228))])
    draw = ImageDraw.Draw(img)
    ground = CH * 0.8
    x0, x1 = CW * 0.08, CW * 0.92
    _bricks(draw, (x0, CH * 0.3, x1, ground), (150, 80, 60), (196, 170, 150), CH * 0.016, rng)
    cx0, cx1 = CW * 0.4, CW * 0.6
    _bricks(draw, (cx0, CH * 0.2, cx1, ground), (140, 74, 56), (196, 170, 150), CH * 0.016, rng)
    draw.polygon(
        [(cx0 - CW * 0.01, CH * 0.2), (CW * 0.5, CH * 0.1), (cx1 + CW * 0.01, CH * 0.2)],
        fill=(92, 86, 88),
    )
    draw.polygon(
        [
            (x0 - CW * 0.01, CH * 0.3),
            (x0 + CW * 0.03, CH * 0.22),
            (cx0, CH * 0.22),
            (cx0, CH * 0.3),
        ],
        fill=(90, 84, 86),
    )
    draw.polygon(
        [
            (cx1, CH * 0.3),
            (cx1, CH * 0.22),
            (x1 - CW * 0.03, CH * 0.22),
            (x1 + CW * 0.01, CH * 0.3),
        ],
        fill=(90, 84, 86),
    )
    stone = (226, 218, 200)
    for y in (CH * 0.5, CH * 0.31):
        draw.rectangle((x0, y, x1, y + CH * 0.012), fill=stone)
    draw.rectangle((cx0 + CW * 0.01, CH * 0.235, cx1 - CW * 0.01, CH * 0.285), fill=stone)
    text = "ECOLE DE GARCONS"
    font = _font(CH * 0.024)
    tw = draw.textlength(text, font=font)
    draw.text((CW * 0.5 - tw / 2, CH * 0.242), text, font=font, fill=(70, 60, 54))
    for wx0, wx1, n in ((x0 + CW * 0.02, cx0 - CW * 0.01, 4), (cx1 + CW * 0.01, x1 - CW * 0.02, 4)):
        _windows(draw, (wx0, CH * 0.33, wx1, CH * 0.49), n, 1, (74, 80, 88), stone, margin=0.18)
        _windows(draw, (wx0, CH * 0.53, wx1, CH * 0.74), n, 1, (74, 80, 88), stone, margin=0.18)
    draw.rectangle((CW * 0.46, CH * 0.56, CW * 0.54, ground), fill=(60, 46, 38))
    draw.pieslice((CW * 0.46, CH * 0.52, CW * 0.54, CH * 0.6), 180, 360, fill=(60, 46, 38))
    draw.rectangle((0, ground, CW, CH), fill=(170, 164, 156))
    # the yard wall, its gate open, a plane tree, a clock
    draw.rectangle((0, CH * 0.72, CW * 0.4, CH * 0.82), fill=(160, 92, 70))
    draw.rectangle((CW * 0.6, CH * 0.72, CW, CH * 0.82), fill=(160, 92, 70))
    draw.rectangle((0, CH * 0.715, CW * 0.4, CH * 0.73), fill=stone)
    draw.rectangle((CW * 0.6, CH * 0.715, CW, CH * 0.73), fill=stone)
    draw.ellipse(
        (CW * 0.475, CH * 0.125, CW * 0.525, CH * 0.195), fill=stone, outline=(60, 50, 44), width=4
    )
    draw.line((CW * 0.5, CH * 0.16, CW * 0.5, CH * 0.135), fill=(40, 34, 30), width=4)
    draw.line((CW * 0.5, CH * 0.16, CW * 0.515, CH * 0.165), fill=(40, 34, 30), width=4)
    _tree(draw, rng, CW * 0.9, CH * 0.6, CW * 0.1, (70, 84, 60), (150, 160, 120))
    for i in range(11):
        x = CW * (0.44 + i * 0.018 + rng.uniform(-0.01, 0.01))
        _person(
            draw,
            x,
            CH * (0.88 + rng.uniform(0, 0.06)),
            CH * rng.uniform(0.12, 0.15),
            (44, 40, 38),
            rng,
            coat=_mix((60, 60, 66), (150, 140, 130), rng.random()),
        )
    _person(draw, CW * 0.36, CH * 0.95, CH * 0.24, (36, 32, 30), rng, coat=(50, 48, 52))
    return _finish(img, rng, style="sepia", grain=0.05)


def ducasse(rng: random.Random) -> Image.Image:
    """The merry-go-round of the neighbourhood fair at night, 1970s colours."""
    img = _gradient((CW, CH), [(0, (8, 10, 30)), (0.6, (30, 24, 56)), (1, (20, 16, 30))])
    draw = ImageDraw.Draw(img)
    lights = Image.new("RGB", img.size, (0, 0, 0))
    ld = ImageDraw.Draw(lights)
    bulbs = [(255, 230, 150), (255, 120, 90), (140, 220, 255), (255, 250, 220), (170, 255, 150)]
    # strings of bulbs across the square
    for (ax, ay), (bx, by) in (
        ((0, 0.12), (0.5, 0.16)),
        ((0.5, 0.16), (1, 0.1)),
        ((0, 0.3), (0.3, 0.22)),
    ):
        for k in range(40):
            t = k / 39
            x = _lerp(ax, bx, t) * CW
            y = (_lerp(ay, by, t) + 0.08 * math.sin(math.pi * t)) * CH
            c = bulbs[k % len(bulbs)]
            draw.ellipse((x - 7, y - 7, x + 7, y + 7), fill=c)
            ld.ellipse((x - 22, y - 22, x + 22, y + 22), fill=c)
    # stalls left and right
    for sx, colour in ((0.02, (180, 40, 40)), (0.78, (40, 90, 170))):
        x0, x1 = CW * sx, CW * (sx + 0.2)
        draw.rectangle((x0, CH * 0.5, x1, CH * 0.8), fill=(60, 40, 30))
        draw.rectangle((x0 + 20, CH * 0.55, x1 - 20, CH * 0.72), fill=(250, 200, 120))
        ld.rectangle((x0 + 20, CH * 0.55, x1 - 20, CH * 0.72), fill=(200, 140, 60))
        for k in range(8):
            c = colour if k % 2 == 0 else (240, 230, 210)
            draw.polygon(
                [
                    (x0 + k * (x1 - x0) / 8, CH * 0.46),
                    (x0 + (k + 1) * (x1 - x0) / 8, CH * 0.46),
                    (x0 + (k + 1) * (x1 - x0) / 8, CH * 0.52),
                    (x0 + k * (x1 - x0) / 8, CH * 0.52),
                ],
                fill=c,
            )
        for k in range(12):
            x = _lerp(x0, x1, k / 11)
            ld.ellipse((x - 16, CH * 0.455 - 16, x + 16, CH * 0.455 + 16), fill=(255, 220, 140))
            draw.ellipse((x - 6, CH * 0.455 - 6, x + 6, CH * 0.455 + 6), fill=(255, 240, 200))
    # the merry-go-round
    cx, apex, rim, half = CW * 0.5, CH * 0.18, CH * 0.42, CW * 0.27
    n = 16
    for k in range(n):
        xa, xb = cx - half + 2 * half * k / n, cx - half + 2 * half * (k + 1) / n
        c = (200, 40, 50) if k % 2 == 0 else (245, 225, 190)
        draw.polygon([(cx, apex), (xa, rim), (xb, rim)], fill=c)
    draw.rectangle((cx - half, rim, cx + half, rim + CH * 0.05), fill=(120, 30, 40))
    for k in range(n):
        xa = cx - half + 2 * half * (k + 0.5) / n
        draw.pieslice(
            (xa - half / n, rim + CH * 0.03, xa + half / n, rim + CH * 0.08),
            0,
            180,
            fill=(245, 210, 90),
        )
    platform = CH * 0.78
    draw.rectangle(
        (cx - half * 0.96, rim + CH * 0.05, cx + half * 0.96, platform), fill=(70, 40, 60)
    )
    draw.rectangle(
        (cx - half * 0.6, rim + CH * 0.05, cx + half * 0.6, platform), fill=(110, 60, 70)
    )
    draw.ellipse(
        (cx - half, platform - CH * 0.03, cx + half, platform + CH * 0.04), fill=(140, 100, 60)
    )
    for k in range(9):
        x = cx - half * 0.85 + k * half * 1.7 / 8
        draw.line((x, rim + CH * 0.05, x, platform), fill=(230, 200, 110), width=8)
        hy = _lerp(rim + CH * 0.18, rim + CH * 0.26, (math.sin(k * 1.7) + 1) / 2)
        body = (245, 240, 230) if k % 3 else (60, 40, 30)
        draw.ellipse((x - CW * 0.035, hy, x + CW * 0.035, hy + CH * 0.06), fill=body)
        draw.polygon(
            [
                (x + CW * 0.025, hy + CH * 0.01),
                (x + CW * 0.05, hy - CH * 0.04),
                (x + CW * 0.06, hy - CH * 0.02),
                (x + CW * 0.04, hy + CH * 0.03),
            ],
            fill=body,
        )
        for lx in (-0.025, -0.01, 0.015, 0.028):
            draw.line(
                (x + CW * lx, hy + CH * 0.05, x + CW * lx * 1.2, hy + CH * 0.1), fill=body, width=7
            )
        draw.rectangle(
            (x - CW * 0.02, hy + CH * 0.005, x + CW * 0.02, hy + CH * 0.02), fill=(200, 40, 50)
        )
    for k in range(n + 1):
        x = cx - half + 2 * half * k / n
        for y in (rim, rim + CH * 0.05):
            draw.ellipse((x - 6, y - 6, x + 6, y + 6), fill=(255, 245, 200))
            ld.ellipse((x - 26, y - 26, x + 26, y + 26), fill=(255, 200, 110))
        t = k / n
        for s in range(1, 6):
            px, py = _lerp(cx, x, s / 6), _lerp(apex, rim, s / 6)
            draw.ellipse((px - 4, py - 4, px + 4, py + 4), fill=(255, 240, 200))
            ld.ellipse((px - 14, py - 14, px + 14, py + 14), fill=(200, 150, 90))
    draw.ellipse((cx - 20, apex - 50, cx + 20, apex - 10), fill=(245, 210, 90))
    ld.ellipse((cx - 60, apex - 80, cx + 60, apex + 20), fill=(255, 210, 120))
    lights = lights.filter(ImageFilter.GaussianBlur(CW / 90))
    img = ImageChops.screen(img, lights)
    draw = ImageDraw.Draw(img)
    draw.rectangle((0, CH * 0.8, CW, CH), fill=(34, 26, 30))
    for _i in range(26):
        x = rng.uniform(-0.02, 1.02) * CW
        _person(
            draw, x, CH * rng.uniform(0.98, 1.08), CH * rng.uniform(0.25, 0.4), (14, 10, 16), rng
        )
    return _finish(img, rng, style="faded", grain=0.05, vignette=0.3)


def gare(rng: random.Random) -> Image.Image:
    """The station square in the 1950s: the station hall with its clock, a bus, travellers with cases."""
    sky = (222, 222, 218)
    img = _gradient((CW, CH), [(0, (186, 188, 190)), (0.6, sky), (1, sky)])
    _clouds(img, rng, 6, (0.05, 0.25), (242, 242, 240), 120)
    draw = ImageDraw.Draw(img)
    ground = CH * 0.66
    stone, dark = (196, 186, 168), (80, 76, 74)
    draw.rectangle((CW * 0.04, CH * 0.36, CW * 0.96, ground), fill=stone)
    draw.rectangle(
        (CW * 0.34, CH * 0.2, CW * 0.66, ground), fill=_mix(stone, (255, 255, 255), 0.15)
    )
    draw.rectangle((CW * 0.32, CH * 0.18, CW * 0.68, CH * 0.22), fill=(170, 160, 146))
    draw.rectangle((CW * 0.02, CH * 0.34, CW * 0.98, CH * 0.37), fill=(170, 160, 146))
    for k in range(3):
        x0 = CW * (0.37 + k * 0.1)
        draw.rectangle((x0, CH * 0.36, x0 + CW * 0.06, ground - CH * 0.01), fill=dark)
        for m in range(1, 6):
            y = _lerp(CH * 0.36, ground, m / 6)
            draw.line((x0, y, x0 + CW * 0.06, y), fill=stone, width=4)
        draw.line((x0 + CW * 0.03, CH * 0.36, x0 + CW * 0.03, ground), fill=stone, width=4)
    _windows(
        draw, (CW * 0.05, CH * 0.39, CW * 0.33, CH * 0.62), 5, 2, (90, 90, 94), stone, margin=0.2
    )
    _windows(
        draw, (CW * 0.67, CH * 0.39, CW * 0.95, CH * 0.62), 5, 2, (90, 90, 94), stone, margin=0.2
    )
    draw.ellipse(
        (CW * 0.47, CH * 0.235, CW * 0.53, CH * 0.325),
        fill=(236, 232, 220),
        outline=(40, 36, 34),
        width=6,
    )
    draw.line((CW * 0.5, CH * 0.28, CW * 0.5, CH * 0.245), fill=(30, 28, 26), width=5)
    draw.line((CW * 0.5, CH * 0.28, CW * 0.522, CH * 0.29), fill=(30, 28, 26), width=5)
    font = _font(CH * 0.04)
    tw = draw.textlength("MONS", font=font)
    draw.text((CW * 0.5 - tw / 2, CH * 0.12), "MONS", font=font, fill=(50, 44, 40))
    draw.rectangle((CW * 0.45, CH * 0.115, CW * 0.55, CH * 0.17), outline=(50, 44, 40), width=3)
    draw.rectangle((0, ground, CW, CH), fill=(150, 146, 140))
    cam = Camera(CW, CH, eye=1.6, horizon=0.6, focal=0.55)
    z = 3.0
    while z < 40:
        draw.line(
            (cam(-40, 0, z), cam(40, 0, z)),
            fill=(134, 130, 124),
            width=max(1, round(cam.size(0.04, z))),
        )
        z *= 1.12
    # a 1950s bus, rounded
    bx0, bx1, by0, by1 = CW * 0.62, CW * 0.9, CH * 0.52, CH * 0.7
    draw.rounded_rectangle((bx0, by0, bx1, by1), radius=CH * 0.05, fill=(110, 104, 100))
    draw.rectangle((bx0, by0 + CH * 0.09, bx1, by0 + CH * 0.1), fill=(210, 204, 190))
    _windows(
        draw,
        (bx0 + CW * 0.02, by0 + CH * 0.015, bx1 - CW * 0.02, by0 + CH * 0.08),
        6,
        1,
        (70, 72, 76),
        (110, 104, 100),
        margin=0.08,
    )
    for wx in (bx0 + CW * 0.05, bx1 - CW * 0.05):
        draw.ellipse(
            (wx - CH * 0.035, by1 - CH * 0.035, wx + CH * 0.035, by1 + CH * 0.035),
            fill=(30, 28, 28),
        )
    for x, z, h, coat in (
        (-3.0, 6.5, 1.72, (70, 66, 64)),
        (-2.2, 7.0, 1.6, (110, 100, 96)),
        (1.2, 9.0, 1.75, (60, 58, 60)),
        (-6.0, 14.0, 1.7, (90, 86, 84)),
        (0.2, 18.0, 1.7, (80, 76, 74)),
        (-1.0, 5.0, 1.2, (120, 110, 104)),
    ):
        _figure_at(draw, cam, rng, x, z, h, coat=coat)
        sx, sy = cam(x + 0.3, 0.45, z)
        s = cam.size(0.4, z)
        draw.rectangle((sx, sy, sx + s, sy + s * 0.7), fill=(60, 48, 40))
    draw.line(
        (cam(4.0, 0, 5.0), cam(4.0, 4.5, 5.0)), fill=(40, 38, 36), width=round(cam.size(0.1, 5.0))
    )
    p = cam(4.0, 4.5, 5.0)
    draw.ellipse((p[0] - 26, p[1] - 40, p[0] + 26, p[1] + 10), fill=(60, 58, 54))
    return _finish(img, rng, style="sepia", grain=0.05)


def bouteille(rng: random.Random) -> Image.Image:
    """Still life: a green bottle and a tumbler blown at the glassworks, on a kitchen table."""
    img = _gradient(
        (CW, CH),
        [(0, (40, 30, 24)), (0.65, (90, 66, 44)), (0.66, (120, 82, 52)), (1, (84, 56, 36))],
    )
    _glow(img, (int(CW * 0.3), int(CH * 0.3)), int(CW * 0.4), (180, 140, 90), 0.45)
    draw = ImageDraw.Draw(img)
    for k in range(60):
        y = CH * (0.67 + k * 0.0055)
        draw.line(
            (0, y, CW, y + rng.uniform(-8, 8)),
            fill=_mix((120, 82, 52), (70, 46, 30), rng.random()),
            width=2,
        )
    layer, ldr = _layer(img)
    ldr.ellipse((CW * 0.36, CH * 0.78, CW * 0.64, CH * 0.86), fill=(20, 12, 8, 150))
    ldr.ellipse((CW * 0.62, CH * 0.8, CW * 0.8, CH * 0.86), fill=(20, 12, 8, 110))
    _merge(img, layer, blur=20)
    draw = ImageDraw.Draw(img)
    cx, base, top = CW * 0.47, CH * 0.82, CH * 0.1

    def radius(y: float) -> float:
        t = (base - y) / (base - top)
        if t < 0.58:
            return CW * 0.085
        if t < 0.78:
            s = (t - 0.58) / 0.2
            return CW * (0.085 - 0.06 * (1 - math.cos(s * math.pi)) / 2)
        return CW * 0.024 if t < 0.95 else CW * 0.029

    for y in range(int(top), int(base)):
        r = radius(y)
        for k in range(24):
            u0, u1 = -1 + 2 * k / 24, -1 + 2 * (k + 1) / 24
            shade = 0.35 + 0.65 * max(0.0, 1 - abs((u0 + u1) / 2 + 0.25)) ** 1.5
            col = _mix((10, 40, 22), (60, 150, 80), shade)
            draw.line((cx + u0 * r, y, cx + u1 * r, y), fill=col)
    layer, ldr = _layer(img)
    ldr.rectangle((cx - CW * 0.05, CH * 0.4, cx - CW * 0.035, CH * 0.78), fill=(230, 255, 230, 170))
    ldr.rectangle(
        (cx - CW * 0.014, CH * 0.14, cx - CW * 0.008, CH * 0.3), fill=(230, 255, 230, 150)
    )
    ldr.rectangle((cx + CW * 0.05, CH * 0.42, cx + CW * 0.056, CH * 0.76), fill=(200, 255, 210, 80))
    _merge(img, layer, blur=6)
    draw = ImageDraw.Draw(img)
    draw.ellipse(
        (cx - CW * 0.085, base - CH * 0.025, cx + CW * 0.085, base + CH * 0.015), fill=(20, 60, 34)
    )
    # the tumbler: clear glass shows the table through it
    tx0, tx1, ty0, ty1 = CW * 0.64, CW * 0.78, CH * 0.6, CH * 0.84
    layer, ldr = _layer(img)
    ldr.polygon(
        [(tx0, ty0), (tx1, ty0), (tx1 - CW * 0.012, ty1), (tx0 + CW * 0.012, ty1)],
        fill=(220, 230, 225, 50),
    )
    ldr.ellipse((tx0, ty0 - CH * 0.02, tx1, ty0 + CH * 0.02), outline=(240, 245, 240, 170), width=5)
    ldr.line(
        (tx0 + CW * 0.02, ty0 + CH * 0.03, tx0 + CW * 0.028, ty1 - CH * 0.03),
        fill=(255, 255, 255, 140),
        width=10,
    )
    ldr.ellipse(
        (tx0 + CW * 0.012, ty1 - CH * 0.02, tx1 - CW * 0.012, ty1 + CH * 0.01),
        outline=(240, 245, 240, 120),
        width=4,
    )
    _merge(img, layer, blur=2)
    return _finish(img, rng, style="modern", grain=0.03, vignette=0.35)


def stade(rng: random.Random) -> Image.Image:
    """A municipal football ground on a Sunday in 1978: the small covered stand across the pitch."""
    sky = (190, 205, 215)
    img = _gradient((CW, CH), [(0, (110, 150, 190)), (0.45, sky), (1, sky)])
    _clouds(img, rng, 8, (0.05, 0.3), (250, 250, 250), 180)
    draw = ImageDraw.Draw(img)
    cam = Camera(CW, CH, eye=5.0, horizon=0.42, focal=0.62, x=-4.0)
    for x in range(-10, 12):
        _poplar(
            draw,
            cam(x * 9.0, 0, 95)[0],
            cam(0, 0, 95)[1],
            cam.size(rng.uniform(16, 22), 95),
            (60, 90, 60),
        )
    # stand on the far side
    s0, s1 = cam(-25, 0, 82), cam(15, 0, 82)
    top = cam(0, 7, 82)[1]
    draw.rectangle((s0[0], top, s1[0], s0[1]), fill=(120, 110, 100))
    draw.polygon(
        [
            (s0[0] - 20, top),
            (s1[0] + 20, top),
            (s1[0] + 10, top - cam.size(1.5, 82)),
            (s0[0] - 10, top - cam.size(1.5, 82)),
        ],
        fill=(70, 70, 76),
    )
    for _ in range(400):
        x = rng.uniform(s0[0] + 10, s1[0] - 10)
        y = rng.uniform(top + 14, s0[1] - 8)
        c = rng.choice([(40, 40, 44), (150, 40, 40), (200, 190, 170), (60, 70, 110), (90, 80, 60)])
        draw.ellipse((x - 5, y - 5, x + 5, y + 5), fill=c)
    # the pitch with mowing stripes, lines, a goal
    for k in range(-60, 60, 6):
        c = (70, 128, 58) if (k // 6) % 2 else (84, 142, 66)
        _quad(draw, cam, [(k, 0, 12), (k + 6, 0, 12), (k + 6, 0, 78), (k, 0, 78)], c)
    _quad(draw, cam, [(-200, 0, 4), (200, 0, 4), (200, 0, 12), (-200, 0, 12)], (96, 132, 70))
    _quad(draw, cam, [(-200, 0, 78), (200, 0, 78), (200, 0, 82), (-200, 0, 82)], (96, 132, 70))
    white = (236, 236, 230)
    for a, b in (
        ((-52, 14), (52, 14)),
        ((-52, 76), (52, 76)),
        ((0, 14), (0, 76)),
        ((-52, 14), (-52, 76)),
        ((-36, 30), (-36, 60)),
        ((-52, 30), (-36, 30)),
        ((-52, 60), (-36, 60)),
    ):
        draw.line((cam(a[0], 0, a[1]), cam(b[0], 0, b[1])), fill=white, width=5)
    circle = [
        cam(9.15 * math.cos(t / 40 * 2 * math.pi), 0, 45 + 9.15 * math.sin(t / 40 * 2 * math.pi))
        for t in range(41)
    ]
    draw.line(circle, fill=white, width=5)
    g0, g1 = cam(-52, 0, 41), cam(-52, 0, 49)
    gt = cam(-52, 2.44, 41)[1]
    draw.line((g0, (g0[0], gt), (g1[0], cam(-52, 2.44, 49)[1]), g1), fill=white, width=7)
    shirts = [(190, 30, 40)] * 5 + [(240, 240, 240)] * 5 + [(30, 30, 30)]
    for c in shirts:
        x, z = rng.uniform(-45, 30), rng.uniform(18, 70)
        _figure_at(draw, cam, rng, x, z, 1.8, colour=(40, 30, 28), coat=c)
    rail_y = cam(0, 1.1, 9)[1]
    draw.rectangle((0, cam(0, 0, 9)[1], CW, CH), fill=(96, 92, 86))
    for k in range(7):
        x = CW * (0.04 + k * 0.16)
        _figure_at(
            draw,
            cam,
            rng,
            cam.x + (x - cam.cx) * 8.5 / cam.focal,
            8.5,
            1.75,
            colour=(30, 28, 30),
            coat=rng.choice([(60, 50, 44), (40, 50, 80), (110, 90, 60), (150, 40, 40)]),
        )
    draw.rectangle((0, rail_y, CW, rail_y + 14), fill=(200, 200, 196))
    for k in range(12):
        x = CW * k / 11
        draw.line((x, rail_y, x, cam(0, 0, 9)[1]), fill=(200, 200, 196), width=10)
    return _finish(img, rng, style="faded", grain=0.045, vignette=0.2)


def marche(rng: random.Random) -> Image.Image:
    """Saturday market: striped awnings, crates of vegetables, shoppers, town houses behind."""
    sky = (200, 214, 228)
    img = _gradient((CW, CH), [(0, (120, 160, 205)), (0.5, sky), (1, sky)])
    _clouds(img, rng, 6, (0.03, 0.2), (255, 255, 255), 170)
    draw = ImageDraw.Draw(img)
    cam = Camera(CW, CH, eye=1.6, horizon=0.5, focal=0.5, x=0.4)
    _quad(draw, cam, [(-80, 0, 1.5), (80, 0, 1.5), (80, 0, 300), (-80, 0, 300)], (150, 148, 146))
    facades = [(214, 196, 170), (190, 110, 80), (230, 222, 204), (170, 150, 130), (200, 90, 70)]
    for side in (-1, 1):
        for i in reversed(range(26)):
            z0, z1 = 4 + i * 7.0, 4 + (i + 1) * 7.0
            xf = 11 * side
            c = _fade(facades[(i * 3 + (side > 0)) % 5], sky, z0, 120)
            hgt = 9 + (i * 7 % 4)
            _quad(draw, cam, [(xf, 0, z0), (xf, 0, z1), (xf, hgt, z1), (xf, hgt, z0)], c)
            for fl in range(3):
                y0 = 3.2 + fl * 2.8
                for wz in (z0 + 1.3, z0 + 4.2):
                    _quad(
                        draw,
                        cam,
                        [
                            (xf, y0, wz),
                            (xf, y0, wz + 1.4),
                            (xf, y0 + 1.7, wz + 1.4),
                            (xf, y0 + 1.7, wz),
                        ],
                        _fade((70, 80, 96), sky, z0, 120),
                    )
            _quad(
                draw,
                cam,
                [(xf, 0, z0 + 0.6), (xf, 0, z1 - 0.6), (xf, 2.6, z1 - 0.6), (xf, 2.6, z0 + 0.6)],
                _fade((60, 60, 66), sky, z0, 120),
            )
    stripes = [
        ((200, 40, 40), (245, 240, 230)),
        ((40, 120, 70), (240, 240, 230)),
        ((40, 80, 160), (245, 240, 230)),
        ((230, 160, 30), (250, 245, 235)),
    ]
    produce = [
        (220, 60, 40),
        (240, 160, 30),
        (90, 150, 50),
        (150, 60, 120),
        (230, 210, 90),
        (120, 80, 50),
    ]
    for side in (-1, 1):
        for i in reversed(range(10)):
            z0, z1 = 3.2 + i * 6.5, 3.2 + i * 6.5 + 5.0
            x_in, x_out = 3.0 * side, 6.5 * side
            a, b = stripes[(i + (side > 0)) % 4]
            _quad(
                draw,
                cam,
                [(x_in, 0.9, z0), (x_in, 0.9, z1), (x_out, 0.9, z1), (x_out, 0.9, z0)],
                (130, 100, 70),
            )
            p0, p1 = cam(x_in, 0.9, z0), cam(x_in, 0.9, z1)
            step = max(4, int(cam.size(0.25, z0)))
            for _ in range(60):
                t = rng.random()
                x, y = _lerp(p0[0], p1[0], t), _lerp(p0[1], p1[1], t) - rng.uniform(0, step)
                r = max(2, cam.size(0.09, _lerp(z0, z1, t)))
                draw.ellipse((x - r, y - r, x + r, y + r), fill=rng.choice(produce))
            _quad(
                draw,
                cam,
                [(x_in, 0, z0), (x_in, 0, z1), (x_in, 0.88, z1), (x_in, 0.88, z0)],
                (110, 84, 60),
            )
            n = 10
            for k in range(n):
                za, zb = _lerp(z0, z1, k / n), _lerp(z0, z1, (k + 1) / n)
                under_a, under_b = _mix(a, (40, 30, 30), 0.35), _mix(b, (40, 30, 30), 0.35)
                _quad(
                    draw,
                    cam,
                    [
                        (x_in - 0.7 * side, 2.25, za),
                        (x_in - 0.7 * side, 2.25, zb),
                        (x_out, 3.1, zb),
                        (x_out, 3.1, za),
                    ],
                    under_a if k % 2 == 0 else under_b,
                )
                _quad(
                    draw,
                    cam,
                    [
                        (x_in - 0.7 * side, 2.25, za),
                        (x_in - 0.7 * side, 2.25, zb),
                        (x_in - 0.7 * side, 1.9, zb),
                        (x_in - 0.7 * side, 1.9, za),
                    ],
                    a if k % 2 == 0 else b,
                )
    coats = [
        (60, 60, 70),
        (160, 50, 50),
        (50, 90, 140),
        (200, 180, 150),
        (90, 110, 60),
        (120, 70, 110),
    ]
    spots = sorted(
        ((rng.uniform(-2.4, 2.4), rng.uniform(2.6, 50) ** 1.0) for _ in range(34)),
        key=lambda p: -p[1],
    )
    for x, z in spots:
        _figure_at(
            draw,
            cam,
            rng,
            x,
            z,
            rng.uniform(1.55, 1.85),
            colour=(50, 40, 36),
            coat=rng.choice(coats),
        )
    return _finish(img, rng, style="modern", grain=0.035, vignette=0.15)


def eglise(rng: random.Random) -> Image.Image:
    """A brick parish church with its spire, on a bright Sunday morning."""
    img = _gradient((CW, CH), [(0, (70, 120, 190)), (0.7, (170, 200, 228)), (1, (190, 212, 232))])
    _clouds(img, rng, 5, (0.05, 0.3), (255, 255, 255), 170)
    draw = ImageDraw.Draw(img)
    ground = CH * 0.83
    brick, mortar, stone = (160, 82, 60), (190, 150, 130), (214, 206, 190)
    _bricks(draw, (CW * 0.2, CH * 0.5, CW * 0.8, ground), brick, mortar, CH * 0.012, rng)
    draw.polygon(
        [(CW * 0.18, CH * 0.5), (CW * 0.5, CH * 0.36), (CW * 0.82, CH * 0.5)], fill=(70, 76, 86)
    )
    _bricks(
        draw,
        (CW * 0.42, CH * 0.3, CW * 0.58, ground),
        _mix(brick, (0, 0, 0), 0.06),
        mortar,
        CH * 0.012,
        rng,
    )
    draw.polygon(
        [(CW * 0.42, CH * 0.3), (CW * 0.5, CH * 0.02), (CW * 0.58, CH * 0.3)], fill=(64, 70, 80)
    )
    draw.polygon(
        [(CW * 0.5, CH * 0.02), (CW * 0.58, CH * 0.3), (CW * 0.52, CH * 0.3)], fill=(48, 52, 60)
    )
    draw.line((CW * 0.5, CH * 0.02, CW * 0.5, -CH * 0.03), fill=(50, 50, 50), width=6)
    draw.line((CW * 0.49, -CH * 0.01, CW * 0.51, -CH * 0.01), fill=(50, 50, 50), width=6)
    draw.ellipse((CW * 0.465, CH * 0.33, CW * 0.535, CH * 0.43), fill=stone)
    draw.ellipse((CW * 0.475, CH * 0.345, CW * 0.525, CH * 0.415), fill=(70, 60, 90))
    for k in range(8):
        a = k * math.pi / 4
        draw.line(
            (
                CW * 0.5,
                CH * 0.38,
                CW * 0.5 + CW * 0.025 * math.cos(a),
                CH * 0.38 + CH * 0.035 * math.sin(a),
            ),
            fill=stone,
            width=4,
        )
    draw.rectangle((CW * 0.46, CH * 0.6, CW * 0.54, ground), fill=(70, 44, 32))
    draw.pieslice((CW * 0.46, CH * 0.55, CW * 0.54, CH * 0.65), 180, 360, fill=(70, 44, 32))
    draw.arc((CW * 0.455, CH * 0.545, CW * 0.545, CH * 0.655), 180, 360, fill=stone, width=8)
    for x in (0.25, 0.32, 0.64, 0.71):
        draw.rectangle((CW * x, CH * 0.58, CW * (x + 0.035), CH * 0.75), fill=(60, 70, 96))
        draw.pieslice((CW * x, CH * 0.56, CW * (x + 0.035), CH * 0.6), 180, 360, fill=(60, 70, 96))
    draw.rectangle((0, ground, CW, CH), fill=(130, 128, 124))
    draw.polygon(
        [(CW * 0.44, ground), (CW * 0.56, ground), (CW * 0.7, CH), (CW * 0.3, CH)],
        fill=(176, 170, 160),
    )
    for x in (0.06, 0.14, 0.88, 0.96):
        _tree(draw, rng, CW * x, CH * 0.7, CW * 0.08, (40, 80, 40), (120, 160, 70))
    for _i in range(7):
        _person(
            draw,
            CW * rng.uniform(0.38, 0.62),
            CH * rng.uniform(0.86, 0.96),
            CH * rng.uniform(0.16, 0.2),
            (40, 36, 34),
            rng,
            coat=rng.choice([(40, 40, 60), (140, 40, 50), (200, 190, 170), (60, 90, 60)]),
        )
    return _finish(img, rng, style="modern", grain=0.03, vignette=0.15)


def canal(rng: random.Random) -> Image.Image:
    """The canal on a misty morning: towpath, poplars, a barge moored, reflections."""
    sky = (214, 216, 214)
    img = _gradient((CW, CH), [(0, (168, 184, 198)), (0.5, sky), (1, sky)])
    draw = ImageDraw.Draw(img)
    cam = Camera(CW, CH, eye=2.0, horizon=0.5, focal=0.55, x=-3.0)
    _quad(
        draw,
        cam,
        [(-200, 0.5, 1.0), (-9, 0.5, 1.0), (-9, 0.5, 600), (-200, 0.5, 600)],
        (120, 134, 104),
    )
    _quad(
        draw, cam, [(9, 0.5, 1.0), (200, 0.5, 1.0), (200, 0.5, 600), (9, 0.5, 600)], (126, 140, 108)
    )
    for side in (-1, 1):
        for k in reversed(range(30)):
            z = 8 + k * 9
            x = (14 + rng.uniform(-1, 1)) * side
            b = cam(x, 0.5, z)
            c = _fade((54, 74, 50), sky, z, 70)
            _poplar(draw, b[0], b[1], cam.size(rng.uniform(16, 22), z), c)
    # the barge along the right bank
    z0, z1, x0, _x1 = 14.0, 52.0, 4.5, 8.8
    hull = (40, 40, 46)
    _quad(draw, cam, [(x0, -0.3, z0), (x0, -0.3, z1), (x0, 1.6, z1), (x0, 1.6, z0)], hull)
    _quad(draw, cam, [(x0, 1.2, z0), (x0, 1.2, z1), (x0, 1.5, z1), (x0, 1.5, z0)], (150, 40, 40))
    _quad(
        draw,
        cam,
        [
            (x0 + 0.5, 1.6, z0 + 1.0),
            (x0 + 0.5, 1.6, z0 + 7.0),
            (x0 + 0.5, 3.4, z0 + 7.0),
            (x0 + 0.5, 3.4, z0 + 1.0),
        ],
        (236, 232, 220),
    )
    for wz in (z0 + 2.0, z0 + 4.2):
        _quad(
            draw,
            cam,
            [
                (x0 + 0.5, 2.2, wz),
                (x0 + 0.5, 2.2, wz + 1.4),
                (x0 + 0.5, 3.0, wz + 1.4),
                (x0 + 0.5, 3.0, wz),
            ],
            (70, 90, 110),
        )
    _quad(
        draw,
        cam,
        [(x0, 1.6, z0 + 8), (x0, 1.6, z1 - 1), (x0 + 0.1, 2.3, z1 - 1), (x0 + 0.1, 2.3, z0 + 8)],
        (60, 70, 60),
    )
    for k in range(12):
        fz = z0 + 1.2 + k * 0.5
        p = cam(x0 + 0.4, 3.5, fz)
        r = cam.size(0.2, fz)
        draw.ellipse(
            (p[0] - r, p[1] - r, p[0] + r, p[1] + r),
            fill=rng.choice([(210, 50, 60), (240, 200, 60), (230, 120, 150)]),
        )
    # the far bridge
    bz = 160
    a, b = cam(-12, 4.5, bz), cam(12, 4.5, bz)
    draw.rectangle((a[0], a[1], b[0], cam(0, 3.5, bz)[1]), fill=_fade((60, 60, 64), sky, bz, 90))
    for x in (-12, 12):
        p, q = cam(x, 0.5, bz), cam(x, 9, bz)
        draw.rectangle((p[0] - 10, q[1], p[0] + 10, p[1]), fill=_fade((60, 60, 64), sky, bz, 90))
    water_top = int(cam(0, 0, 600)[1])
    upper = img.crop((0, 0, CW, water_top))
    refl = upper.transpose(Image.Transpose.FLIP_TOP_BOTTOM).filter(ImageFilter.GaussianBlur(6))
    refl = Image.blend(refl, Image.new("RGB", refl.size, (90, 104, 110)), 0.35)
    water = Image.new("RGB", (CW, CH - water_top), (90, 104, 110))
    water.paste(refl.crop((0, 0, CW, min(refl.height, CH - water_top))), (0, 0))
    wd = ImageDraw.Draw(water)
    for _ in range(220):
        y = rng.uniform(0, water.height) ** 1.0
        x = rng.uniform(0, CW)
        ln = rng.uniform(30, 160) * (0.3 + y / water.height)
        wd.line((x, y, x + ln, y), fill=rng.choice([(200, 206, 206), (60, 70, 76)]), width=2)
    mask = Image.new("L", img.size, 0)
    md = ImageDraw.Draw(mask)
    md.polygon([cam(-9, 0.5, 1.0), cam(9, 0.5, 1.0), cam(9, 0.5, 600), cam(-9, 0.5, 600)], fill=255)
    md.polygon([cam(x0, -0.3, z0), cam(x0, -0.3, z1), cam(x0, 1.6, z1), cam(x0, 1.6, z0)], fill=0)
    full = Image.new("RGB", img.size)
    full.paste(water, (0, water_top))
    img.paste(full, (0, 0), mask)
    draw = ImageDraw.Draw(img)
    # towpath and bollards on the near-left bank
    _quad(
        draw,
        cam,
        [(-9, 0.5, 1.0), (-6.5, 0.5, 1.0), (-6.5, 0.5, 600), (-9, 0.5, 600)],
        (176, 170, 156),
    )
    _figure_at(draw, cam, rng, -12.0, 40, 1.75, coat=(60, 70, 90))
    layer, ldr = _layer(img)
    for _ in range(12):
        y = CH * rng.uniform(0.35, 0.6)
        xa = rng.uniform(-0.2, 0.8) * CW
        ldr.ellipse(
            (xa, y - CH * 0.05, xa + rng.uniform(0.3, 0.7) * CW, y + CH * 0.05),
            fill=(236, 236, 232, 70),
        )
    _merge(img, layer, blur=CW / 40)
    return _finish(img, rng, style="modern", grain=0.03, vignette=0.15)


def hauts_fourneaux(rng: random.Random) -> Image.Image:
    """The blast furnaces of the Denain steelworks at dusk, 1976."""
    img = _gradient(
        (CW, CH),
        [(0, (50, 44, 70)), (0.45, (200, 100, 70)), (0.7, (250, 170, 90)), (1, (250, 170, 90))],
    )
    _glow(img, (int(CW * 0.7), int(CH * 0.7)), int(CW * 0.3), (255, 220, 150), 0.7)
    layer, ldr = _layer(img)
    for k in range(40):
        x, y = (
            CW * (0.2 + k * 0.012) + rng.uniform(-40, 40),
            CH * (0.25 - k * 0.004) + rng.uniform(-30, 30),
        )
        r = CW * (0.02 + k * 0.0015)
        ldr.ellipse((x - r, y - r * 0.7, x + r, y + r * 0.7), fill=(90, 80, 90, 120))
    for k in range(30):
        x, y = (
            CW * (0.72 + k * 0.01) + rng.uniform(-30, 30),
            CH * (0.14 - k * 0.003) + rng.uniform(-20, 20),
        )
        r = CW * (0.015 + k * 0.0015)
        ldr.ellipse((x - r, y - r * 0.7, x + r, y + r * 0.7), fill=(200, 190, 190, 110))
    _merge(img, layer, blur=18)
    draw = ImageDraw.Draw(img)
    dark = (30, 24, 30)
    ground = CH * 0.78
    for x in (0.2, 0.72):
        draw.rectangle((CW * x - 14, CH * 0.08, CW * x + 14, ground), fill=dark)
    for fx in (0.38, 0.58):
        x = CW * fx
        draw.polygon(
            [
                (x - CW * 0.05, ground),
                (x + CW * 0.05, ground),
                (x + CW * 0.04, CH * 0.4),
                (x + CW * 0.025, CH * 0.3),
                (x - CW * 0.025, CH * 0.3),
                (x - CW * 0.04, CH * 0.4),
            ],
            fill=dark,
        )
        draw.rectangle((x - CW * 0.03, CH * 0.22, x + CW * 0.03, CH * 0.3), fill=dark)
        draw.line(
            (x, CH * 0.22, x - CW * 0.06, CH * 0.12, x - CW * 0.1, CH * 0.4), fill=dark, width=22
        )
        for s in range(3):
            sx = x + CW * (0.07 + s * 0.035)
            draw.rectangle((sx - CW * 0.014, CH * 0.36, sx + CW * 0.014, ground), fill=dark)
            draw.pieslice(
                (sx - CW * 0.014, CH * 0.34, sx + CW * 0.014, CH * 0.38), 180, 360, fill=dark
            )
    draw.line((CW * 0.0, CH * 0.66, CW * 0.34, CH * 0.36), fill=dark, width=30)
    draw.line((CW * 0.0, CH * 0.7, CW * 0.34, CH * 0.4), fill=dark, width=8)
    draw.rectangle((0, ground, CW, CH), fill=(24, 18, 22))
    lights = Image.new("RGB", img.size, (0, 0, 0))
    lg = ImageDraw.Draw(lights)
    for _ in range(22):
        x, y = (
            rng.choice([0.2, 0.38, 0.45, 0.52, 0.58, 0.65, 0.72]) * CW + rng.uniform(-30, 30),
            rng.uniform(0.3, 0.76) * CH,
        )
        draw.ellipse((x - 4, y - 4, x + 4, y + 4), fill=(255, 220, 150))
        lg.ellipse((x - 18, y - 18, x + 18, y + 18), fill=(255, 160, 60))
    for fx in (0.38, 0.58):
        lg.ellipse((CW * fx - 80, ground - 80, CW * fx + 80, ground + 40), fill=(255, 140, 40))
    img = ImageChops.screen(img, lights.filter(ImageFilter.GaussianBlur(14)))
    draw = ImageDraw.Draw(img)
    for k in range(6):
        x = CW * (0.05 + k * 0.16)
        draw.rectangle((x, CH * 0.82, x + CW * 0.13, CH * 0.88), fill=(40, 30, 30))
        for wx in (x + CW * 0.02, x + CW * 0.11):
            draw.ellipse((wx - 12, CH * 0.87, wx + 12, CH * 0.89), fill=(10, 8, 10))
    draw.line((0, CH * 0.9, CW, CH * 0.9), fill=(80, 60, 50), width=4)
    return _finish(img, rng, style="faded", grain=0.04, vignette=0.28)


def immeubles(rng: random.Random) -> Image.Image:
    """Social-housing blocks on an overcast day, one half demolished behind the site fence."""
    sky = (196, 204, 214)
    img = _gradient((CW, CH), [(0, (150, 164, 182)), (0.6, sky), (1, sky)])
    _clouds(img, rng, 10, (0.02, 0.4), (226, 230, 236), 160)
    draw = ImageDraw.Draw(img)
    cam = Camera(CW, CH, eye=1.6, horizon=0.66, focal=0.8, x=0)
    _quad(draw, cam, [(-300, 0, 3), (300, 0, 3), (300, 0, 600), (-300, 0, 600)], (120, 130, 100))
    blocks = [(-80, -24, 90, 13), (-30, 4, 62, 11), (34, 70, 70, 8)]
    for bx0, bx1, z, h in blocks:
        face = _fade((206, 196, 176), sky, z, 260)
        _quad(draw, cam, [(bx0, 0, z), (bx1, 0, z), (bx1, h, z), (bx0, h, z)], face)
        _quad(
            draw,
            cam,
            [(bx1, 0, z), (bx1, 0, z + 12), (bx1, h, z + 12), (bx1, h, z)],
            _mix(face, (0, 0, 0), 0.18),
        )
        p0, p1 = cam(bx0, h, z), cam(bx1, 0, z)
        cols = int((bx1 - bx0) / 3.2)
        _windows(
            draw,
            (p0[0], p0[1], p1[0], p1[1]),
            cols,
            int(h / 2.7),
            _fade((70, 80, 96), sky, z, 260),
            face,
            margin=0.2,
        )
        for k in range(cols // 4):
            x = bx0 + (k + 0.5) * (bx1 - bx0) / (cols // 4)
            q0, q1 = cam(x - 1.0, h, z - 0.01), cam(x + 1.0, 0, z - 0.01)
            draw.rectangle((q0[0], q0[1], q1[0], q1[1]), fill=_mix(face, (90, 80, 70), 0.25))
    # the block being demolished: broken profile, floors showing, rubble
    z = 40.0
    dx0, dx1, h = 2.0, 30.0, 12
    face = (214, 202, 182)
    prof = [(dx0, 0)]
    for k in range(13):
        x = _lerp(dx0, dx1, k / 12)
        prof.append((x, h if k < 4 else max(2.0, h - (k - 3) * 1.3 + rng.uniform(-1.5, 1.5))))
    prof.append((dx1, 0))
    draw.polygon([cam(x, y, z) for x, y in prof], fill=face)
    p0, p1 = cam(dx0, h, z), cam(dx0 + 9, 0, z)
    _windows(draw, (p0[0], p0[1], p1[0], p1[1]), 3, 4, (70, 80, 96), face, margin=0.2)
    for k in range(4, 12):
        x = _lerp(dx0, dx1, k / 12)
        top = prof[k + 1][1]
        for fl in range(int(top / 3)):
            a, b = cam(x, fl * 3.0, z), cam(x + 2.4, fl * 3.0 + 2.6, z)
            draw.rectangle(
                (a[0], b[1], b[0], a[1]),
                fill=rng.choice([(120, 150, 170), (210, 170, 150), (170, 180, 140), (90, 90, 96)]),
            )
    rubble = []
    for k in range(30):
        x = _lerp(dx0 + 6, dx1 + 6, k / 29)
        rubble.append(cam(x, rng.uniform(1.0, 3.5), z - 4))
    draw.polygon([cam(dx0 + 4, 0, z - 6)] + rubble + [cam(dx1 + 8, 0, z - 6)], fill=(150, 140, 128))
    # excavator with its long arm
    ex, ez = 20.0, 32.0
    body0, body1 = cam(ex, 0.4, ez), cam(ex + 4.5, 3.2, ez)
    draw.rectangle((body0[0], body1[1], body1[0], body0[1]), fill=(236, 180, 30))
    draw.rectangle((body0[0] - 10, body0[1], body1[0] + 10, cam(ex, 0, ez)[1]), fill=(40, 40, 40))
    arm = [cam(ex + 1.0, 3.0, ez), cam(ex - 3.0, 13.0, ez), cam(ex - 6.0, 9.0, ez)]
    draw.line(arm, fill=(236, 180, 30), width=round(cam.size(0.5, ez)))
    # site fence in front
    _quad(
        draw, cam, [(-40, 0.01, 3), (40, 0.01, 3), (40, 0.01, 13), (-40, 0.01, 13)], (150, 146, 136)
    )
    for k in range(36):
        x = -36 + k * 2.2
        a, b = cam(x, 0, 13), cam(x + 2.1, 2.0, 13)
        draw.rectangle((a[0], b[1], b[0], a[1]), outline=(150, 150, 150), width=3)
        for m in range(1, 6):
            xx = _lerp(a[0], b[0], m / 6)
            draw.line((xx, b[1], xx, a[1]), fill=(170, 170, 170), width=1)
    for x in (-0.1, 0.95):
        _tree(draw, rng, CW * (x + 0.05), CH * 0.66, CW * 0.07, (50, 80, 44), (120, 150, 70))
    return _finish(img, rng, style="modern", grain=0.035, vignette=0.15)


def epicerie(rng: random.Random) -> Image.Image:
    """A corner grocery in the 1960s: shop window, striped blind, the shopkeeper at the door."""
    img = _gradient((CW, CH), [(0, (196, 198, 196)), (1, (220, 220, 216))])
    draw = ImageDraw.Draw(img)
    ground = CH * 0.86
    _bricks(draw, (0, 0, CW, ground), (150, 88, 66), (200, 176, 156), CH * 0.014, rng)
    stone = (224, 216, 198)
    draw.rectangle((CW * 0.06, CH * 0.3, CW * 0.94, ground), fill=(76, 66, 60))
    draw.rectangle((CW * 0.06, CH * 0.3, CW * 0.94, CH * 0.4), fill=(40, 50, 60))
    font = _font(CH * 0.06)
    text = "ALIMENTATION GENERALE"
    tw = draw.textlength(text, font=font)
    draw.text((CW * 0.5 - tw / 2, CH * 0.315), text, font=font, fill=(236, 228, 206))
    for k in range(14):
        x0 = CW * (0.06 + k * 0.88 / 14)
        x1 = x0 + CW * 0.88 / 14
        draw.polygon(
            [
                (x0, CH * 0.4),
                (x1, CH * 0.4),
                (x1 + CW * 0.004, CH * 0.47),
                (x0 + CW * 0.004, CH * 0.47),
            ],
            fill=(200, 60, 50) if k % 2 == 0 else (240, 232, 214),
        )
        draw.pieslice(
            (x0, CH * 0.45, x1, CH * 0.49),
            0,
            180,
            fill=(200, 60, 50) if k % 2 == 0 else (240, 232, 214),
        )
    draw.rectangle((CW * 0.09, CH * 0.5, CW * 0.62, CH * 0.8), fill=(60, 64, 66))
    for shelf in range(4):
        y = CH * (0.56 + shelf * 0.065)
        draw.line((CW * 0.1, y, CW * 0.61, y), fill=(140, 110, 80), width=6)
        x = CW * 0.11
        while x < CW * 0.6:
            w = CW * rng.uniform(0.012, 0.025)
            h = CH * rng.uniform(0.025, 0.045)
            draw.rectangle(
                (x, y - h, x + w, y),
                fill=rng.choice(
                    [
                        (220, 200, 150),
                        (180, 60, 50),
                        (230, 230, 220),
                        (90, 120, 70),
                        (200, 150, 60),
                        (60, 80, 140),
                    ]
                ),
            )
            x += w + CW * 0.004
    layer, ldr = _layer(img)
    ldr.polygon(
        [(CW * 0.12, CH * 0.5), (CW * 0.2, CH * 0.5), (CW * 0.12, CH * 0.8)],
        fill=(255, 255, 255, 50),
    )
    _merge(img, layer, blur=8)
    draw = ImageDraw.Draw(img)
    draw.rectangle((CW * 0.68, CH * 0.5, CW * 0.86, ground), fill=(40, 34, 30))
    draw.rectangle((CW * 0.7, CH * 0.52, CW * 0.84, CH * 0.68), fill=(70, 76, 80))
    _person(draw, CW * 0.77, ground, CH * 0.36, (40, 34, 30), rng, coat=(230, 226, 214))
    draw.rectangle((0, ground, CW, CH), fill=(150, 146, 140))
    _windows(
        draw, (CW * 0.1, CH * 0.04, CW * 0.9, CH * 0.26), 3, 1, (70, 74, 80), stone, margin=0.2
    )
    for k in range(3):
        x0 = CW * (0.1 + k * 0.8 / 3) + CW * 0.8 / 3 * 0.2
        draw.rectangle((x0, CH * 0.06, x0 + CW * 0.06, CH * 0.24), fill=(236, 232, 222))
    # bicycle with a basket at the kerb
    bx, by = CW * 0.2, CH * 0.92
    r = CH * 0.06
    for dx in (0, CW * 0.12):
        draw.ellipse((bx + dx - r, by - r, bx + dx + r, by + r), outline=(30, 28, 26), width=7)
    draw.line(
        (bx, by, bx + CW * 0.05, by - CH * 0.09, bx + CW * 0.12, by), fill=(30, 28, 26), width=8
    )
    draw.rectangle(
        (bx + CW * 0.1, by - CH * 0.15, bx + CW * 0.15, by - CH * 0.1), fill=(150, 120, 80)
    )
    return _finish(img, rng, style="sepia", grain=0.05)


SCENES = {
    "chevalement": chevalement,
    "corons": corons,
    "terril": terril,
    "ecole": ecole,
    "ducasse": ducasse,
    "gare": gare,
    "bouteille": bouteille,
    "stade": stade,
    "marche": marche,
    "eglise": eglise,
    "canal": canal,
    "hauts_fourneaux": hauts_fourneaux,
    "immeubles": immeubles,
    "epicerie": epicerie,
}


def _dms(value: float) -> tuple[float, float, float]:
    value = abs(value)
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    return float(degrees), float(minutes), round((value - degrees - minutes / 60) * 3600, 2)


def _exif(photo: PhotoDef) -> bytes:
    """EXIF as a phone or a scanner writes it: camera, date, owner, GPS, orientation."""
    exif = Image.Exif()
    if photo.camera:
        exif[0x010F], exif[0x0110] = photo.camera  # Make, Model
    if photo.taken_at:
        exif[0x0132] = photo.taken_at  # DateTime
    if photo.owner:
        exif[0x013B] = photo.owner  # Artist
    if photo.orientation != 1:
        exif[0x0112] = photo.orientation
    sub = {}
    if photo.taken_at:
        sub[0x9003] = photo.taken_at  # DateTimeOriginal
    if photo.owner:
        sub[0xA430] = photo.owner  # CameraOwnerName: personal, must not survive derivatives
    if sub:
        exif[0x8769] = sub
    if photo.gps:
        lat, lon, alt = photo.gps
        exif[0x8825] = {
            0: b"\x02\x03\x00\x00",
            1: "N" if lat >= 0 else "S",
            2: _dms(lat),
            3: "E" if lon >= 0 else "W",
            4: _dms(lon),
            5: b"\x00",
            6: alt,
            29: (photo.taken_at or "")[:10],
        }
    return exif.tobytes()


def make_photo(photo: PhotoDef) -> bytes:
    """Draw one photo and encode it as a JPEG, stored rotated when its EXIF says so."""
    image = SCENES[photo.scene](random.Random(f"memoire-demo:{photo.path}"))
    if photo.orientation == 6:
        # Orientation 6 means "rotate 90° clockwise to display": store it turned the other way.
        image = image.transpose(Image.Transpose.ROTATE_90)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=70, optimize=True, exif=_exif(photo))
    return buffer.getvalue()


# --- Audio --------------------------------------------------------------------------------------

SAMPLE_RATE = 22050  # what espeak-ng produces
LEAD_IN, SAME_SPEAKER_GAP, TURN_GAP, TAIL = 0.3, 0.35, 0.6, 0.5
ENCODER_ARGS = {
    "ogg": ["-c:a", "libvorbis", "-b:a", "32k"],
    "opus": ["-c:a", "libopus", "-b:a", "32k", "-application", "voip"],
    "mp3": ["-c:a", "libmp3lame", "-b:a", "32k"],
    "wav": ["-c:a", "pcm_s16le", "-ar", "8000"],
}


@dataclass(frozen=True)
class Cue:
    start: float
    end: float
    speaker: str
    text: str


def _ffmpeg() -> str:
    import imageio_ffmpeg

    return imageio_ffmpeg.get_ffmpeg_exe()


def _speak(text: str, voice: Voice, workdir: Path) -> bytes:
    """16-bit mono PCM frames of one line, as espeak-ng says it."""
    out = workdir / "line.wav"
    subprocess.run(
        [
            "espeak-ng",
            "-v",
            voice.espeak,
            "-s",
            str(voice.speed),
            "-p",
            str(voice.pitch),
            "-w",
            str(out),
            text,
        ],
        check=True,
        capture_output=True,
    )
    with wave.open(str(out), "rb") as clip:
        if (clip.getframerate(), clip.getnchannels(), clip.getsampwidth()) != (SAMPLE_RATE, 1, 2):
            raise RuntimeError(f"unexpected espeak-ng output format for {voice.espeak}")
        return clip.readframes(clip.getnframes())


def _silence(seconds: float) -> bytes:
    return b"\x00\x00" * round(seconds * SAMPLE_RATE)


def synthesise(recording: Recording, workdir: Path) -> tuple[Path, list[Cue]]:
    """Speak the cues one by one; each cue's times are where its speech really sits in the clip."""
    pcm = bytearray(_silence(LEAD_IN))
    cues: list[Cue] = []
    previous = None
    for speaker, text in recording.cues:
        if previous is not None:
            pcm += _silence(SAME_SPEAKER_GAP if speaker == previous else TURN_GAP)
        start = len(pcm) / 2 / SAMPLE_RATE
        pcm += _speak(text, recording.voices[speaker], workdir)
        cues.append(Cue(round(start, 3), round(len(pcm) / 2 / SAMPLE_RATE, 3), speaker, text))
        previous = speaker
    pcm += _silence(TAIL)
    master = workdir / f"{recording.story}.wav"
    with wave.open(str(master), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        out.writeframes(bytes(pcm))
    return master, cues


def encode(master: Path, dest: Path, recording: Recording, story: dict) -> None:
    """Encode small and bit-exact, with the tags a recorder or an editor would have written."""
    tags = {
        "title": recording.title,
        "artist": story["narrators"][0]["name"],
        "album": "Réseau Hainaut Solidaire — archive de démonstration",
        "date": story["recorded_on"][:4],
        "comment": "Voix de synthèse (espeak-ng), enregistrement de démonstration de memoire.",
    }
    metadata = [arg for key, value in tags.items() for arg in ("-metadata", f"{key}={value}")]
    subprocess.run(
        [
            _ffmpeg(),
            "-nostdin",
            "-hide_banner",
            "-loglevel",
            "error",
            "-y",
            "-i",
            str(master),
            "-ac",
            "1",
            *ENCODER_ARGS[recording.fmt],
            "-map_metadata",
            "-1",
            *metadata,
            "-fflags",
            "+bitexact",
            "-flags:a",
            "+bitexact",
            str(dest),
        ],
        check=True,
    )


def _timestamp(seconds: float) -> str:
    ms = round(seconds * 1000)
    hours, ms = divmod(ms, 3_600_000)
    minutes, ms = divmod(ms, 60_000)
    secs, ms = divmod(ms, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{ms:03d}"


def webvtt(cues: list[Cue], language: str) -> str:
    note = {
        "fr": "NOTE Voix de synthèse (espeak-ng) : enregistrement de démonstration.",
        "nl": "NOTE Synthetische stem (espeak-ng): demo-opname.",
    }[language]
    blocks = ["WEBVTT", note]
    for number, cue in enumerate(cues, 1):
        text = cue.text.replace("&", "&amp;").replace("<", "&lt;")
        blocks.append(
            f"{number}\n{_timestamp(cue.start)} --> {_timestamp(cue.end)}\n<v {cue.speaker}>{text}"
        )
    return "\n\n".join(blocks) + "\n"


CUE_TIMING = re.compile(r"^(\d{2}):(\d{2}):(\d{2})\.(\d{3}) --> (\d{2}):(\d{2}):(\d{2})\.(\d{3})$")


def read_cues(path: Path) -> list[tuple[float, float, str]]:
    """Cues of one of our WebVTT files: (start, end, text with its voice tag)."""
    lines = path.read_text("utf-8").splitlines()
    cues = []
    for index, line in enumerate(lines):
        match = CUE_TIMING.match(line)
        if match:
            n = [int(g) for g in match.groups()]
            start = n[0] * 3600 + n[1] * 60 + n[2] + n[3] / 1000
            end = n[4] * 3600 + n[5] * 60 + n[6] + n[7] / 1000
            cues.append((start, end, lines[index + 1] if index + 1 < len(lines) else ""))
    return cues


# --- Build --------------------------------------------------------------------------------------


def _write(path: Path, data: bytes | str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, "utf-8")
    else:
        path.write_bytes(data)


def build_recordings(data_dir: Path) -> None:
    if not shutil.which("espeak-ng"):
        raise SystemExit(
            "espeak-ng is needed to rebuild the recordings (apt-get install espeak-ng)"
        )
    stories = {s["id"]: s for s in STORIES}
    with tempfile.TemporaryDirectory() as tmp:
        for recording in RECORDINGS.values():
            story = stories[recording.story]
            master, cues = synthesise(recording, Path(tmp))
            dest = data_dir / recording.audio_path
            dest.parent.mkdir(parents=True, exist_ok=True)
            encode(master, dest, recording, story)
            _write(data_dir / recording.transcript_path, webvtt(cues, story["language"]))
            print(
                f"  {recording.audio_path}: {cues[-1].end + TAIL:.1f} s, {dest.stat().st_size // 1024} KB"
            )


def build_photos(data_dir: Path) -> None:
    for photo in PHOTOS:
        data = make_photo(photo)
        _write(data_dir / photo.path, data)
        print(f"  {photo.path}: {len(data) // 1024} KB")


def exhibition_json(data_dir: Path) -> dict:
    """The exhibition with excerpt cue ranges turned into seconds from the written transcripts."""
    out = {key: value for key, value in EXHIBITION.items() if key != "items"}
    out["items"] = []
    for item in EXHIBITION["items"]:
        entry = {"story": item["story"], "caption": item["caption"]}
        if "excerpt" in item:
            first, last = item["excerpt"]
            cues = read_cues(data_dir / RECORDINGS[item["story"]].transcript_path)
            entry["excerpt"] = {
                "start": math.floor(cues[first - 1][0] * 10) / 10,
                "end": math.ceil(cues[last - 1][1] * 10) / 10,
            }
        else:
            entry["excerpt"] = {"photo": item["photo"]}
        out["items"].append(entry)
    return out


def build_json(data_dir: Path) -> None:
    lines = [json.dumps(story, ensure_ascii=False) for story in STORIES]
    _write(data_dir / STORIES_FILE, "\n".join(lines) + "\n")
    _write(
        data_dir / EXHIBITION_FILE,
        json.dumps(exhibition_json(data_dir), ensure_ascii=False, indent=2) + "\n",
    )


def remove_strays(data_dir: Path) -> None:
    """Drop media and transcripts that no story names any more."""
    wanted = {p.path for p in PHOTOS} | {r.audio_path for r in RECORDINGS.values()}
    wanted |= {r.transcript_path for r in RECORDINGS.values()}
    for folder in ("media", "transcripts"):
        for path in (data_dir / folder).glob("*"):
            if path.relative_to(data_dir).as_posix() not in wanted:
                path.unlink()


def build(data_dir: Path, *, recordings: bool = True) -> None:
    if recordings:
        print("recordings:")
        build_recordings(data_dir)
    print("photos:")
    build_photos(data_dir)
    build_json(data_dir)
    if recordings:
        remove_strays(data_dir)


# --- Check --------------------------------------------------------------------------------------


def _audio_info(path: Path) -> object:
    """Stream facts (length, sample rate, channels) as mutagen reads them."""
    import mutagen

    audio = mutagen.File(path)
    if audio is None:
        raise ValueError("not an audio file mutagen can read")
    return audio.info


def _check_place(place: dict, named: set[str], where: str, problems: list[str]) -> None:
    if not set(place) <= PLACE_KEYS or not {"name", "type", "lat", "lon", "role"} <= set(place):
        problems.append(f"{where}: place keys {sorted(place)}")
        return
    if place["type"] not in PLACE_TYPES or place["role"] not in {"happened", "told"}:
        problems.append(f"{where}: place {place['name']}: bad type or role")
    lat, lon = place["lat"], place["lon"]
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        problems.append(f"{where}: place {place['name']}: coordinates out of range")
    elif not (REGION[0] <= lat <= REGION[1] and REGION[2] <= lon <= REGION[3]):
        problems.append(f"{where}: place {place['name']}: outside Hainaut and the Valenciennois")
    if place["type"] == "commune" and place.get("parent"):
        problems.append(f"{where}: commune {place['name']} has a parent")
    if place["type"] != "commune" and place.get("parent") not in named:
        problems.append(
            f"{where}: place {place['name']}: parent {place.get('parent')!r} not named before"
        )
    named.add(place["name"])


def _check_transcript(data_dir: Path, story: dict, where: str, problems: list[str]) -> float | None:
    """Check the clip and its WebVTT; returns the clip's length in seconds."""
    audio = [m for m in story.get("media", []) if not m["path"].endswith(".jpg")]
    if story["kind"] != "oral_history":
        return None
    # One workshop recording waits for its transcript (submitted, for the machine draft).
    untranscribed = story["status"] == "submitted" and "transcript" not in story
    if len(audio) != 1 or ("transcript" not in story and not untranscribed):
        problems.append(f"{where}: an oral history needs one recording and a transcript")
        return None
    if untranscribed:
        return _audio_info(data_dir / audio[0]["path"]).length
    audio_path, vtt_path = data_dir / audio[0]["path"], data_dir / story["transcript"]
    if not audio_path.is_file() or not vtt_path.is_file():
        return None  # reported by the path check
    info = _audio_info(audio_path)
    size = audio_path.stat().st_size
    limit = 400_000 if audio_path.suffix == ".wav" else 150_000
    if size > limit:
        problems.append(f"{where}: {audio_path.name} is {size} bytes (limit {limit})")
    if audio_path.suffix == ".wav" and (info.sample_rate != 8000 or info.channels != 1):
        problems.append(f"{where}: the WAV should be 8 kHz mono")
    if not 15 <= info.length <= 40:
        problems.append(f"{where}: {audio_path.name} lasts {info.length:.1f} s (want 15-40 s)")
    if not vtt_path.read_text("utf-8").startswith("WEBVTT"):
        problems.append(f"{where}: {vtt_path.name} does not start with WEBVTT")
    cues = read_cues(vtt_path)
    if not 4 <= len(cues) <= 10:
        problems.append(f"{where}: {len(cues)} cues (want 4-10)")
    previous_end = 0.0
    for start, end, text in cues:
        if not (previous_end <= start < end):
            problems.append(f"{where}: cue at {start} s does not follow the previous one")
        if not text.startswith("<v "):
            problems.append(f"{where}: cue at {start} s has no <v speaker> tag")
        previous_end = end
    if cues and cues[-1][1] > info.length:
        problems.append(
            f"{where}: last cue ends at {cues[-1][1]} s, after the audio ({info.length:.2f} s)"
        )
    return info.length


def _check_story(
    data_dir: Path, story: dict, where: str, named: set[str], problems: list[str]
) -> float | None:
    unknown = set(story) - STORY_KEYS
    if unknown:
        problems.append(f"{where}: unknown keys {sorted(unknown)}")
    missing = {
        "id",
        "title",
        "summary",
        "body",
        "kind",
        "language",
        "visibility",
        "status",
        "consent",
    } - set(story)
    if missing:
        problems.append(f"{where}: missing keys {sorted(missing)}")
        return None
    if story["kind"] not in KINDS or story["language"] not in {"fr", "nl"}:
        problems.append(f"{where}: bad kind or language")
    if story["visibility"] not in {"public", "researchers", "private"}:
        problems.append(f"{where}: bad visibility")
    if story["status"] not in {"published", "submitted", "draft"}:
        problems.append(f"{where}: bad status")
    words = len(story["body"].split())
    if not 80 <= words <= 300:
        problems.append(f"{where}: body has {words} words (want 80-300)")
    for person in story.get("narrators", []):
        if not set(person) <= NARRATOR_KEYS or "name" not in person:
            problems.append(f"{where}: narrator keys {sorted(person)}")
    if story.get("period") and set(story["period"]) not in PERIOD_KEYS:
        problems.append(f"{where}: period keys {sorted(story['period'])}")
    if not set(story.get("themes", [])) <= THEMES:
        problems.append(f"{where}: unknown themes {sorted(set(story['themes']) - THEMES)}")
    if not story.get("places"):
        problems.append(f"{where}: no place")
    for place in story.get("places", []):
        _check_place(place, named, where, problems)
    for media in story.get("media", []):
        if not set(media) <= MEDIA_KEYS or "path" not in media:
            problems.append(f"{where}: media keys {sorted(media)}")
        elif not (data_dir / media["path"]).is_file():
            problems.append(f"{where}: missing file {media['path']}")
        elif media["path"].endswith(".jpg") and not media.get("alt"):
            problems.append(f"{where}: {media['path']} has no alt text")
    if "transcript" in story and not (data_dir / story["transcript"]).is_file():
        problems.append(f"{where}: missing file {story['transcript']}")
    if set(story["consent"]) != CONSENT_KEYS:
        problems.append(f"{where}: consent keys {sorted(story['consent'])}")
    if story.get("licence") != LICENCE or story["consent"].get("licence") != LICENCE:
        problems.append(f"{where}: licence should be {LICENCE}")
    if (
        story["visibility"] == "public"
        and story["status"] == "published"
        and not story["consent"]["online_publication"]
    ):
        problems.append(f"{where}: public without consent to online publication")
    return _check_transcript(data_dir, story, where, problems)


def _check_photos(data_dir: Path, problems: list[str]) -> dict[str, int]:
    counts = {"photos": 0, "gps": 0, "orientation_6": 0}
    for path in sorted((data_dir / "media").glob("*.jpg")):
        counts["photos"] += 1
        size = path.stat().st_size
        if size > 250_000:
            problems.append(f"{path.name}: {size} bytes (limit 250000)")
        with Image.open(path) as image:
            exif = image.getexif()
            width, height = ImageOps.exif_transpose(image).size
        if not 1600 <= width <= 2400:
            problems.append(f"{path.name}: displayed {width} px wide (want 1600-2400)")
        counts["gps"] += bool(exif.get_ifd(0x8825))
        counts["orientation_6"] += exif.get(0x0112) == 6
    return counts


def _check_exhibition(
    data_dir: Path, stories: dict[str, dict], durations: dict[str, float], problems: list[str]
) -> None:
    exhibition = json.loads((data_dir / EXHIBITION_FILE).read_text("utf-8"))
    if not set(exhibition) <= EXHIBITION_KEYS or not 5 <= len(exhibition.get("items", [])) <= 6:
        problems.append("exhibition: unknown keys or not 5-6 items")
        return
    for item in exhibition["items"]:
        story = stories.get(item.get("story"))
        where = f"exhibition item {item.get('story')}"
        if not set(item) <= EXHIBITION_ITEM_KEYS or story is None:
            problems.append(f"{where}: unknown keys or unknown story")
            continue
        shown = (story["visibility"], story["status"]) == ("public", "published")
        if not shown or not story["consent"]["exhibition_use"]:
            problems.append(f"{where}: not public, not published or no consent to exhibitions")
        excerpt = item.get("excerpt", {})
        if not excerpt or not set(excerpt) <= {"start", "end", "photo"}:
            problems.append(f"{where}: the excerpt needs a time range or a photo")
        if "start" in excerpt:
            if not 0 <= excerpt["start"] < excerpt["end"] <= durations.get(item["story"], 0):
                problems.append(f"{where}: excerpt {excerpt} outside the recording")
        if "photo" in excerpt:
            photos = [m for m in story.get("media", []) if m["path"].endswith(".jpg")]
            if not 0 <= excerpt["photo"] < len(photos):
                problems.append(f"{where}: the story has no photo {excerpt['photo']}")
    cover = exhibition.get("cover")
    if cover is not None and not 0 <= cover.get("item", -1) < len(exhibition["items"]):
        problems.append("exhibition: the cover names no item")


def _check_hidden_titles(data_dir: Path, stories: list[dict], problems: list[str]) -> None:
    """Titles of stories an anonymous visitor may not see must not appear in anything public."""
    hidden = [
        s["title"] for s in stories if (s["visibility"], s["status"]) != ("public", "published")
    ]
    public = [
        json.dumps(s, ensure_ascii=False)
        for s in stories
        if (s["visibility"], s["status"]) == ("public", "published")
    ]
    public.append((data_dir / EXHIBITION_FILE).read_text("utf-8"))
    for title in hidden:
        if any(title.casefold() in text.casefold() for text in public):
            problems.append(f"non-public title {title!r} appears in public content")


def check(data_dir: Path) -> int:
    """Validate the committed demo archive; print a summary and every problem found."""
    problems: list[str] = []
    stories: list[dict] = []
    durations: dict[str, float] = {}
    named: set[str] = set()
    for number, line in enumerate((data_dir / STORIES_FILE).read_text("utf-8").splitlines(), 1):
        try:
            story = json.loads(line)
        except json.JSONDecodeError as error:
            problems.append(f"line {number}: {error}")
            continue
        length = _check_story(
            data_dir, story, f"line {number} ({story.get('id')})", named, problems
        )
        if length:
            durations[story["id"]] = length
        stories.append(story)
    ids = [s.get("id") for s in stories]
    if len(set(ids)) != len(ids):
        problems.append("duplicate story ids")
    photo_counts = _check_photos(data_dir, problems)
    by_id = {s["id"]: s for s in stories}
    _check_exhibition(data_dir, by_id, durations, problems)
    _check_hidden_titles(data_dir, stories, problems)
    total = sum(p.stat().st_size for p in data_dir.rglob("*") if p.is_file())
    expectations = [
        (len(stories) >= 34, "at least 34 stories"),
        (len(durations) >= 9, "at least 9 oral histories with a recording"),
        (photo_counts["photos"] >= 12, "at least 12 photos"),
        (photo_counts["gps"] == 3, "3 photos with GPS EXIF"),
        (photo_counts["orientation_6"] == 1, "1 photo with EXIF orientation 6"),
        (3 <= sum(s["language"] == "nl" for s in stories) <= 4, "3 or 4 stories in Dutch"),
        (total < MAX_TOTAL_BYTES, "data/ under 4 MB"),
    ]
    problems += [f"expected {label}" for ok, label in expectations if not ok]
    _print_summary(data_dir, stories, durations, photo_counts, total)
    for problem in problems:
        print(f"PROBLEM {problem}")
    print("OK" if not problems else f"{len(problems)} problem(s)")
    return 1 if problems else 0


def _count(stories: list[dict], key: str) -> str:
    values: dict[str, int] = {}
    for story in stories:
        values[story[key]] = values.get(story[key], 0) + 1
    return ", ".join(f"{k} {v}" for k, v in sorted(values.items()))


def _print_summary(
    data_dir: Path,
    stories: list[dict],
    durations: dict[str, float],
    photos: dict[str, int],
    total: int,
) -> None:
    print(f"stories: {len(stories)} | kind: {_count(stories, 'kind')}")
    print(
        f"  language: {_count(stories, 'language')} | status: {_count(stories, 'status')} | visibility: {_count(stories, 'visibility')}"
    )
    formats = sorted(
        Path(m["path"]).suffix
        for s in stories
        for m in s.get("media", [])
        if not m["path"].endswith(".jpg")
    )
    print(
        f"recordings: {len(durations)} ({', '.join(formats)}), {min(durations.values(), default=0):.1f}-{max(durations.values(), default=0):.1f} s"
    )
    print(
        f"photos: {photos['photos']} (GPS {photos['gps']}, orientation 6: {photos['orientation_6']})"
    )
    for folder in ("media", "transcripts"):
        size = sum(p.stat().st_size for p in (data_dir / folder).glob("*"))
        print(f"  {folder}/: {size / 1024:.0f} KB")
    print(f"total data/: {total} bytes ({total / 1024 / 1024:.2f} MB)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Regenerate or check memoire's demo archive.")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="only validate the committed files")
    mode.add_argument(
        "--photos", action="store_true", help="rebuild photos and JSON, keep recordings"
    )
    args = parser.parse_args(argv)
    if not args.check:
        build(DATA_DIR, recordings=not args.photos)
    return check(DATA_DIR)


if __name__ == "__main__":
    sys.exit(main())
