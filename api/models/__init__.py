"""Tables and schemas; importing this module registers every table on the metadata."""

from sqlmodel import SQLModel

from api.models.activity import Activity, ActivityArea, ActivityIndicator
from api.models.agenda import Agenda, Signatory
from api.models.approval import PeriodLock, PeriodReport, PeriodReview
from api.models.area import Area
from api.models.assignment import Assignment
from api.models.audit import AuditEvent
from api.models.boundary import AreaBoundary
from api.models.dimension import Dimension, DimensionValue
from api.models.goal import Goal
from api.models.indicator import Indicator, IndicatorDimension
from api.models.mapping import SourceMapping
from api.models.narrative import Narrative
from api.models.observation import Observation, ObservationHistory
from api.models.organisation import Organisation
from api.models.quality import QualityFlag, QualityRule, QualitySetting
from api.models.submission import RevisionCounter, Submission
from api.models.target import Target
from api.models.user import ApiToken, Invitation, LoginEvent, User

metadata = SQLModel.metadata

__all__ = [
    "Activity",
    "ActivityArea",
    "ActivityIndicator",
    "Agenda",
    "ApiToken",
    "Area",
    "AreaBoundary",
    "Assignment",
    "AuditEvent",
    "Dimension",
    "DimensionValue",
    "Goal",
    "Indicator",
    "IndicatorDimension",
    "Invitation",
    "LoginEvent",
    "Narrative",
    "Observation",
    "ObservationHistory",
    "Organisation",
    "PeriodLock",
    "PeriodReport",
    "PeriodReview",
    "QualityFlag",
    "QualityRule",
    "QualitySetting",
    "RevisionCounter",
    "Signatory",
    "SourceMapping",
    "Submission",
    "Target",
    "User",
    "metadata",
]
