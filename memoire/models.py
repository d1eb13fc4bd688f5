"""Imports every domain's models so SQLAlchemy and Alembic see the whole schema."""

from memoire.accounts.models import ApiToken, Role, User  # noqa: F401
from memoire.asr.models import TranscriptionRun  # noqa: F401
from memoire.audit.models import AuditEvent  # noqa: F401
from memoire.exhibitions.models import Exhibition, ExhibitionItem  # noqa: F401
from memoire.jobs.models import Job  # noqa: F401
from memoire.maps.models import MapFeature, SubjectiveMap  # noqa: F401
from memoire.media.models import Derivative, Media, Redaction  # noqa: F401
from memoire.network.models import (  # noqa: F401
    Facilitator,
    Method,
    MethodVersion,
    Organisation,
    Workshop,
    WorkshopExhibition,
    WorkshopFacilitator,
    WorkshopMap,
    WorkshopStory,
)
from memoire.places.models import Place  # noqa: F401
from memoire.preservation.models import FixityRun  # noqa: F401
from memoire.search.models import IndexWork  # noqa: F401
from memoire.stories.models import (  # noqa: F401
    ArchiveGeneration,
    Consent,
    Person,
    Story,
    StoryNarrator,
    StoryPlace,
    StoryTombstone,
    Theme,
)
from memoire.then_now.models import ThenNowPair  # noqa: F401
from memoire.transcripts.models import (  # noqa: F401
    PlaceSuggestion,
    Transcript,
    TranscriptChapter,
    TranscriptProposal,
    TranscriptRevision,
    TranscriptSegment,
    TranscriptTranslation,
)
from memoire.walks.models import Walk, WalkStop  # noqa: F401
