"""Imports every domain's models so SQLAlchemy and Alembic see the whole schema."""

from memoire.accounts.models import ApiToken, Role, User  # noqa: F401
from memoire.audit.models import AuditEvent  # noqa: F401
from memoire.exhibitions.models import Exhibition, ExhibitionItem  # noqa: F401
from memoire.jobs.models import Job  # noqa: F401
from memoire.maps.models import MapFeature, SubjectiveMap  # noqa: F401
from memoire.media.models import Derivative, Media, Redaction  # noqa: F401
from memoire.places.models import Place  # noqa: F401
from memoire.preservation.models import FixityRun  # noqa: F401
from memoire.search.models import IndexWork  # noqa: F401
from memoire.stories.models import (  # noqa: F401
    Consent,
    Person,
    Story,
    StoryNarrator,
    StoryPlace,
    StoryTombstone,
    Theme,
)
from memoire.transcripts.models import Transcript, TranscriptSegment  # noqa: F401
